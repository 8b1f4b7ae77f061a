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

/** How one part of a digest split in several says where it sits, in its title and in a line of its own. */
export interface DigestPart {
  /** ` (part 2 of 3)`, or nothing for a digest in one part. */
  readonly position: string;
  /** `Part 2 of 3: findings 41–80, highest severity first.`, or the order of a digest in one part. */
  readonly range: string;
}

/** The {@link DigestPart} of `parts[index]`, its findings numbered by their place in `sorted`. */
export function digestPart<T>(
  index: number,
  parts: readonly { readonly findings: readonly T[] }[],
  sorted: readonly T[],
): DigestPart {
  if (parts.length <= 1) return { position: '', range: 'Highest severity first, then newest.' };
  const findings = parts[index]?.findings ?? [];
  const first = findings[0] === undefined ? 1 : sorted.indexOf(findings[0]) + 1;
  return {
    position: ` (part ${index + 1} of ${parts.length})`,
    range: `Part ${index + 1} of ${parts.length}: findings ${first}–${first + findings.length - 1}, highest severity first.`,
  };
}
