import type { RoutedFinding } from '../types.ts';

/**
 * The destination port's vocabulary: what an adapter says became of a message, and, when it failed,
 * how, as data beside the error. The core decides a record's fate from `Failure.class` alone (as
 * Alertmanager's notifiers return "retryable" beside the error): it never inspects an adapter's errors.
 */

/**
 * How a delivery failed:
 * - `retry-after`: not now (a 429's `Retry-After`, or no time left in the invocation): try again at `retryAtMs`;
 * - `transient`: a 5xx, a timeout, a secret that could not be read for now: try again later;
 * - `gone`: the destination takes nothing more (revoked token, deleted channel, webhook refused): fail over;
 * - `refused`: the destination refuses this message in its simplest form: no retry can help, dead-letter it;
 * - `credential`: the destination's secret is missing or malformed: fail over (it will not fix itself).
 */
export const FAILURE_CLASSES = ['retry-after', 'transient', 'gone', 'refused', 'credential'] as const;

/** One of {@link FAILURE_CLASSES}. */
export type FailureClass = (typeof FAILURE_CLASSES)[number];

/** A classified failure of one message. */
export interface Failure {
  readonly class: FailureClass;
  /** One line naming the destination and what happened, for logs and the DLQ; never a URL or a token. */
  readonly reason: string;
  /** `retry-after`: when the destination should take messages again (epoch ms). */
  readonly retryAtMs?: number;
  /** `gone`, `credential`: the note a finding sent to the default destination instead carries (`Sent here because …`). */
  readonly note?: string;
  /** The adapter's error, for logs (its class and fields); the core never branches on it. */
  readonly error?: Error;
}

/** One message to a destination and the findings it stands for; `payload` is the adapter's own. */
export interface OutgoingMessage<Payload = unknown> {
  readonly destination: string;
  readonly kind: 'single' | 'digest';
  readonly payload: Payload;
  /** Findings in this message. */
  readonly findings: readonly RoutedFinding[];
}

/**
 * What became of one message, or of a smaller message made from it when its payload was refused
 * (its `findings` are a subset of the original's, the same objects).
 */
export type MessageOutcome =
  | { readonly status: 'delivered'; readonly message: OutgoingMessage }
  | { readonly status: 'failed'; readonly message: OutgoingMessage; readonly failure: Failure };

/** True when the failure sends the message's findings to the default destination (it will not pass here). */
export function failsOver(failure: Failure): boolean {
  return failure.class === 'gone' || failure.class === 'credential';
}

/** True when a destination takes nothing more in this invocation after `failure`: the rest of its queue shares it. */
export function stopsDestination(failure: Failure): boolean {
  return failure.class === 'retry-after' || failsOver(failure);
}

/** The first of `outcomes` whose failure stops its destination for now (no time left, or it is gone). */
export function firstStopping(outcomes: readonly MessageOutcome[]): MessageOutcome | undefined {
  return outcomes.find((outcome) => outcome.status === 'failed' && stopsDestination(outcome.failure));
}

/** `outcome` with the same status and failure, standing for `message` instead. */
export function sameFateFor(outcome: MessageOutcome, message: OutgoingMessage): MessageOutcome {
  return { ...outcome, message };
}

/** Counters filled while delivering (they become metrics). */
export interface DeliveryStats {
  /** Messages a destination accepted. */
  slackMessages: number;
  /** 429 answers. */
  slackThrottled: number;
  /** Findings per digest message accepted. */
  readonly digestSizes: number[];
  /** Times a destination's webhook URL was refused (not https, or not an allowed host). */
  webhooksRefused: number;
  /** Slack Web API calls answered (app destinations), 429s not counted. */
  webApiCalls: number;
}

/** A fresh set of counters. */
export function emptyStats(): DeliveryStats {
  return { slackMessages: 0, slackThrottled: 0, digestSizes: [], webhooksRefused: 0, webApiCalls: 0 };
}
