/**
 * What the consumer writes on a record it moves to the hub queue's DLQ itself, and what `dlq peek`
 * reads back. The consumer moves a record when it gives up on it (a record that is not a finding
 * event, at once; any other record on its last allowed receive), so that the reason travels with it.
 * Records SQS moved on its own (the consumer crashed or timed out on their last receive) carry none.
 * Pure constants: safe in the Lambda bundle.
 */

/**
 * SQS message attribute names (String attributes). SQS allows letters, digits, `_`, `-` and `.`, up to
 * 256 characters, and reserves the prefixes `AWS.` and `Amazon.`.
 */
export const DEAD_LETTER_ATTRIBUTES = {
  /** Why the consumer gave up on the record, one line, never a URL or token. */
  reason: 'GuardDutyHub.Reason',
  /** The kind of failure: one of {@link DEAD_LETTER_KINDS}. */
  kind: 'GuardDutyHub.Kind',
  /** The record's `ApproximateReceiveCount` when it was moved. */
  receiveCount: 'GuardDutyHub.ReceiveCount',
  /** The SQS message id the record had in the hub queue. */
  sourceMessageId: 'GuardDutyHub.SourceMessageId',
  /** When it was moved, ISO 8601. */
  movedAt: 'GuardDutyHub.MovedAt',
} as const;

/**
 * Kinds of dead letter: `invalid` (not a GuardDuty finding event: moved after one receive),
 * `rejected` (Slack refused the finding for good, also at the default destination),
 * `undelivered` (still not delivered on the last allowed receive: an outage longer than the queue
 * settings survive).
 */
export const DEAD_LETTER_KINDS = ['invalid', 'rejected', 'undelivered'] as const;

/** One of {@link DEAD_LETTER_KINDS}. */
export type DeadLetterKind = (typeof DEAD_LETTER_KINDS)[number];

/** Longest reason kept, in characters (SQS attributes count toward the 256 KiB message size). */
export const DEAD_LETTER_REASON_MAX_CHARS = 1_000;

/** Environment variable that gives the consumer the hub DLQ's URL. */
export const DLQ_URL_ENV = 'HUB_DLQ_URL';
