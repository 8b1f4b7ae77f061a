import { BAND_LABEL } from '../../../shared/severity.ts';
import type { Finding, RoutedFinding } from '../../../core/types.ts';
import { escapeTruncated } from './escape.ts';
import type { Block, RenderConfig } from './types.ts';

/** `High 8.0`: the band label and the score with one decimal. */
export function severityText(finding: Pick<Finding, 'band' | 'severity'>): string {
  return `${BAND_LABEL[finding.band]} ${finding.severity.toFixed(1)}`;
}

/** `member1 (222222222222)` when the account is named in config, else the id. Raw, unescaped. */
export function accountText(config: Pick<RenderConfig, 'accounts'>, accountId: string): string {
  const name = Object.hasOwn(config.accounts, accountId) ? config.accounts[accountId]?.name : undefined;
  return name === undefined ? accountId : `${name} (${accountId})`;
}

/** The regions a message names: every folded region (sorted), else the finding's own. */
export function regionsOf(routed: Pick<RoutedFinding, 'finding' | 'regions'>): readonly string[] {
  return routed.regions !== undefined && routed.regions.length > 1 ? routed.regions : [routed.finding.region];
}

/** `us-east-1`, or `us-east-1, us-west-2, eu-north-1` for a finding seen in several regions. Raw. */
export function regionText(routed: Pick<RoutedFinding, 'finding' | 'regions'>): string {
  return regionsOf(routed).join(', ');
}

/** `2026-01-15 10:00 UTC` from an ISO time; `unknown` when absent. */
export function timeText(iso: string | undefined): string {
  if (iso === undefined) return 'unknown';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return 'unknown';
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const BANDS_HIGHEST_FIRST = ['critical', 'high', 'medium', 'low'] as const;

/** `12 findings: 2 High, 10 Medium` (bands highest first, empty bands left out). */
export function bandSummary(findings: readonly Pick<Finding, 'band'>[]): string {
  const counts: string[] = [];
  for (const band of BANDS_HIGHEST_FIRST) {
    let count = 0;
    for (const finding of findings) if (finding.band === band) count += 1;
    if (count > 0) counts.push(`${count} ${BAND_LABEL[band]}`);
  }
  const noun = findings.length === 1 ? 'finding' : 'findings';
  return `${findings.length} ${noun}: ${counts.join(', ')}`;
}

/** Highest severity first, then the newest, then by id (stable and deterministic). */
export function bySeverityThenNewest(a: Finding, b: Finding): number {
  return b.severity - a.severity || newerFirst(a.updatedAt, b.updatedAt) || a.id.localeCompare(b.id);
}

/** Orders ISO times newest first: `toISOString` forms of one length compare as text, others through `Date`. */
function newerFirst(a: string, b: string): number {
  if (a.length === b.length) return a < b ? 1 : a > b ? -1 : 0;
  return Date.parse(b) - Date.parse(a);
}

/** A mrkdwn text object. */
export function mrkdwn(text: string): { type: 'mrkdwn'; text: string } {
  return { type: 'mrkdwn', text };
}

/** A context block with one mrkdwn element. */
export function contextBlock(text: string): Block {
  return { type: 'context', elements: [mrkdwn(text)] };
}

/** The note context block, escaped and cut to fit; undefined when there is no note. */
export function noteBlock(note: string | undefined, maxChars: number): Block | undefined {
  if (note === undefined || note.trim() === '') return undefined;
  return contextBlock(escapeTruncated(note.trim(), maxChars));
}
