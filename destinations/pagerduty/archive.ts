import type { RecordFailure } from '../../core/port/destination.ts';
import { failsOver, type Failure } from '../../core/port/outcome.ts';
import type { RoutedFinding } from '../../core/types.ts';
import { laneTakes, routeFor } from '../../shared/config/derive.ts';
import type { HubConfig } from '../../shared/index.ts';
import { dedupKeyOf, followUpEvent } from './event.ts';
import { sendEvents, type EventMessage, type PagerDutyEnvironment } from './send.ts';

/**
 * Archived findings routed to a PagerDuty destination resolve their issue's alert (`resolve` with the
 * same `dedup_key`). GuardDuty keeps re-publishing an archived finding while it recurs, so each alert is
 * resolved once per consumer instance ({@link ResolvedKeys}); a finding below its route's threshold was
 * never paged and sends nothing. PagerDuty drops a resolve whose alert is not open (no harm when the
 * finding was never paged, or another instance resolved it already).
 */

/** Alerts this instance resolved, by `dedup_key`, forgotten after {@link RESOLVED_TTL_MS} or when it triggers one again. */
export class ResolvedKeys {
  readonly #resolvedAtMs = new Map<string, number>();

  /** True when `key` was resolved here within the last {@link RESOLVED_TTL_MS}. */
  has(key: string, nowMs: number): boolean {
    const at = this.#resolvedAtMs.get(key);
    return at !== undefined && nowMs - at < RESOLVED_TTL_MS;
  }

  /** Remembers `key` as resolved at `nowMs` (the oldest entry goes past {@link RESOLVED_KEYS_KEPT}). */
  add(key: string, nowMs: number): void {
    this.#resolvedAtMs.delete(key);
    this.#resolvedAtMs.set(key, nowMs);
    if (this.#resolvedAtMs.size > RESOLVED_KEYS_KEPT) {
      const oldest = this.#resolvedAtMs.keys().next().value;
      if (oldest !== undefined) this.#resolvedAtMs.delete(oldest);
    }
  }

  /** Forgets `key` (its alert was triggered again). */
  forget(key: string): void {
    this.#resolvedAtMs.delete(key);
  }
}

/**
 * How long a resolve is remembered, in milliseconds (6 h). Another instance may trigger the same key
 * meanwhile; an archived copy reaching this instance then leaves the alert open until this passes: a page
 * left open, never one closed too early.
 */
export const RESOLVED_TTL_MS = 6 * 3_600_000;

/** Most keys remembered per instance. */
export const RESOLVED_KEYS_KEPT = 10_000;

/**
 * Resolves the alerts of `archived` (one event per `dedup_key`). Returns the records to hand back (no
 * time left, PagerDuty failing) or dead-letter (PagerDuty refused the resolve); a destination gone or
 * without a readable key leaves its records skipped (no alert there to close).
 */
export async function resolveArchived(
  archived: readonly RoutedFinding[],
  config: Pick<HubConfig, 'accounts' | 'defaults' | 'destinations'>,
  env: PagerDutyEnvironment,
  resolved: ResolvedKeys,
  deadlineMs: number,
): Promise<ReadonlyMap<string, RecordFailure>> {
  const byKey = new Map<string, EventMessage>();
  const nowMs = env.now();
  for (const routed of archived) {
    const key = resolvedKeyOf(routed.destination, routed.finding);
    const route = routeFor(config, routed.finding.accountId);
    const lane = route.lanes.find((one) => one.destination === routed.destination);
    const { severity, sequence } = routed.finding;
    const paged = severity >= route.minScore && lane !== undefined && laneTakes(lane, severity, sequence !== undefined);
    if (!paged || resolved.has(key, nowMs)) continue;
    const message = byKey.get(key);
    byKey.set(key, {
      destination: routed.destination,
      kind: 'single',
      payload: followUpEvent('resolve', routed.finding),
      findings: [...(message?.findings ?? []), routed],
    });
  }
  const keys = [...byKey.keys()];
  const outcomes = await sendEvents([...byKey.values()], env, deadlineMs);
  const failures = new Map<string, RecordFailure>();
  outcomes.forEach((outcome, i) => {
    const key = keys[i];
    if (outcome.status === 'delivered' && key !== undefined) resolved.add(key, env.now());
    if (outcome.status === 'delivered' || failsOver(outcome.failure)) return;
    const failure = recordFailure(outcome.failure);
    for (const routed of outcome.message.findings)
      for (const messageId of routed.messageIds) failures.set(messageId, failure);
  });
  return failures;
}

/** The key {@link ResolvedKeys} holds for a trigger sent to `destination`. */
export function resolvedKeyOf(destination: string, finding: Parameters<typeof dedupKeyOf>[0]): string {
  return `${destination}\n${dedupKeyOf(finding)}`;
}

/** What a failed resolve makes of its records: try again (at `retryAtMs`), or, refused for good, the DLQ. */
function recordFailure(failure: Failure): RecordFailure {
  if (failure.class === 'refused') return { reason: failure.reason, deadLetter: 'rejected' };
  return failure.retryAtMs === undefined
    ? { reason: failure.reason }
    : { reason: failure.reason, retryAtMs: failure.retryAtMs };
}
