/**
 * When a record the consumer hands back is offered again. Each hand-back hides the record for a time
 * that doubles with its `ApproximateReceiveCount`, from `queue.redeliveryBaseSeconds` up to
 * `queue.redeliveryMaxSeconds` (SQS allows at most 12 hours), with a little jitter so that the records
 * of one outage do not all return at once. Over `queue.maxReceiveCount` receives this spans a Slack
 * outage of {@link outageSurvivedSeconds}; a record still undelivered on its last receive goes to the
 * DLQ with its reason. Pure: used by the consumer, the config rules and the documentation alike.
 */

/** The settings the schedule depends on (all from `queue:`). */
export interface RedeliverySettings {
  /** Hiding time after the first failed receive, in seconds. */
  readonly redeliveryBaseSeconds: number;
  /** Longest hiding time after one receive, in seconds (at most SQS's 43,200). */
  readonly redeliveryMaxSeconds: number;
  /** Receives before a record goes to the DLQ. */
  readonly maxReceiveCount: number;
}

/** Growth factor between two hand-backs. */
export const REDELIVERY_FACTOR = 2;

/** Jitter takes off at most this share of a hand-back's time (so the schedule never shrinks more). */
export const REDELIVERY_JITTER = 0.1;

/** SQS's longest visibility timeout, in seconds (12 hours). */
export const MAX_VISIBILITY_SECONDS = 43_200;

/** Hiding time after receive number `receiveCount` failed, before jitter, in seconds. */
export function redeliveryStepSeconds(receiveCount: number, settings: RedeliverySettings): number {
  const step = settings.redeliveryBaseSeconds * REDELIVERY_FACTOR ** Math.max(0, receiveCount - 1);
  return Math.min(settings.redeliveryMaxSeconds, MAX_VISIBILITY_SECONDS, step);
}

/** {@link redeliveryStepSeconds} with jitter: between (1 − {@link REDELIVERY_JITTER}) and 1 times the step. */
export function redeliverySeconds(
  receiveCount: number,
  settings: RedeliverySettings,
  random: () => number = Math.random,
): number {
  const step = redeliveryStepSeconds(receiveCount, settings);
  return Math.max(1, Math.round(step * (1 - REDELIVERY_JITTER * random())));
}

/**
 * The longest Slack outage after which a record that arrived when it began is still delivered, not
 * dead-lettered: the shortest possible time (all jitter taken) from its first receive to its last,
 * in seconds. The time each receive spends retrying inside the invocation only adds to it.
 */
export function outageSurvivedSeconds(settings: RedeliverySettings): number {
  let total = 0;
  for (let receive = 1; receive < settings.maxReceiveCount; receive += 1) {
    total += redeliveryStepSeconds(receive, settings) * (1 - REDELIVERY_JITTER);
  }
  return Math.floor(total);
}

/** The longest time a record can spend in the queue over all its receives, in seconds (no jitter, plus invocation time). */
export function longestStaySeconds(settings: RedeliverySettings, invocationSeconds: number): number {
  let total = settings.maxReceiveCount * invocationSeconds;
  for (let receive = 1; receive < settings.maxReceiveCount; receive += 1)
    total += redeliveryStepSeconds(receive, settings);
  return total;
}

/** Environment variable that gives the consumer the hub queue's URL (for `ChangeMessageVisibility`). */
export const QUEUE_URL_ENV = 'HUB_QUEUE_URL';
