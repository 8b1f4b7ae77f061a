import {
  accountText,
  bandSummary,
  bySeverityThenNewest,
  digestPart,
  regionsOf,
  severityText,
} from '../../core/message/index.ts';
import type { RoutedFinding } from '../../core/types.ts';
import { bandRank, type SeverityBand } from '../../shared/severity.ts';
import { type CardElement, cardOf, messageOf, type TeamsPayload, textBlock } from './card.ts';
import { cardLink, escapeCut } from './escape.ts';
import { BAND_LOOK, TEAMS_LIMITS, TEXT_CHARS } from './limits.ts';
import { noteBlock } from './single.ts';

/** What digests read from the config: account names and how many findings a card may list. */
export interface DigestConfig {
  readonly accounts: Readonly<Record<string, { readonly name: string }>>;
  readonly delivery: { readonly maxFindingsPerMessage: number };
}

/** One digest card and the findings it lists. */
export interface TeamsDigest {
  readonly payload: TeamsPayload;
  readonly findings: RoutedFinding[];
}

/** Bytes kept for a digest card's header, summary, note and footer besides its lines. */
const FRAME_BYTES = 3_000;

/**
 * Many findings for one destination as digest cards: a header coloured by the highest band, a summary
 * (counts per band) and one line per finding, highest severity first, then newest. Each card lists at
 * most `delivery.maxFindingsPerMessage` findings and stays within the body size limit (lines are
 * packed by their bytes, so a card may list fewer).
 */
export function renderDigestCards(
  routed: readonly RoutedFinding[],
  config: DigestConfig,
  note?: string,
): TeamsDigest[] {
  const sorted = [...routed].sort((a, b) => bySeverityThenNewest(a.finding, b.finding));
  const summary = bandSummary(sorted.map((r) => r.finding));
  const parts = pack(sorted, config);
  return parts.map((part, i) => {
    const { position, range } = digestPart(i, parts, sorted);
    const look = BAND_LOOK[highestBand(part.findings)];
    const body: (CardElement | undefined)[] = [
      noteBlock(note),
      {
        type: 'Container',
        style: look.style,
        bleed: true,
        items: [textBlock(`GuardDuty digest${position}`, { weight: 'bolder', color: look.color })],
      },
      textBlock(`**${summary}**`),
      textBlock(range, { isSubtle: true, spacing: 'none' }),
      ...part.lines,
      textBlock('Each title links to the finding in the GuardDuty console.', { size: 'small', isSubtle: true }),
    ];
    return { findings: part.findings, payload: messageOf(cardOf(body, `GuardDuty digest, ${summary}${position}`)) };
  });
}

/** `**High 8.0** [title](url) · member1 (222222222222) · us-west-1 · Instance i-0abc · ×3`, one TextBlock. */
export function digestLine(routed: RoutedFinding, config: DigestConfig): CardElement {
  const { finding } = routed;
  const regions = regionsOf(routed);
  const parts = [
    `**${escapeCut(severityText(finding), 20)}** ${cardLink(finding.consoleUrl, finding.title, TEXT_CHARS.lineTitle, TEAMS_LIMITS.urlChars)}`,
    escapeCut(accountText(config, finding.accountId), TEXT_CHARS.lineAccount),
    escapeCut(regions.length > 1 ? `Regions: ${regions.join(', ')}` : finding.region, TEXT_CHARS.lineRegions),
    escapeCut(finding.resource.label, TEXT_CHARS.lineResource),
    `×${finding.count}`,
  ];
  return textBlock(parts.join(' · '), { spacing: 'small' });
}

interface DigestPart {
  readonly findings: RoutedFinding[];
  readonly lines: CardElement[];
  bytes: number;
}

/** Lines packed into parts of at most `maxFindingsPerMessage` findings and the body budget. */
function pack(sorted: readonly RoutedFinding[], config: DigestConfig): DigestPart[] {
  const budget = TEAMS_LIMITS.maxBodyBytes - FRAME_BYTES;
  const parts: DigestPart[] = [];
  let current: DigestPart | undefined;
  for (const routed of sorted) {
    const line = digestLine(routed, config);
    const bytes = Buffer.byteLength(JSON.stringify(line), 'utf8') + 1;
    const full =
      current !== undefined &&
      (current.findings.length >= config.delivery.maxFindingsPerMessage || current.bytes + bytes > budget);
    if (current === undefined || full) {
      current = { findings: [], lines: [], bytes: 0 };
      parts.push(current);
    }
    current.findings.push(routed);
    current.lines.push(line);
    current.bytes += bytes;
  }
  return parts;
}

function highestBand(findings: readonly RoutedFinding[]): SeverityBand {
  return findings.reduce<SeverityBand>(
    (top, { finding }) => (bandRank(finding.band) > bandRank(top) ? finding.band : top),
    'low',
  );
}
