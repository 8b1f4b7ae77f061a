import { thresholdScore, type SeverityBand } from '../../shared/severity.ts';
import type { Silence } from '../../shared/silences.ts';
import type { Finding, RoutedFinding } from '../types.ts';
import { matchesSilence } from './apply.ts';

/**
 * What a silence held, kept for its recap: counts by type, account and severity band, its latest few
 * findings, and the findings of its scope that were worse than its band (delivered, not held). Bounded
 * so that one silence's record stays a few tens of KiB, far below DynamoDB's 400 KB per item.
 */

/** Distinct keys kept per breakdown (type, account, band); the rest are counted under {@link OTHER_KEY}. */
export const TALLY_MAX_KEYS = 50;
/** Findings kept in each latest list (held, worse). */
export const TALLY_LATEST = 5;
/** Longest type, title or id kept, in characters. */
export const TALLY_TEXT_CHARS = 200;
/** The key counting what no longer fits a breakdown. */
export const OTHER_KEY = '(other)';

/** One finding as a recap lists it (raw text; the renderer escapes it). */
export interface TalliedFinding {
  readonly id: string;
  readonly type: string;
  readonly accountId: string;
  readonly region: string;
  readonly severity: number;
  readonly band: SeverityBand;
  readonly title: string;
  /** When the hub saw it, epoch ms. */
  readonly atMs: number;
}

/** The tally of one silence. */
export interface SilenceTally {
  readonly byType: Readonly<Record<string, number>>;
  readonly byAccount: Readonly<Record<string, number>>;
  readonly byBand: Readonly<Record<string, number>>;
  /** The latest held findings, newest first, at most {@link TALLY_LATEST}. */
  readonly latest: readonly TalliedFinding[];
  /** Findings of its scope at or above its band (so not held), not archived when seen. */
  readonly worse: { readonly count: number; readonly latest: readonly TalliedFinding[] };
}

/** What one batch adds to a silence's tally. */
export interface TallyBatch {
  readonly held: readonly TalliedFinding[];
  readonly worse: readonly TalliedFinding[];
}

/** A tally with nothing in it. */
export const EMPTY_TALLY: SilenceTally = {
  byType: {},
  byAccount: {},
  byBand: {},
  latest: [],
  worse: { count: 0, latest: [] },
};

/** `tally` with `batch` added, within the bounds (pure). */
export function addToTally(tally: SilenceTally, batch: TallyBatch): SilenceTally {
  const count = (counts: Readonly<Record<string, number>>, key: (f: TalliedFinding) => string) => {
    const next: Record<string, number> = { ...counts };
    for (const finding of batch.held) {
      const wanted = key(finding);
      const fits = wanted in next || Object.keys(next).filter((k) => k !== OTHER_KEY).length < TALLY_MAX_KEYS;
      const at = fits ? wanted : OTHER_KEY;
      next[at] = (next[at] ?? 0) + 1;
    }
    return next;
  };
  return {
    byType: count(tally.byType, (f) => f.type),
    byAccount: count(tally.byAccount, (f) => f.accountId),
    byBand: count(tally.byBand, (f) => f.band),
    latest: newest(tally.latest, batch.held),
    worse: { count: tally.worse.count + batch.worse.length, latest: newest(tally.worse.latest, batch.worse) },
  };
}

/** The newest {@link TALLY_LATEST} of `kept` and `added`, one per finding id. */
function newest(kept: readonly TalliedFinding[], added: readonly TalliedFinding[]): TalliedFinding[] {
  const byId = new Map<string, TalliedFinding>();
  for (const finding of [...kept, ...added]) {
    const known = byId.get(finding.id);
    if (known === undefined || known.atMs <= finding.atMs) byId.set(finding.id, finding);
  }
  return [...byId.values()].sort((a, b) => b.atMs - a.atMs).slice(0, TALLY_LATEST);
}

/** `finding` as a tally keeps it, its texts cut to {@link TALLY_TEXT_CHARS}. */
export function talliedFinding(finding: Finding, atMs: number): TalliedFinding {
  const cut = (text: string) => text.slice(0, TALLY_TEXT_CHARS);
  return {
    id: cut(finding.id),
    type: cut(finding.type),
    accountId: finding.accountId,
    region: finding.region,
    severity: finding.severity,
    band: finding.band,
    title: cut(finding.title),
    atMs,
  };
}

/**
 * The findings worse than each silence with a band (`below`): GuardDuty findings, not archived, that
 * its other matchers match but its band let through. A silence without a band has none (everything in
 * its scope was held). By silence id; a finding counts once per silence however many lanes it has.
 */
export function worseThan(
  kept: readonly RoutedFinding[],
  silences: readonly Silence[],
): ReadonlyMap<string, readonly Finding[]> {
  const worse = new Map<string, Finding[]>();
  for (const silence of silences) {
    const { below, ...scope } = silence.matchers;
    if (below === undefined) continue;
    const seen = new Set<string>();
    for (const { finding } of kept) {
      if (finding.kind !== 'finding' || finding.archived || seen.has(finding.id)) continue;
      if (finding.severity < thresholdScore(below) || !inScope(scope, finding)) continue;
      seen.add(finding.id);
      worse.set(silence.id, [...(worse.get(silence.id) ?? []), finding]);
    }
  }
  return worse;
}

/** True when `finding` is in the scope of matchers without a band (no criterion left: every finding). */
function inScope(scope: Omit<Silence['matchers'], 'below'>, finding: Finding): boolean {
  const named = Object.values(scope).some((value) => value !== undefined);
  return !named || matchesSilence(scope, finding);
}

/**
 * The batch each silence adds to its tally: what it held (`held`, as `applySilences` gives it) and
 * what was worse than it (`worse`, as {@link worseThan} gives it), seen at `atMs`.
 */
export function tallyBatches(
  held: readonly { readonly routed: RoutedFinding; readonly silence: Pick<Silence, 'id'> }[],
  worse: ReadonlyMap<string, readonly Finding[]>,
  atMs: number,
): Map<string, TallyBatch> {
  const batches = new Map<string, { held: TalliedFinding[]; worse: TalliedFinding[] }>();
  const of = (id: string) => {
    const known = batches.get(id) ?? { held: [], worse: [] };
    batches.set(id, known);
    return known;
  };
  for (const { routed, silence } of held) of(silence.id).held.push(talliedFinding(routed.finding, atMs));
  for (const [id, findings] of worse) of(id).worse.push(...findings.map((finding) => talliedFinding(finding, atMs)));
  return batches;
}
