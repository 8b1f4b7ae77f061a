import type { HubConfig } from '../shared/index.ts';
import {
  deliverMessages,
  emptyStats,
  WebhookSecretError,
  type DeliveryEnvironment,
  type DeliveryStats,
  type MessageOutcome,
} from './deliver/index.ts';
import { renderMessages } from './render/index.ts';
import { routeBatch } from './route/index.ts';
import type { ConsumerLogger } from './log.ts';
import type { OutgoingMessage, RoutedFinding, SkipReason } from './types.ts';

/** Why one record of the batch failed. */
export interface RecordFailure {
  readonly reason: string;
  /** When the destination is expected to accept again (ms since the epoch); set for deferred deliveries. */
  readonly retryAtMs?: number;
}

/** What became of a batch. */
export interface BatchResult {
  /** Failed records by message id; every other record succeeded or was skipped on purpose. */
  readonly failures: ReadonlyMap<string, RecordFailure>;
  readonly findingsReceived: number;
  readonly findingsDelivered: number;
  readonly skipped: Readonly<Partial<Record<SkipReason, number>>>;
  readonly invalidRecords: number;
  /** Message ids of the records that are not finding events. */
  readonly invalidMessageIds: readonly string[];
  readonly delivery: DeliveryStats;
}

/** One SQS record as the batch stage sees it. */
export interface BatchRecord {
  readonly messageId: string;
  readonly body: string;
}

/**
 * Routes, renders and delivers a whole batch (collapsing and digests work across it), then works
 * out each record's fate: a record fails when it is not a finding, or when a message holding its
 * finding was not delivered. Findings a destination refuses for good go to `defaults.destination`
 * with a note saying why; if that fails too, their records fail.
 */
export async function processBatch(
  records: readonly BatchRecord[],
  config: HubConfig,
  env: DeliveryEnvironment & { readonly logger: ConsumerLogger },
  deadlineMs: number,
): Promise<BatchResult> {
  const failures = new Map<string, RecordFailure>();
  const routing = routeBatch(
    records.map(({ messageId, body }) => ({ messageId, body })),
    config,
  );
  for (const { messageId, reason } of routing.failed) {
    env.logger.error('Record is not a GuardDuty finding event', { messageId, reason });
    failures.set(messageId, { reason: `invalid record: ${reason}` });
  }
  const skipped: Partial<Record<SkipReason, number>> = {};
  for (const { reason } of routing.skipped) skipped[reason] = (skipped[reason] ?? 0) + 1;

  const stats = emptyStats();
  const first = await deliverMessages(renderMessages(routing.routed, config), env, deadlineMs, stats);
  const outcomeOf = new Map<RoutedFinding, MessageOutcome>();
  for (const outcome of first) for (const routed of outcome.message.findings) outcomeOf.set(routed, outcome);

  const rerouted = await rerouteRejected(first, config, env, deadlineMs, stats);
  for (const [routed, outcome] of rerouted) outcomeOf.set(routed, outcome);

  let findingsDelivered = 0;
  for (const routed of routing.routed) {
    const outcome = outcomeOf.get(routed) ?? findById(outcomeOf, routed);
    if (outcome?.status === 'delivered') {
      findingsDelivered += 1;
      continue;
    }
    const failure: RecordFailure = !outcome
      ? { reason: 'no message was rendered for the finding' }
      : outcome.status === 'deferred'
        ? { reason: `not delivered to ${outcome.message.destination} in time`, retryAtMs: outcome.retryAtMs }
        : { reason: outcome.error.message };
    for (const messageId of routed.messageIds) failures.set(messageId, worse(failures.get(messageId), failure));
  }

  return {
    failures,
    findingsReceived: records.length - routing.failed.length,
    findingsDelivered,
    skipped,
    invalidRecords: routing.failed.length,
    invalidMessageIds: routing.failed.map((f) => f.messageId),
    delivery: stats,
  };
}

/**
 * Sends the findings of refused messages to the default destination, one note per refusing
 * destination. Returns the new outcome of each rerouted finding (keyed by the original `RoutedFinding`).
 */
async function rerouteRejected(
  outcomes: readonly MessageOutcome[],
  config: HubConfig,
  env: DeliveryEnvironment,
  deadlineMs: number,
  stats: DeliveryStats,
): Promise<Map<RoutedFinding, MessageOutcome>> {
  const fallback = config.defaults.destination;
  const notes = new Map<string, { note: string; findings: RoutedFinding[] }>();
  for (const outcome of outcomes) {
    if (outcome.status !== 'rejected' || outcome.message.destination === fallback) continue;
    const { destination } = outcome.message;
    const entry = notes.get(destination) ?? { note: refusalNote(destination, outcome.error), findings: [] };
    entry.findings.push(...outcome.message.findings);
    notes.set(destination, entry);
  }
  const result = new Map<RoutedFinding, MessageOutcome>();
  if (notes.size === 0) return result;

  const originals = new Map<RoutedFinding, RoutedFinding>();
  const messages: OutgoingMessage[] = [];
  for (const [destination, { note, findings }] of notes) {
    const moved = findings.map((routed) => {
      const copy: RoutedFinding = { ...routed, destination: fallback };
      originals.set(copy, routed);
      return copy;
    });
    env.logger.warn('Sending findings to the default destination instead', { destination, fallback, findings: findings.length });
    messages.push(...renderMessages(moved, config, { note: () => note }));
  }
  for (const outcome of await deliverMessages(messages, env, deadlineMs, stats)) {
    for (const copy of outcome.message.findings) {
      const original = originals.get(copy) ?? [...originals].find(([c]) => c.finding.id === copy.finding.id)?.[1];
      if (original) result.set(original, outcome);
    }
  }
  return result;
}

/** The note on a rerouted finding: "Sent here because <destination> answered <status> <body>". */
export function refusalNote(destination: string, error: { readonly status: number | undefined; readonly message: string; readonly body?: string }): string {
  if (error instanceof WebhookSecretError) return `Sent here because the webhook of ${destination} could not be read`;
  return `Sent here because ${destination} answered ${error.status ?? ''} ${error.body ?? ''}`.trim();
}

function findById(outcomes: ReadonlyMap<RoutedFinding, MessageOutcome>, routed: RoutedFinding): MessageOutcome | undefined {
  for (const [candidate, outcome] of outcomes) if (candidate.finding.id === routed.finding.id) return outcome;
  return undefined;
}

/** Of two failures of one record, the one that keeps it longest (a record is as late as its latest finding). */
function worse(current: RecordFailure | undefined, next: RecordFailure): RecordFailure {
  if (!current) return next;
  if (current.retryAtMs === undefined) return current;
  if (next.retryAtMs === undefined) return next;
  return next.retryAtMs > current.retryAtMs ? next : current;
}
