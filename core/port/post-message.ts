import type { DeliveryStats, Failure, MessageOutcome, OutgoingMessage } from './outcome.ts';
import type { TokenBucket } from './rate-limiter.ts';
import { type AttemptVerdict, type CallEnvironment, callResiliently } from './resilient-call.ts';

/**
 * One message posted through the resilient call, as every message-sending adapter posts: the
 * destination's bucket, 429 pauses, retries as the adapter's verdict says, the deadline; the counters
 * (messages accepted, digest sizes, 429s) kept; the outcome as the port's data.
 */

/** One post of `message`: its bucket, one attempt, and the adapter's judgement of what it threw. */
export interface MessagePost<Payload> {
  readonly message: OutgoingMessage<Payload>;
  readonly bucket: TokenBucket;
  /** One attempt, given at most `timeoutMs`; throws on failure. */
  readonly attempt: (timeoutMs: number) => Promise<void>;
  /** Retry after `Retry-After`, retry with backoff, or stop. */
  readonly verdict: (error: unknown) => AttemptVerdict;
  /** The failure class of the error the call stopped at (not called when it ran out of time). */
  readonly failureOf: (error: unknown) => Failure;
}

/** Posts `post.message` until it is accepted, stopped, or out of time (a `retry-after` failure). */
export async function postMessage<Payload>(
  env: CallEnvironment,
  post: MessagePost<Payload>,
  deadlineMs: number,
  stats: DeliveryStats,
): Promise<MessageOutcome> {
  const { message } = post;
  const { destination } = message;
  const result = await callResiliently(
    env,
    {
      destination,
      what: 'post',
      bucket: post.bucket,
      attempt: post.attempt,
      verdict: post.verdict,
      onThrottled: () => {
        stats.slackThrottled += 1;
      },
    },
    deadlineMs,
  );
  if (result.status === 'ok') {
    stats.slackMessages += 1;
    if (message.kind === 'digest') stats.digestSizes.push(message.findings.length);
    return { status: 'delivered', message };
  }
  if (result.status === 'deferred') {
    const failure = {
      class: 'retry-after',
      retryAtMs: result.retryAtMs,
      reason: `not delivered to ${destination} in time`,
    } as const;
    return { status: 'failed', message, failure };
  }
  return { status: 'failed', message, failure: post.failureOf(result.error) };
}
