import { bandRank, type SeverityBand } from '../../../shared/severity.ts';
import { SLACK_LIMITS } from '../limits.ts';
import type { RoutedFinding } from '../../../core/types.ts';
import { digestPart } from '../../../core/message/order.ts';
import type { SlackPayload } from './types.ts';
import { escapeTruncated, slackLink, truncateMrkdwn, truncatePlain } from './escape.ts';
import {
  accountText,
  bandSummary,
  bySeverityThenNewest,
  contextBlock,
  mrkdwn,
  noteBlock,
  regionsOf,
  severityText,
} from './format.ts';
import type { Block, RenderConfig } from './types.ts';

/** Longest title, account and region in a digest line, in mrkdwn characters; keeps a line near 600. */
const LINE_TITLE_CHARS = 200;
const LINE_ACCOUNT_CHARS = 100;
const LINE_REGION_CHARS = 30;
/** Longest resource label in a digest line (raw characters). */
const LINE_RESOURCE_CHARS = 120;
/** Longest `Regions: …` list in a digest line (a finding folded from many regions), in mrkdwn characters. */
const LINE_REGIONS_CHARS = 400;

/** One digest message: its findings and their lines packed into section texts. */
interface DigestPart {
  readonly findings: RoutedFinding[];
  readonly sections: string[];
}

/** One rendered digest message and the findings it carries. */
export interface RenderedDigest {
  readonly payload: SlackPayload;
  readonly findings: RoutedFinding[];
}

/**
 * Many findings for one destination as digest messages: a summary line (counts per band) and one line
 * per finding, highest severity first, then newest. Split into as many messages as needed, each with at
 * most `delivery.maxFindingsPerMessage` findings and within Slack's block and section limits.
 */
export function renderDigests(routed: readonly RoutedFinding[], config: RenderConfig, note?: string): RenderedDigest[] {
  const sorted = [...routed].sort((a, b) => bySeverityThenNewest(a.finding, b.finding));
  const summary = bandSummary(sorted.map((r) => r.finding));
  const noteBlockOrNone = noteBlock(note, SLACK_LIMITS.contextTextChars);
  const fixedBlocks = (noteBlockOrNone ? 1 : 0) + 3; // header, summary, footer
  const parts = pack(sorted, config, SLACK_LIMITS.blocksPerMessage - fixedBlocks);

  return parts.map((part, i) => {
    const { position, range } = digestPart(i, parts, sorted);
    const blocks: (Block | undefined)[] = [
      noteBlockOrNone,
      {
        type: 'header',
        text: { type: 'plain_text', text: truncatePlain(`GuardDuty digest${position}`, SLACK_LIMITS.headerTextChars) },
      },
      { type: 'section', text: mrkdwn(`*${summary}*\n${range}`) },
      ...part.sections.map((text) => ({ type: 'section', text: mrkdwn(text) })),
      contextBlock('Each title links to the finding in the GuardDuty console.'),
    ];
    return {
      findings: part.findings,
      payload: {
        text: truncateMrkdwn(`GuardDuty digest, ${summary}${position}`, SLACK_LIMITS.topLevelTextChars),
        attachments: [
          {
            color: config.colors[highestBand(part.findings)],
            blocks: blocks.filter((b): b is Block => b !== undefined),
          },
        ],
      },
    };
  });
}

/**
 * `*High 8.0* <url|title> · member1 (222222222222) · us-west-1 · ×3`, at most one section long; a
 * finding folded from several regions reads `Regions: us-east-1, us-west-2` in place of its region.
 */
export function digestLine(routed: RoutedFinding, config: RenderConfig): string {
  const { finding } = routed;
  const regions = regionsOf(routed);
  const line = [
    `*${severityText(finding)}* ${slackLink(finding.consoleUrl, finding.title, LINE_TITLE_CHARS)}`,
    escapeTruncated(accountText(config, finding.accountId), LINE_ACCOUNT_CHARS),
    regions.length > 1
      ? escapeTruncated(`Regions: ${regions.join(', ')}`, LINE_REGIONS_CHARS)
      : escapeTruncated(finding.region, LINE_REGION_CHARS),
    escapeTruncated(finding.resource.label, LINE_RESOURCE_CHARS),
    `×${finding.count}`,
  ].join(' · ');
  return truncateMrkdwn(line, SLACK_LIMITS.sectionTextChars);
}

/** Packs lines into sections of at most `sectionTextChars`, and sections into parts. */
function pack(sorted: readonly RoutedFinding[], config: RenderConfig, maxSections: number): DigestPart[] {
  const parts: DigestPart[] = [];
  let current: DigestPart | undefined;
  for (const routed of sorted) {
    const line = digestLine(routed, config);
    if (current === undefined || current.findings.length >= config.delivery.maxFindingsPerMessage) {
      current = { findings: [], sections: [] };
      parts.push(current);
    }
    const last = current.sections.length - 1;
    const lastText = current.sections[last];
    if (lastText !== undefined && lastText.length + 1 + line.length <= SLACK_LIMITS.sectionTextChars) {
      current.sections[last] = `${lastText}\n${line}`;
    } else if (current.sections.length < maxSections) {
      current.sections.push(line);
    } else {
      current = { findings: [], sections: [line] };
      parts.push(current);
    }
    current.findings.push(routed);
  }
  return parts;
}

function highestBand(findings: readonly RoutedFinding[]): SeverityBand {
  return findings.reduce<SeverityBand>(
    (top, { finding }) => (bandRank(finding.band) > bandRank(top) ? finding.band : top),
    'low',
  );
}
