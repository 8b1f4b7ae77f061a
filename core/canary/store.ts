/**
 * A region's canary item in the state table. The consumer only adds (an arrival and the sample's id to
 * archive), the drift check only sets its own fields, so neither overwrites the other.
 */

/** One canary the consumer received. */
export interface CanaryArrival {
  readonly region: string;
  /** The sample finding's id (archived by the drift check afterwards). */
  readonly findingId: string;
  /** When the consumer received it, epoch ms (the consumer's clock). */
  readonly atMs: number;
}

/** The fields the drift check keeps (see `CANARY_ATTRIBUTES` in shared/canary.ts). */
export interface CanaryCheckFields {
  readonly seenArrivals?: number;
  readonly seenAtMs?: number;
  readonly sentAtMs?: number;
  readonly firstSentAtMs?: number;
  /** Why the last canary could not be made; `null` clears it. */
  readonly sendError?: string | null;
}

/** A region's canary item as read. */
export interface CanaryRecord extends CanaryCheckFields {
  /** Canaries received so far. */
  readonly arrivals: number;
  /** When the last one was received, epoch ms (the consumer's clock). */
  readonly arrivedAtMs?: number;
  /** Ids of received canaries not archived yet. */
  readonly toArchive: readonly string[];
}

/** Where canary items live: the state table in Lambda, memory in tests. */
export interface CanaryStore {
  /** Counts arrivals (the consumer); adds in place, so concurrent instances never lose one. */
  arrived(arrivals: readonly CanaryArrival[]): Promise<void>;
  /** A region's item; an empty record when there is none. */
  load(region: string): Promise<CanaryRecord>;
  /** Sets the drift check's fields of a region's item. */
  update(region: string, fields: CanaryCheckFields): Promise<void>;
  /** Takes archived ids out of the region's `toArchive`. */
  archived(region: string, findingIds: readonly string[]): Promise<void>;
}

/** The record of a region with no canary item yet. */
export const NO_CANARY: CanaryRecord = { arrivals: 0, toArchive: [] };

/** Arrivals by region: how many, the latest time and the ids. */
export function byRegion(
  arrivals: readonly CanaryArrival[],
): Map<string, { count: number; atMs: number; ids: string[] }> {
  const out = new Map<string, { count: number; atMs: number; ids: string[] }>();
  for (const { region, findingId, atMs } of arrivals) {
    const entry = out.get(region) ?? { count: 0, atMs, ids: [] };
    entry.count += 1;
    entry.atMs = Math.max(entry.atMs, atMs);
    if (!entry.ids.includes(findingId)) entry.ids.push(findingId);
    out.set(region, entry);
  }
  return out;
}

/** A canary item judged at a time: nothing made yet, or its age against the budget. */
export type CanaryJudgement =
  | { readonly status: 'waiting' }
  | { readonly status: 'arriving' | 'late'; readonly ageSeconds: number };

/**
 * How a region's canary stands at `nowMs`: its age counts from the last arrival the drift check saw
 * (or from the first canary made, when none arrived yet); late once it is over `budgetSeconds`. The
 * drift check alerts on this, and `status` shows it.
 */
export function judgeCanary(record: CanaryRecord, budgetSeconds: number, nowMs: number): CanaryJudgement {
  const since = record.seenAtMs ?? record.firstSentAtMs;
  if (since === undefined) return { status: 'waiting' };
  const ageSeconds = Math.max(0, Math.round((nowMs - since) / 1000));
  return { status: ageSeconds > budgetSeconds ? 'late' : 'arriving', ageSeconds };
}
