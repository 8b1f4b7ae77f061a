import { BAND_LABEL, SEVERITY_BANDS, bandRank, type SeverityBand } from '../../shared/severity.ts';
import { escapeTruncated, severityText } from '../slack/render/index.ts';
import type { RenderConfig } from '../slack/render/index.ts';
import type { RoutedFinding } from '../../core/types.ts';
import type { SlackPayload } from '../slack/render/types.ts';

/**
 * The running summary of a storm at one app destination and storm window, and its renderings: the
 * parent message (counts per severity, top types, accounts, regions) and the complete list of one
 * batch's findings as a plain-text file for the thread.
 */

/** What a storm summary counts; kept as JSON on the storm record, so every batch adds to it. */
export interface StormSummary {
  /** Findings so far. */
  total: number;
  /** When the window opened, epoch ms. */
  readonly sinceMs: number;
  /** Files posted in the thread. */
  files: number;
  readonly bands: Partial<Record<SeverityBand, number>>;
  readonly types: Record<string, number>;
  readonly accounts: Record<string, number>;
  readonly regions: Record<string, number>;
}

/** Most entries kept per count table (types, accounts, regions): the rest are summed under `…others`. */
const MAX_KEPT = 50;
/** Entries shown per table in the message. */
const SHOWN = 5;

/** An empty summary for a window opened at `sinceMs`. */
export function emptySummary(sinceMs: number): StormSummary {
  return { total: 0, sinceMs, files: 0, bands: {}, types: {}, accounts: {}, regions: {} };
}

/** The summary read back from its JSON (an unreadable one starts afresh: counts low, never a lost finding). */
export function parseSummary(text: string | undefined, sinceMs: number): StormSummary {
  if (text === undefined) return emptySummary(sinceMs);
  try {
    const parsed = JSON.parse(text) as StormSummary;
    return typeof parsed.total === 'number' ? parsed : emptySummary(sinceMs);
  } catch {
    return emptySummary(sinceMs);
  }
}

/** Adds `findings` (each region of a folded group counted) to `summary`, in place. */
export function addToSummary(summary: StormSummary, findings: readonly RoutedFinding[]): void {
  for (const routed of findings) {
    const regions =
      routed.regions !== undefined && routed.regions.length > 0 ? routed.regions : [routed.finding.region];
    const n = regions.length;
    summary.total += n;
    summary.bands[routed.finding.band] = (summary.bands[routed.finding.band] ?? 0) + n;
    bump(summary.types, routed.finding.type, n);
    bump(summary.accounts, routed.finding.accountId, n);
    for (const region of regions) bump(summary.regions, region, 1);
  }
}

function bump(table: Record<string, number>, key: string, n: number): void {
  if (Object.hasOwn(table, key) || Object.keys(table).length < MAX_KEPT) table[key] = (table[key] ?? 0) + n;
  else table['…others'] = (table['…others'] ?? 0) + n;
}

/** The parent message of a storm: counts per severity, top types, accounts and regions, where the list is. */
export function stormPayload(
  summary: StormSummary,
  destination: string,
  config: RenderConfig,
  nowMs: number,
): SlackPayload {
  const at = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
  const bands = SEVERITY_BANDS.filter((band) => (summary.bands[band] ?? 0) > 0).sort(
    (a, b) => bandRank(b) - bandRank(a),
  );
  const counts = bands.map((band) => `${summary.bands[band]} ${BAND_LABEL[band]}`).join(', ');
  const top = (table: Record<string, number>, name: (key: string) => string) =>
    Object.entries(table)
      .sort(([ka, a], [kb, b]) => b - a || ka.localeCompare(kb))
      .slice(0, SHOWN)
      .map(([key, n]) => `${escapeTruncated(name(key), 120)}: ${n}`)
      .join('\n') || '—';
  const account = (id: string) => {
    const name = config.accounts[id]?.name;
    return name === undefined ? id : `${name} (${id})`;
  };
  const headline = `GuardDuty storm: ${summary.total} findings since ${at(summary.sinceMs)} UTC (${counts})`;
  return {
    text: headline,
    attachments: [
      {
        color: config.colors[bands[0] ?? 'low'],
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: `GuardDuty storm · ${summary.total} findings` } },
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              text: `*${counts}* since ${at(summary.sinceMs)} UTC, to ${escapeTruncated(destination, 64)}`,
            },
          },
          {
            type: 'section',
            fields: [
              { type: 'mrkdwn', text: `*Top types*\n${top(summary.types, (k) => k)}` },
              { type: 'mrkdwn', text: `*Accounts*\n${top(summary.accounts, account)}` },
              { type: 'mrkdwn', text: `*Regions*\n${top(summary.regions, (k) => k)}` },
            ],
          },
          {
            type: 'context',
            elements: [
              {
                type: 'mrkdwn',
                text: `Every finding is listed in the thread (${summary.files} files) · updated ${at(nowMs)} UTC`,
              },
            ],
          },
        ],
      },
    ],
  };
}

/** One batch's findings as a file: one line per finding (severity, type, account, regions, resource, id, console link), most severe first. */
export function stormFile(findings: readonly RoutedFinding[], config: RenderConfig): string {
  const lines = [...findings]
    .sort((a, b) => b.finding.severity - a.finding.severity || a.finding.id.localeCompare(b.finding.id))
    .map((routed) => {
      const { finding } = routed;
      const name = config.accounts[finding.accountId]?.name;
      const regions =
        routed.regions !== undefined && routed.regions.length > 0 ? routed.regions.join(',') : finding.region;
      return [
        severityText(finding),
        finding.type,
        name === undefined ? finding.accountId : `${name} (${finding.accountId})`,
        regions,
        finding.resource.label,
        finding.title,
        finding.id,
        finding.consoleUrl,
      ]
        .map((field) => field.replace(/[\t\r\n]+/g, ' '))
        .join('\t');
    });
  return `severity\ttype\taccount\tregions\tresource\ttitle\tfinding id\tconsole\n${lines.join('\n')}\n`;
}
