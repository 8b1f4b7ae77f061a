import { BAND_LABEL } from '../../shared/severity.ts';
import type { Finding } from '../types.ts';

/**
 * How every destination orders and counts many findings in one message (digests, storms): highest
 * severity first, then newest; counts per band, highest band first.
 */

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
