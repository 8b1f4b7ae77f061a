import { SEVERITY_BANDS, thresholdScore } from '../../shared/severity.ts';
import type { Silence } from '../../shared/silences.ts';
import type { Finding, RoutedFinding } from '../types.ts';
import { matchesSilence } from './apply.ts';
import {
  OTHER_KEY,
  TALLY_LATEST,
  TALLY_MAX_KEYS,
  TALLY_TEXT_CHARS,
  type SilenceTally,
  type TalliedFinding,
  type TallyBatch,
} from './tally-types.ts';

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

/** A tally from a parsed value (JSON kept in the table, a recap's detail): what is not one is left out. */
export function tallyFrom(value: unknown): SilenceTally {
  const record = (part: unknown) =>
    part !== null && typeof part === 'object' && !Array.isArray(part) ? (part as Record<string, unknown>) : {};
  const counts = (part: unknown) =>
    Object.fromEntries(Object.entries(record(part)).filter(([, n]) => typeof n === 'number' && Number.isFinite(n)));
  const list = (part: unknown) => (Array.isArray(part) ? part.filter(isTallied).slice(0, TALLY_LATEST) : []);
  const whole = record(value);
  const worse = record(whole.worse);
  return {
    byType: counts(whole.byType) as Record<string, number>,
    byAccount: counts(whole.byAccount) as Record<string, number>,
    byBand: counts(whole.byBand) as Record<string, number>,
    latest: list(whole.latest),
    worse: { count: typeof worse.count === 'number' ? worse.count : 0, latest: list(worse.latest) },
  };
}

/** True for a {@link TalliedFinding}. */
function isTallied(value: unknown): value is TalliedFinding {
  if (value === null || typeof value !== 'object') return false;
  const f = value as Record<string, unknown>;
  const texts = [f.id, f.type, f.accountId, f.region, f.title].every((text) => typeof text === 'string');
  const numbers = [f.severity, f.atMs].every((n) => typeof n === 'number' && Number.isFinite(n));
  return texts && numbers && SEVERITY_BANDS.some((band) => band === f.band);
}
