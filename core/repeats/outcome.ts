import type { RoutedFinding } from '../types.ts';
import type { NotifiedState } from './decide.ts';
import { factsOf } from './facts.ts';
import { expiresAtSeconds, findingRecordExpiresAtSeconds, type RepeatSettings } from './settings.ts';
import { RepeatStateError } from './errors.ts';
import type { Deferral, GateResult } from './gate-types.ts';
import { singleton, type NotifyGroup } from './group.ts';

/** Collects where each finding went. */
export class Outcome {
  readonly notify: NotifyGroup[] = [];
  readonly repeats: RoutedFinding[];
  readonly deferred: Deferral[] = [];
  readonly errors: RepeatStateError[] = [];

  constructor(superseded: readonly RoutedFinding[]) {
    this.repeats = [...superseded];
  }

  /** A finding already notified (a committed message covers it): its record is acknowledged. */
  repeat(routed: RoutedFinding): void {
    this.repeats.push(routed);
  }

  /** A finding someone is notifying right now, or must be decided again: handed back until `retryAtMs`. */
  defer(routed: RoutedFinding, retryAtMs: number): void {
    this.deferred.push({ routed, retryAtMs });
  }

  result(): GateResult {
    return { notify: this.notify, repeats: this.repeats, deferred: this.deferred, errors: this.errors };
  }
}

/** Every finding notified on its own, nothing claimed: when the state table cannot be read. */
export function failOpen(
  latest: readonly RoutedFinding[],
  superseded: readonly RoutedFinding[],
): Omit<GateResult, 'errors'> {
  return { notify: latest.map((item) => singleton(item, 'new')), repeats: [...superseded], deferred: [] };
}

/** What `routed` notified at `nowMs`, naming `regions`: the state a finalize (or an issue record) writes. */
export function stateOf(routed: RoutedFinding, regions: readonly string[], nowMs: number): NotifiedState {
  const { band, severity, count } = routed.finding;
  return { notifiedAtMs: nowMs, band, severity, count, destination: routed.destination, regions };
}

/**
 * What a finding's own record gets when its notification is committed: {@link stateOf} with the
 * finding's facts (a GuardDuty finding), and its TTL (such a record outlives the suppress backtest).
 */
export function findingCommitOf(
  routed: RoutedFinding,
  nowMs: number,
  settings: RepeatSettings,
): { readonly state: NotifiedState; readonly ttl: number } {
  const facts = factsOf(routed.finding);
  const state = { ...stateOf(routed, [routed.finding.region], nowMs), ...(facts === undefined ? {} : { facts }) };
  const ttl = facts === undefined ? expiresAtSeconds(nowMs, settings) : findingRecordExpiresAtSeconds(nowMs, settings);
  return { state, ttl };
}

/** `items` grouped by `keyOf`, groups in order of first appearance, items in input order. */
export function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [item]);
    else group.push(item);
  }
  return groups;
}

/** `error` as a {@link RepeatStateError} of `operation` on `key` (kept as is when it already is one). */
export function asStateError(error: unknown, operation: string, key: string): RepeatStateError {
  return error instanceof RepeatStateError ? error : new RepeatStateError(operation, key, { cause: error });
}
