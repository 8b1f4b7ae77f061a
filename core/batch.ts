import type { HubConfig } from '../shared/index.ts';
import { deliverToDestinations, showArchived } from './failover.ts';
import type { ConsumerLogger } from './log.ts';
import type { Destinations, RecordFailure } from './port/destination.ts';
import { emptyStats, failsOver, type DeliveryStats, type MessageOutcome } from './port/outcome.ts';
import {
  findingKey,
  passThroughGate,
  RepeatStateError,
  type GateResult,
  type NotifyGroup,
  type RepeatGate,
} from './repeats/index.ts';
import { routeBatch, type BatchRecord, type ParsedBodies } from './route/index.ts';
import { applySilences, tallyBatches, worseThan, type SilenceSource } from './silences/index.ts';
import type { CanaryStore } from './canary/index.ts';
import type { SkippedRecord } from './route/types.ts';
import type { RoutedFinding, SkipReason } from './types.ts';

export type { RecordFailure } from './port/destination.ts';

/** What became of a batch. */
export interface BatchResult {
  /** Failed records by message id; every other record succeeded or was skipped on purpose. */
  readonly failures: ReadonlyMap<string, RecordFailure>;
  readonly findingsReceived: number;
  /** Findings Slack accepted (a message naming several regions counts each region's finding). */
  readonly findingsDelivered: number;
  /** `findingsDelivered` by the type of the destination that took them (`pagerduty`, `slack-app`, …). */
  readonly deliveredByType: Readonly<Record<string, number>>;
  /** Records skipped on purpose, by reason (`repeat`: the repeat gate found nothing new). */
  readonly skipped: Readonly<Partial<Record<SkipReason, number>>>;
  readonly invalidRecords: number;
  /** Message ids of the records that are not finding events. */
  readonly invalidMessageIds: readonly string[];
  /** Records handed back because a claim on their finding was live (a message about it in flight). */
  readonly repeatsDeferred: number;
  /** Failed reads and writes of the repeat state (the gate failed open: more messages, never fewer). */
  readonly repeatStoreErrors: number;
  readonly delivery: DeliveryStats;
}

/** What {@link processBatch} needs: the destinations, a logger, a clock and the repeat gate. */
export interface BatchEnvironment {
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  readonly logger: ConsumerLogger;
  /** Decides which findings are news (`passThroughGate()` notifies every one). */
  readonly repeats: RepeatGate;
  /** The destination types (adapters) of this consumer instance. */
  readonly destinations: Destinations;
  /** Bodies parsed already by whoever made the records (replay); without it, every body is parsed. */
  readonly parsedBody?: ParsedBodies;
  /** The silences that hold findings back, and where their counts go; none when absent. */
  readonly silences?: SilenceSource;
  /** Where canary arrivals are counted; without it a canary is skipped uncounted. */
  readonly canaries?: CanaryStore;
}

/** The reason given for a record whose finding has a live claim: a message about it is in flight. */
function inFlight(retryAtMs: number): string {
  return `a message about this finding is in flight (claim held until ${new Date(retryAtMs).toISOString()})`;
}

/**
 * Routes, passes through the repeat gate, renders and delivers a whole batch (collapsing, folding
 * and digests work across it), then works out each record's fate: a record fails when it is not a
 * finding, when another instance is deciding about its finding (it returns after the queue's
 * visibility timeout), or when a message holding its finding was not delivered. Findings a
 * destination refuses for good go to `defaults.destination` with a note saying why; if that fails
 * too, their records fail. Groups Slack accepted are committed to the gate; the others released.
 */
export async function processBatch(
  records: readonly BatchRecord[],
  config: HubConfig,
  env: BatchEnvironment,
  deadlineMs: number,
): Promise<BatchResult> {
  const failures = new Map<string, RecordFailure>();
  const routing = routeBatch(records, config, env.parsedBody ? { parsedBody: env.parsedBody } : {});
  for (const { messageId, reason } of routing.failed) {
    env.logger.error('Record is not a GuardDuty finding event', { messageId, reason });
    failures.set(messageId, { reason: `invalid record: ${reason}`, deadLetter: 'invalid' });
  }
  const stats = emptyStats();
  const pass = { config, deadlineMs, stats };
  const skipped = await settleSkipped(routing.skipped, env, pass, failures);

  const toNotify = await silence(env, routing.routed, skipped);
  const gated = await filterOrFailOpen(env, toNotify);
  let repeatStoreErrors = logStoreErrors(env.logger, gated.errors, 'Repeat state unavailable: notifying without it');
  const repeatsDeferred = countGated(gated, env.logger, failures, skipped);

  let outcomeOf: ReadonlyMap<RoutedFinding, MessageOutcome>;
  try {
    outcomeOf = await deliverToDestinations(gated.notify, env.destinations, pass, env.logger);
  } catch (error) {
    // Nothing is recorded as notified: drop the claims so the redelivered records are decided afresh.
    await settleGroups(env, [], gated.notify);
    throw error;
  }

  const { findingsDelivered, deliveredByType, delivered, undelivered } = sortOutcomes(
    gated.notify,
    outcomeOf,
    failures,
    (destination) => env.destinations.of(destination).type,
  );
  repeatStoreErrors += await settleGroups(env, delivered, undelivered);

  return {
    failures,
    findingsReceived: records.length - routing.failed.length,
    findingsDelivered,
    deliveredByType,
    skipped,
    invalidRecords: routing.failed.length,
    invalidMessageIds: routing.failed.map((f) => f.messageId),
    repeatsDeferred,
    repeatStoreErrors,
    delivery: stats,
  };
}

/**
 * Holds back what an active silence matches: each of its records skipped as `silenced`, logged with the
 * silence, and counted and tallied for the silence in its store (with what its band let through, for its
 * recap). The rest goes on.
 */
async function silence(
  env: BatchEnvironment,
  routed: readonly RoutedFinding[],
  skipped: Partial<Record<SkipReason, number>>,
): Promise<RoutedFinding[]> {
  if (env.silences === undefined) return [...routed];
  const active = await env.silences.active(env.now());
  const { kept, held } = applySilences(routed, active);
  const counts = new Map<string, number>();
  for (const { routed: entry, silence: by } of held) {
    skipped.silenced = (skipped.silenced ?? 0) + entry.messageIds.length;
    counts.set(by.id, (counts.get(by.id) ?? 0) + 1);
    env.logger.info('Finding silenced', {
      findingId: entry.finding.id,
      silence: by.id,
      until: new Date(by.endsAtMs).toISOString(),
    });
  }
  await env.silences.held(counts, tallyBatches(held, worseThan(kept, active), env.now()));
  return kept;
}

/**
 * Counts the records skipped on purpose by reason, after the two that still have work: an archived
 * finding is marked archived where living messages are kept (each finding once at each destination,
 * however many records carried it), a canary is counted as arrived. A record whose work failed fails.
 */
async function settleSkipped(
  skippedRecords: readonly SkippedRecord[],
  env: BatchEnvironment,
  pass: Parameters<typeof showArchived>[2],
  failures: Map<string, RecordFailure>,
): Promise<Partial<Record<SkipReason, number>>> {
  const skipped: Partial<Record<SkipReason, number>> = {};
  for (const { reason } of skippedRecords) skipped[reason] = (skipped[reason] ?? 0) + 1;
  const archivedRouted = [
    ...new Set(skippedRecords.flatMap((record) => (record.reason === 'archived' ? (record.routedTo ?? []) : []))),
  ];
  const archived = await showArchived(archivedRouted, env.destinations, pass);
  for (const [messageId, failure] of archived) failures.set(messageId, failure);
  if (archived.size > 0) skipped.archived = (skipped.archived ?? 0) - archived.size;
  for (const [messageId, failure] of await countCanaries(env, skippedRecords)) {
    failures.set(messageId, failure);
    skipped.canary = (skipped.canary ?? 0) - 1;
  }
  return skipped;
}

/**
 * Counts the canaries of the batch as arrived in their region's item. If that write fails their records
 * fail (and come back), so an arrival is never lost to a false "late" alert.
 */
async function countCanaries(
  env: BatchEnvironment,
  skippedRecords: readonly SkippedRecord[],
): Promise<Map<string, RecordFailure>> {
  const canaries = skippedRecords.flatMap(({ reason, finding, messageId }) =>
    reason === 'canary' && finding !== undefined ? [{ messageId, region: finding.region, findingId: finding.id }] : [],
  );
  if (canaries.length === 0 || env.canaries === undefined) return new Map();
  const atMs = env.now();
  try {
    await env.canaries.arrived(canaries.map(({ region, findingId }) => ({ region, findingId, atMs })));
    for (const { region, findingId } of canaries) env.logger.info('Canary arrived', { region, findingId });
    return new Map();
  } catch (error) {
    const reason = `canary arrival not recorded: ${error instanceof Error ? error.message : String(error)}`;
    env.logger.error('Canary arrival not recorded', { reason, records: canaries.length });
    return new Map(canaries.map(({ messageId }) => [messageId, { reason }]));
  }
}

/**
 * Counts what the repeat gate held back: repeats are skipped (`skipped.repeat`), records of a finding
 * with a live claim fail until the claim ends. Logs each group to notify. Returns the records deferred.
 */
function countGated(
  gated: GateResult,
  logger: ConsumerLogger,
  failures: Map<string, RecordFailure>,
  skipped: Partial<Record<SkipReason, number>>,
): number {
  // A record routed to several destinations counts once: as a repeat only when no destination takes it.
  const deferred = new Set<string>();
  for (const { routed, retryAtMs } of gated.deferred) {
    for (const messageId of routed.messageIds) {
      failures.set(messageId, { reason: inFlight(retryAtMs), retryAtMs });
      deferred.add(messageId);
    }
  }
  const taken = new Set([...deferred, ...gated.notify.flatMap((group) => group.messageIds)]);
  const repeatRecords = new Set(gated.repeats.flatMap((routed) => routed.messageIds).filter((id) => !taken.has(id)));
  if (repeatRecords.size > 0) skipped.repeat = (skipped.repeat ?? 0) + repeatRecords.size;
  for (const group of gated.notify) {
    logger.debug('Notifying', {
      findingId: group.finding.id,
      destination: group.destination,
      why: group.why,
      regions: group.regions,
      findings: group.members.length,
    });
  }
  return deferred.size;
}

/** Splits the notified groups into delivered and undelivered, failing the records of the undelivered ones. */
function sortOutcomes(
  groups: readonly NotifyGroup[],
  outcomeOf: ReadonlyMap<RoutedFinding, MessageOutcome>,
  failures: Map<string, RecordFailure>,
  typeOf: (destination: string) => string,
): {
  findingsDelivered: number;
  deliveredByType: Record<string, number>;
  delivered: NotifyGroup[];
  undelivered: NotifyGroup[];
} {
  let findingsDelivered = 0;
  const deliveredByType: Record<string, number> = {};
  const delivered: NotifyGroup[] = [];
  const undelivered: NotifyGroup[] = [];
  for (const group of groups) {
    // Rendering keeps each group's identity, so every rendered group has an outcome.
    const outcome = outcomeOf.get(group);
    if (outcome?.status === 'delivered') {
      findingsDelivered += group.members.length;
      // The destination that took it: the group's own, or the default it failed over to.
      const type = typeOf(outcome.message.destination);
      deliveredByType[type] = (deliveredByType[type] ?? 0) + group.members.length;
      delivered.push(group);
      continue;
    }
    undelivered.push(group);
    const failure = failureOf(outcome);
    for (const messageId of group.messageIds) failures.set(messageId, worse(failures.get(messageId), failure));
  }
  return { findingsDelivered, deliveredByType, delivered, undelivered };
}

/**
 * Tells the gate what Slack accepted (recorded as notified) and what it did not (claims dropped, so
 * the retry decides afresh). Returns the number of state errors. Never throws: the messages are sent,
 * and a failed write can only cause a repeat message later.
 */
async function settleGroups(
  env: BatchEnvironment,
  delivered: readonly NotifyGroup[],
  undelivered: readonly NotifyGroup[],
): Promise<number> {
  let errors = 0;
  if (delivered.length > 0) {
    try {
      const report = await env.repeats.commit(delivered, env.now());
      errors += logStoreErrors(env.logger, report.errors, 'Could not record a notification: it may be sent again');
      if (report.lost > 0)
        env.logger.warn('Claims expired before the notification was recorded: it may be sent again', {
          lost: report.lost,
        });
    } catch (error) {
      errors += 1;
      env.logger.warn('Could not record notifications: they may be sent again', {
        groups: delivered.length,
        error: String(error),
      });
    }
  }
  if (undelivered.length > 0) {
    try {
      const report = await env.repeats.release(undelivered);
      errors += logStoreErrors(
        env.logger,
        report.errors,
        'Could not release a repeat claim: the finding waits until it expires',
      );
    } catch (error) {
      errors += 1;
      env.logger.warn('Could not release repeat claims: the findings wait until they expire', {
        groups: undelivered.length,
        error: String(error),
      });
    }
  }
  return errors;
}

/** What an undelivered group's records become: retried later, or dead-lettered when no retry can help. */
function failureOf(outcome: MessageOutcome | undefined): RecordFailure {
  if (outcome === undefined || outcome.status === 'delivered') return { reason: 'no message was made for the finding' };
  const { failure } = outcome;
  // Refused for good, or gone with nowhere left to go (the default destination itself): the DLQ at once.
  if (failure.class === 'refused' || failsOver(failure)) return { reason: failure.reason, deadLetter: 'rejected' };
  return failure.retryAtMs === undefined
    ? { reason: failure.reason }
    : { reason: failure.reason, retryAtMs: failure.retryAtMs };
}

/** The gate's verdict; should the gate itself throw, every finding is notified on its own (never silence). */
async function filterOrFailOpen(env: BatchEnvironment, routed: readonly RoutedFinding[]): Promise<GateResult> {
  try {
    return await env.repeats.filter(routed, env.now());
  } catch (error) {
    const failOpen = await passThroughGate().filter(routed, env.now());
    return {
      ...failOpen,
      errors: [
        new RepeatStateError('filter', routed[0] === undefined ? '' : findingKey(routed[0].finding), { cause: error }),
      ],
    };
  }
}

function logStoreErrors(logger: ConsumerLogger, errors: readonly RepeatStateError[], message: string): number {
  for (const error of errors)
    logger.warn(message, { operation: error.operation, key: error.key, error: error.message });
  return errors.length;
}

/**
 * Of two failures of one record (a record collapsed into two groups), the one to act on: a retry
 * before a dead letter (never give up on what may still be delivered), then the latest retry.
 */
function worse(current: RecordFailure | undefined, next: RecordFailure): RecordFailure {
  if (!current) return next;
  if ((current.deadLetter === undefined) !== (next.deadLetter === undefined))
    return current.deadLetter === undefined ? current : next;
  if (current.retryAtMs === undefined) return current;
  if (next.retryAtMs === undefined) return next;
  return next.retryAtMs > current.retryAtMs ? next : current;
}
