import type { LimitFunction } from 'p-limit';
import type { ConsumerLogger } from '../log.ts';
import { backoffDelayMs } from './retry-policy.ts';
import type { TokenBucket } from './rate-limiter.ts';

/**
 * The one loop every destination adapter sends through: it waits for the destination's token bucket,
 * makes one attempt within the time left, and does what the adapter's verdict on a failed attempt
 * says: pause the bucket for `Retry-After` and try again, back off and try again, or stop. Everything
 * ends by `deadlineMs`: what cannot be tried in time comes back `deferred` with when to try again.
 */

/** The adapter's verdict on a failed attempt: wait this long and retry, retry with backoff, or stop. */
export type AttemptVerdict = { readonly retryAfterSeconds: number } | 'retry' | 'stop';

/** What the loop needs from the consumer instance. */
export interface CallEnvironment {
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Bounds concurrent requests across all destinations. */
  readonly postLimit: LimitFunction;
  /** Longest wait for one answer, in milliseconds. */
  readonly requestTimeoutMs: number;
  /** Jitter source for backoff (0 ≤ x < 1). */
  readonly random?: () => number;
  readonly logger: Pick<ConsumerLogger, 'warn'>;
}

/** One call through the loop. */
export interface ResilientCall<T> {
  /** Destination name, for logs. */
  readonly destination: string;
  /** What is called, for logs (`chat.update`; a webhook post says `post`). */
  readonly what: string;
  /** The bucket the call spends a token of (the destination's, or its method's). */
  readonly bucket: TokenBucket;
  /** One attempt, given at most `timeoutMs`; throws on failure. */
  readonly attempt: (timeoutMs: number) => Promise<T>;
  /** The adapter's verdict on an error `attempt` threw. */
  readonly verdict: (error: unknown) => AttemptVerdict;
  /** Called for every answer the destination gave (success or a final error), 429s excepted. */
  readonly onAnswer?: () => void;
  /** Called for every 429. */
  readonly onThrottled?: () => void;
}

/** The outcome of {@link callResiliently}: the value, no time left (try at `retryAtMs`), or the error the adapter stopped at. */
export type CallResult<T> =
  | { readonly status: 'ok'; readonly value: T }
  | { readonly status: 'deferred'; readonly retryAtMs: number }
  | { readonly status: 'error'; readonly error: unknown };

/** A call needs at least this much time left, in milliseconds, to be worth starting. */
export const MIN_REQUEST_MS = 250;

/** Makes `call` under its bucket, retrying as its verdicts say, until `deadlineMs`. */
export async function callResiliently<T>(
  env: CallEnvironment,
  call: ResilientCall<T>,
  deadlineMs: number,
): Promise<CallResult<T>> {
  const { bucket, destination, what } = call;
  let retries = 0;
  for (;;) {
    const now = env.now();
    const waitMs = bucket.waitMs(now);
    if (now + waitMs + MIN_REQUEST_MS > deadlineMs) return { status: 'deferred', retryAtMs: now + waitMs };
    if (waitMs > 0) {
      await env.sleep(waitMs);
      continue;
    }
    let sent: { readonly value: T } | undefined;
    try {
      sent = await attemptInSlot(env, call, deadlineMs);
    } catch (error) {
      const at = env.now();
      const verdict = call.verdict(error);
      if (typeof verdict === 'object') {
        call.onThrottled?.();
        bucket.pauseUntil(at + verdict.retryAfterSeconds * 1000, at);
        env.logger.warn('The destination rate limited a call; pausing it', {
          destination,
          what,
          status: 429,
          retryAfterSeconds: verdict.retryAfterSeconds,
        });
        continue;
      }
      bucket.take(at);
      call.onAnswer?.();
      if (verdict === 'stop') return { status: 'error', error };
      retries += 1;
      const delayMs = backoffDelayMs(retries, env.random);
      env.logger.warn('The destination did not take a call; retrying', {
        destination,
        what,
        error: describe(error),
        retry: retries,
        delayMs,
      });
      if (at + delayMs + MIN_REQUEST_MS > deadlineMs) return { status: 'deferred', retryAtMs: at + delayMs };
      await env.sleep(delayMs);
      continue;
    }
    const at = env.now();
    if (sent === undefined) return { status: 'deferred', retryAtMs: at + bucket.waitMs(at) };
    bucket.take(at);
    call.onAnswer?.();
    return { status: 'ok', value: sent.value };
  }
}

/**
 * One attempt once a concurrency slot is free. Waiting for a slot takes time, so what is left is
 * measured when the attempt starts: undefined (nothing sent) when too little is left.
 */
function attemptInSlot<T>(
  env: CallEnvironment,
  call: ResilientCall<T>,
  deadlineMs: number,
): Promise<{ readonly value: T } | undefined> {
  return env.postLimit(async () => {
    const startMs = env.now();
    if (startMs + MIN_REQUEST_MS > deadlineMs) return undefined;
    return { value: await call.attempt(Math.min(env.requestTimeoutMs, deadlineMs - startMs)) };
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
