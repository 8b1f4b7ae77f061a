import { SUPPRESS_BACKTEST_DAYS } from '../../../shared/index.ts';
import { SEVERITY_BANDS, type SeverityBand } from '../../../shared/severity.ts';
import type { FindingHistory, RecordedFinding } from '../../../core/repeats/history.ts';
import type { SuppressCriteria } from './criteria.ts';

/**
 * What a "Suppress like this" filter would have matched: the GuardDuty findings the hub notified in
 * the last {@link SUPPRESS_BACKTEST_DAYS} days (from the state table's finding history) that meet every
 * criterion of the filter, counted once each (a finding routed to two destinations has two records).
 */

/** The figures the modal shows. */
export interface Backtest {
  /** Distinct findings matched. */
  readonly total: number;
  /** Per account (sorted by count, then id): findings per severity band. */
  readonly byAccount: readonly { readonly accountId: string; readonly bands: Readonly<Record<SeverityBand, number>> }[];
  /** Of `total`, those that named the attack sequence they belong to. */
  readonly inSequence: number;
  /** False when the history stopped at its cap: the figures are then lower bounds. */
  readonly complete: boolean;
}

const MS_PER_DAY = 86_400_000;

/** True when `found` meets every criterion (`type`, `accountId`, `region`, or the one resource field it carries). */
export function meetsCriteria(found: RecordedFinding, criteria: SuppressCriteria): boolean {
  return Object.entries(criteria).every(([field, { Equals }]) => {
    if (field === 'type') return Equals.includes(found.type);
    if (field === 'accountId') return Equals.includes(found.accountId);
    if (field === 'region') return Equals.includes(found.region);
    return found.resource?.field === field && Equals.includes(found.resource.value);
  });
}

/** Counts what `criteria` would have matched in the window ending at `nowMs`. */
export async function backtest(history: FindingHistory, criteria: SuppressCriteria, nowMs: number): Promise<Backtest> {
  const type = criteria.type?.Equals[0] ?? '';
  const accounts = criteria.accountId?.Equals ?? [];
  const answer = await history.recent({
    type,
    ...(accounts.length === 1 && accounts[0] !== undefined ? { accountId: accounts[0] } : {}),
    sinceMs: nowMs - SUPPRESS_BACKTEST_DAYS * MS_PER_DAY,
  });
  const latest = new Map<string, RecordedFinding>();
  for (const found of answer.findings) {
    if (!meetsCriteria(found, criteria)) continue;
    const seen = latest.get(found.findingId);
    if (seen === undefined || seen.notifiedAtMs < found.notifiedAtMs) latest.set(found.findingId, found);
  }
  const perAccount = new Map<string, Record<SeverityBand, number>>();
  for (const found of latest.values()) {
    const bands = perAccount.get(found.accountId) ?? { low: 0, medium: 0, high: 0, critical: 0 };
    bands[found.band] += 1;
    perAccount.set(found.accountId, bands);
  }
  const sum = (bands: Record<SeverityBand, number>) => SEVERITY_BANDS.reduce((n, band) => n + bands[band], 0);
  const byAccount = [...perAccount.entries()]
    .sort(([a, x], [b, y]) => sum(y) - sum(x) || (a < b ? -1 : 1))
    .map(([accountId, bands]) => ({ accountId, bands }));
  const inSequence = [...latest.values()].filter((found) => found.inSequence).length;
  return { total: latest.size, byAccount, inSequence, complete: answer.complete };
}
