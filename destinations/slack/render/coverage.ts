import { coverageHeadline, type CoverageChange } from '../../../core/kinds/index.ts';
import type { RoutedFinding } from '../../../core/types.ts';
import { SLACK_LIMITS } from '../limits.ts';
import { escapeSlack, escapeTruncated, slackLink, truncateMrkdwn, truncatePlain } from './escape.ts';
import { accountText, contextBlock, mrkdwn, noteBlock, timeText } from './format.ts';
import type { Block, RenderConfig, SlackPayload } from './types.ts';

/** Colour of a restored coverage: green, good news. */
export const RESTORED_COLOUR = '#2EB67D';

/**
 * A GuardDuty coverage change as one Slack message: a `⚠️` headline when coverage is lost (`✅` when it
 * is restored) naming the resource, account and region, GuardDuty's reason, the status, and a link to
 * the coverage page. The reason and the resource name come from the event and are plain text
 * (`escapeSlack`): they must not mention, link or format.
 */
export function renderCoverage(
  { finding }: Pick<RoutedFinding, 'finding'>,
  change: CoverageChange,
  config: RenderConfig,
  note?: string,
): SlackPayload {
  const account = accountText(config, change.accountId);
  const headline = `${change.state === 'lost' ? '⚠️' : '✅'} ${coverageHeadline(change)} in ${account} ${change.region}`;
  const field = (name: string, rawValue: string) =>
    mrkdwn(truncateMrkdwn(`*${name}*\n${escapeSlack(rawValue)}`, SLACK_LIMITS.fieldTextChars));
  const status = change.previousStatus === undefined ? change.status : `${change.previousStatus} → ${change.status}`;
  const blocks: (Block | undefined)[] = [
    noteBlock(note, SLACK_LIMITS.contextTextChars),
    { type: 'header', text: { type: 'plain_text', text: truncatePlain(headline, SLACK_LIMITS.headerTextChars) } },
    { type: 'section', text: mrkdwn(truncateMrkdwn(escapeSlack(finding.description), SLACK_LIMITS.sectionTextChars)) },
    {
      type: 'section',
      fields: [
        field('Account', account),
        field('Region', change.region),
        field(change.resourceType, change.resourceName),
        field('Status', status),
        field('Protection', change.protection),
        field('When', timeText(finding.updatedAt)),
      ],
    },
    contextBlock(slackLink(finding.consoleUrl, 'Open coverage in the GuardDuty console', 100)),
  ];
  const colour = change.state === 'lost' ? config.colors.high : RESTORED_COLOUR;
  return {
    text: escapeTruncated(`${headline}: ${finding.description}`, SLACK_LIMITS.topLevelTextChars),
    attachments: [{ color: colour, blocks: blocks.filter((b): b is Block => b !== undefined) }],
  };
}
