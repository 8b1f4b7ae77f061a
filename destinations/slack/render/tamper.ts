import { TAMPER_TARGET_LABEL } from '../../../shared/index.ts';
import { codeSpan, escapeSlack, escapeTruncated, slackLink, truncateMrkdwn, truncatePlain } from './escape.ts';
import { accountText, contextBlock, mrkdwn, noteBlock, timeText } from './format.ts';
import type { Block, RenderConfig } from './types.ts';
import { SLACK_LIMITS } from '../limits.ts';
import type { RoutedFinding } from '../../../core/types.ts';
import type { SlackPayload } from './types.ts';
import type { TamperChange } from '../../../core/kinds/tamper/types.ts';

/** Colour of a quiet change (an expected principal): grey, so it does not look like an alarm. */
export const QUIET_COLOUR = '#9E9E9E';

/** Longest parameter value shown (raw characters). */
const PARAMETER_VALUE_CHARS = 300;

/**
 * A GuardDuty configuration change as one Slack message, unlike a finding: a `:rotating_light:`
 * headline saying what was weakened, who did it (principal, source IP, user agent), where, the key
 * request parameters and a link to the CloudTrail event. A change by a quiet principal is plain and
 * grey. Every CloudTrail value is plain text (`escapeSlack`) or a code span (`codeSpan`): the user
 * agent, principal and parameters are caller controlled, and must not mention, link or format.
 */
export function renderTamper(
  { finding }: Pick<RoutedFinding, 'finding'>,
  change: TamperChange,
  config: RenderConfig,
  note?: string,
): SlackPayload {
  const account = accountText(config, change.accountId);
  const what = `${TAMPER_TARGET_LABEL[change.spec.target]} ${change.spec.change}`;
  const headline = headlineOf(change, what);
  const field = (name: string, rawValue: string | undefined) =>
    mrkdwn(truncateMrkdwn(`*${name}*\n${escapeSlack(rawValue ?? 'unknown')}`, SLACK_LIMITS.fieldTextChars));

  const blocks: (Block | undefined)[] = [
    noteBlock(note, SLACK_LIMITS.contextTextChars),
    { type: 'header', text: { type: 'plain_text', text: truncatePlain(headline, SLACK_LIMITS.headerTextChars) } },
    {
      type: 'section',
      text: mrkdwn(
        truncateMrkdwn(
          `*${escapeSlack(change.eventName)}*: ${escapeSlack(what)}. ${escapeSlack(change.spec.risk)}.`,
          SLACK_LIMITS.sectionTextChars,
        ),
      ),
    },
    {
      type: 'section',
      fields: [
        field('Account', account),
        field('Region', change.region),
        field('Who', change.principal.arn ?? change.principal.type),
        field('Role', change.principal.issuerArn),
        field('Source IP', change.sourceIp),
        field('User agent', change.userAgent),
        field('When', timeText(change.eventTime)),
        field('Result', change.errorCode === undefined ? 'succeeded' : `failed: ${change.errorCode}`),
      ],
    },
    parametersBlock(change),
    contextBlock(
      `${slackLink(finding.consoleUrl, 'Open the event in CloudTrail', 100)} · event ${escapeTruncated(change.eventId, 200)}`,
    ),
  ];

  const fallback = `${headline}: ${change.eventName} in ${account} ${change.region} by ${change.principal.arn ?? 'unknown'}`;
  const colour = change.quiet === true ? QUIET_COLOUR : config.colors[change.weakening ? 'critical' : 'high'];
  return {
    text: escapeTruncated(fallback, SLACK_LIMITS.topLevelTextChars),
    attachments: [{ color: colour, blocks: blocks.filter((b): b is Block => b !== undefined) }],
  };
}

function headlineOf(change: TamperChange, what: string): string {
  if (change.quiet === true) return `GuardDuty change by an expected principal: ${what}`;
  const attempt = change.errorCode === undefined ? '' : 'attempt: ';
  return change.weakening ? `🚨 GuardDuty weakened: ${attempt}${what}` : `⚠️ GuardDuty changed: ${attempt}${what}`;
}

/** The request parameters, one `name: value` per line, each value a code span; undefined when there are none. */
function parametersBlock(change: TamperChange): Block | undefined {
  if (change.parameters.length === 0) return undefined;
  const lines = change.parameters.map(([name, value]) => {
    const shown = value.length > PARAMETER_VALUE_CHARS ? `${value.slice(0, PARAMETER_VALUE_CHARS)}…` : value;
    return `• ${escapeSlack(name)}: ${codeSpan(shown)}`;
  });
  return {
    type: 'section',
    text: mrkdwn(truncateMrkdwn(`*Request*\n${lines.join('\n')}`, SLACK_LIMITS.sectionTextChars)),
  };
}
