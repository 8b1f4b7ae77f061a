import { bandOf } from '../../shared/severity.ts';
import { findingKey } from '../../core/repeats/index.ts';
import type { Finding } from '../../core/types.ts';

/**
 * What a living parent shows of its issue: one part per region (GuardDuty keeps one finding id per
 * issue per region), kept as JSON on the parent's state records (`MessageRef.summary`). Every edit
 * is rendered from all parts, so a region joining or archiving changes its own part and the parent
 * still tells the whole issue: the highest severity, the summed count, the first and last seen over
 * all regions, and which regions are archived.
 */

/** One region's finding of an issue. Text is raw (unescaped). */
export interface RegionPart {
  readonly findingId: string;
  /** 1.0–10.0 */
  readonly severity: number;
  /** `service.count` */
  readonly count: number;
  /** ISO 8601, when known. */
  readonly firstSeen?: string;
  /** ISO 8601 (`updatedAt` when GuardDuty gave no last seen). */
  readonly lastSeen: string;
  /** The finding in the GuardDuty console. */
  readonly consoleUrl: string;
  /** Archived in GuardDuty. */
  readonly archived: boolean;
}

/** The parts of one issue, by region. */
export type IssueParts = Readonly<Record<string, RegionPart>>;

/** The part `finding` stands for in its region. */
export function partOf(finding: Finding): RegionPart {
  return {
    findingId: finding.id,
    severity: finding.severity,
    count: finding.count,
    ...(finding.firstSeen === undefined ? {} : { firstSeen: finding.firstSeen }),
    lastSeen: finding.lastSeen ?? finding.updatedAt,
    consoleUrl: finding.consoleUrl,
    archived: finding.archived,
  };
}

/** `parts` with each finding's region set to what the finding says now. */
export function withFindings(parts: IssueParts, findings: readonly Finding[]): IssueParts {
  const next: Record<string, RegionPart> = { ...parts };
  for (const finding of findings) next[finding.region] = partOf(finding);
  return next;
}

/** The parts kept as JSON on a parent; none for a parent kept before parts were (or text that does not read). */
export function parseParts(text: string | undefined): IssueParts {
  if (text === undefined || text === '') return {};
  try {
    const parsed = JSON.parse(text) as { regions?: unknown };
    if (typeof parsed.regions !== 'object' || parsed.regions === null) return {};
    return Object.fromEntries(Object.entries(parsed.regions).filter(([, part]) => isPart(part))) as IssueParts;
  } catch {
    return {};
  }
}

/** The JSON text kept on a parent for `parts`. */
export function partsText(parts: IssueParts): string {
  return JSON.stringify({ regions: parts });
}

/** The parts by region, sorted by region. */
export function partsInOrder(parts: IssueParts): (readonly [region: string, part: RegionPart])[] {
  return Object.entries(parts).sort(([a], [b]) => a.localeCompare(b));
}

/** The regions of `parts`, sorted. */
export function regionsOfParts(parts: IssueParts): string[] {
  return Object.keys(parts).sort();
}

/** True when every region's finding is archived (and there is at least one). */
export function allArchived(parts: IssueParts): boolean {
  const all = Object.values(parts);
  return all.length > 0 && all.every((part) => part.archived);
}

/** The state-table keys of the findings of `parts` (where a later copy of any of them finds the parent). */
export function partKeys(parts: IssueParts): string[] {
  return Object.values(parts).map((part) => findingKey({ id: part.findingId }));
}

/**
 * `finding` (one region's) made to stand for the whole issue: the highest severity of all parts,
 * their summed count, the earliest first seen and the latest last seen, archived only when every
 * region is. Everything else (title, resource, type) is the same issue's.
 */
export function issueFinding(finding: Finding, parts: IssueParts): Finding {
  const all = Object.values(parts);
  if (all.length === 0) return finding;
  const severity = Math.max(...all.map((part) => part.severity));
  const firsts = all.flatMap((part) => (part.firstSeen === undefined ? [] : [part.firstSeen]));
  return {
    ...finding,
    severity,
    band: bandOf(severity),
    count: all.reduce((sum, part) => sum + part.count, 0),
    firstSeen: firsts.length === 0 ? finding.firstSeen : earliest(firsts),
    lastSeen: latest(all.map((part) => part.lastSeen)),
    archived: allArchived(parts),
  };
}

function earliest(times: readonly string[]): string {
  return times.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
}

function latest(times: readonly string[]): string {
  return times.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
}

function isPart(value: unknown): value is RegionPart {
  const part = value as Partial<RegionPart> | null;
  return (
    typeof part === 'object' &&
    part !== null &&
    typeof part.findingId === 'string' &&
    typeof part.severity === 'number' &&
    typeof part.count === 'number' &&
    typeof part.lastSeen === 'string' &&
    typeof part.consoleUrl === 'string' &&
    typeof part.archived === 'boolean'
  );
}
