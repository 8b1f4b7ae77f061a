import { escapeTruncated, severityText, slackLink, truncateMrkdwn } from './index.ts';
import type { RenderConfig } from './index.ts';
import { SLACK_LIMITS } from '../limits.ts';
import type { RoutedFinding } from '../../../core/types.ts';
import type { SlackPayload } from './types.ts';

/** Longest title, resource label and note in the plain form, in raw characters before escaping. */
const PLAIN_TITLE_CHARS = 300;
const PLAIN_LABEL_CHARS = 300;
const PLAIN_NOTE_CHARS = 500;

/**
 * The plainest form of one finding, sent when Slack refused it in blocks: a top-level `text` only (no
 * attachment, no blocks) with the escaped essentials (severity, title, account, regions, type,
 * resource, finding id) and the link to the finding in the GuardDuty console.
 */
export function renderPlain(routed: RoutedFinding, config: RenderConfig, note?: string): SlackPayload {
  const { finding } = routed;
  const name = config.accounts[finding.accountId]?.name;
  const account = name === undefined ? finding.accountId : `${name} (${finding.accountId})`;
  const regions = routed.regions !== undefined && routed.regions.length > 1 ? routed.regions : [finding.region];
  const lines = [
    note === undefined || note.trim() === '' ? undefined : `_${escapeTruncated(note.trim(), PLAIN_NOTE_CHARS)}_`,
    `*${severityText(finding)}* GuardDuty finding: ${escapeTruncated(finding.title, PLAIN_TITLE_CHARS)}`,
    `Account ${escapeTruncated(account, 100)} · ${regions.length > 1 ? 'Regions' : 'Region'} ${escapeTruncated(regions.join(', '), 400)}`,
    `Type ${escapeTruncated(finding.type, 200)} · Resource ${escapeTruncated(finding.resource.label, PLAIN_LABEL_CHARS)}`,
    `${slackLink(finding.consoleUrl, 'Open in GuardDuty console', 100)} · finding ${escapeTruncated(finding.id, 200)}`,
  ];
  return {
    text: truncateMrkdwn(lines.filter((line) => line !== undefined).join('\n'), SLACK_LIMITS.topLevelTextChars),
    attachments: [],
  };
}
