import { BAND_LABEL } from '../../../shared/severity.ts';
import { SLACK_LIMITS } from '../limits.ts';
import type { RoutedFinding } from '../../../core/types.ts';
import type { SlackPayload } from './types.ts';
import { escapeSlack, escapeTruncated, slackLink, truncateMrkdwn, truncatePlain } from './escape.ts';
import {
  accountText,
  contextBlock,
  mrkdwn,
  noteBlock,
  regionsOf,
  regionText,
  severityText,
  timeText,
} from './format.ts';
import { familyBlocks } from './family.ts';
import type { Block, RenderConfig } from './types.ts';

/** What a sample finding's header and notification text start with (GuardDuty's console says the same). */
export const SAMPLE_MARK = '[SAMPLE]';

/** Longest title shown in the linked title line (raw characters before escaping grow it). */
const TITLE_CHARS = 500;

/**
 * One finding as one Slack message: severity header, linked title, fields (account, region, type,
 * resource, count, first and last seen), description, and a link to the GuardDuty console. A finding
 * folded from several regions gets a `Regions` field naming them all.
 */
export function renderSingle(routed: RoutedFinding, config: RenderConfig, note?: string): SlackPayload {
  const { finding } = routed;
  const kind = finding.scanResult === undefined ? 'finding' : 'malware scan result';
  // GuardDuty's console marks samples [SAMPLE]; so do the header and the notification text.
  const sample = finding.sample === true ? `${SAMPLE_MARK} ` : '';
  const regions = regionText(routed);
  const account = accountText(config, finding.accountId);
  const field = (name: string, rawValue: string) =>
    mrkdwn(truncateMrkdwn(`*${name}*\n${escapeSlack(rawValue)}`, SLACK_LIMITS.fieldTextChars));

  const blocks: (Block | undefined)[] = [
    noteBlock(note, SLACK_LIMITS.contextTextChars),
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: truncatePlain(`${sample}${severityText(finding)} · GuardDuty ${kind}`, SLACK_LIMITS.headerTextChars),
      },
    },
    { type: 'section', text: mrkdwn(`*${slackLink(finding.consoleUrl, finding.title, TITLE_CHARS)}*`) },
    {
      type: 'section',
      fields: [
        field('Account', account),
        field(regionsOf(routed).length > 1 ? 'Regions' : 'Region', regions),
        field('Type', finding.type),
        field('Resource', resourceText(routed)),
        field('Count', String(finding.count)),
        field('Severity', severityText(finding)),
        field('First seen', timeText(finding.firstSeen)),
        field('Last seen', timeText(finding.lastSeen ?? finding.updatedAt)),
      ],
    },
    finding.description === ''
      ? undefined
      : { type: 'section', text: mrkdwn(escapeTruncated(finding.description, SLACK_LIMITS.sectionTextChars)) },
    ...familyBlocks(finding),
    contextBlock(footer(finding)),
  ];

  const fallback = `${sample}${BAND_LABEL[finding.band]} GuardDuty ${kind} in ${account} ${regions}: ${finding.title}`;
  return {
    text: escapeTruncated(fallback, SLACK_LIMITS.topLevelTextChars),
    attachments: [{ color: config.colors[finding.band], blocks: blocks.filter((b): b is Block => b !== undefined) }],
  };
}

/** The console link and the id: the finding in GuardDuty, or for a scan result the object in S3. */
function footer(finding: RoutedFinding['finding']): string {
  if (finding.scanResult === undefined) {
    return `${slackLink(finding.consoleUrl, 'Open in GuardDuty console', 100)} · finding ${escapeTruncated(finding.id, 200)}`;
  }
  return `${slackLink(finding.consoleUrl, 'Open the object in the S3 console', 100)} · scan result event ${escapeTruncated(finding.id, 200)}`;
}

/** `Instance i-0abc (web-1)` and one `name: value` line per detail. Raw. */
function resourceText({ finding }: RoutedFinding): string {
  const { type, label, details } = finding.resource;
  const head = label === type || label.startsWith(`${type} `) ? label : `${type}: ${label}`;
  return [head, ...details.map(([name, value]) => `${name}: ${value}`)].join('\n');
}
