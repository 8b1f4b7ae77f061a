import { DeliveryError, SlackPayloadRejectedError, SlackPermanentError, SlackRateLimitedError, SlackServerError } from '../deliver/errors.ts';
import type { MessageOutcome } from '../deliver/deliver.ts';
import type { OutgoingMessage } from '../types.ts';
import type { DeliveryEnvironment, DeliveryStats } from '../deliver/deliver.ts';
import { backoffDelayMs } from '../deliver/retry-policy.ts';
import type { WebApiLimiters } from './limits.ts';
import { callWebApi, type WebApiMethod, type WebApiResult } from './web-api.ts';

/**
 * What a Web API call needs from the outside world; one per consumer instance. The same as webhook
 * delivery (`fetch`, clock, sleep, the shared `postLimit`, timeouts, logger), with the Web API base
 * and the per-method buckets in place of webhooks and their buckets.
 */
export interface WebApiEnvironment extends Omit<DeliveryEnvironment, 'webhooks' | 'limiters'> {
  /** The Web API base (`https://slack.com/api`, or a simulator's). */
  readonly apiUrl: string;
  readonly limiters: WebApiLimiters;
}

/** The outcome of {@link callWithLimits}: Slack's answer, no time left, or an error no retry here helps. */
export type CallOutcome =
  | { readonly status: 'ok'; readonly result: WebApiResult }
  | { readonly status: 'deferred'; readonly retryAtMs: number }
  | { readonly status: 'error'; readonly error: DeliveryError };

/** A call needs at least this much time left, in milliseconds, to be worth starting. */
const MIN_REQUEST_MS = 250;

/**
 * Calls `method` for `destination` under the hub's own limits: waits for the method's token bucket
 * (the answer takes the token), pauses the method on a 429 for `Retry-After` and tries again,
 * retries 5xx and network errors with backoff, all until `deadlineMs`. Counts calls and 429s in `stats`.
 */
export async function callWithLimits(
  env: WebApiEnvironment,
  call: { readonly destination: string; readonly method: WebApiMethod; readonly token: string; readonly args: Readonly<Record<string, unknown>> },
  deadlineMs: number,
  stats: DeliveryStats,
): Promise<CallOutcome> {
  const { destination, method } = call;
  const bucket = env.limiters.bucket(destination, method, env.now());
  let retries = 0;
  for (;;) {
    const now = env.now();
    const waitMs = bucket.waitMs(now);
    if (now + waitMs + MIN_REQUEST_MS > deadlineMs) return { status: 'deferred', retryAtMs: now + waitMs };
    if (waitMs > 0) {
      await env.sleep(waitMs);
      continue;
    }
    try {
      const result = await env.postLimit(async () => {
        const startMs = env.now();
        if (startMs + MIN_REQUEST_MS > deadlineMs) return undefined;
        const timeoutMs = Math.min(env.requestTimeoutMs, deadlineMs - startMs);
        return callWebApi(method, call.args, { destination, baseUrl: env.apiUrl, token: call.token, fetch: env.fetch, timeoutMs });
      });
      if (result === undefined) return { status: 'deferred', retryAtMs: env.now() };
      bucket.take(env.now());
      stats.webApiCalls += 1;
      return { status: 'ok', result };
    } catch (error) {
      const at = env.now();
      if (error instanceof SlackRateLimitedError) {
        stats.slackThrottled += 1;
        bucket.pauseUntil(at + error.retryAfterSeconds * 1000, at);
        env.logger.warn('Slack rate limited a Web API method; pausing it', { destination, method, status: 429, retryAfterSeconds: error.retryAfterSeconds });
        continue;
      }
      bucket.take(at);
      stats.webApiCalls += 1;
      if (!(error instanceof SlackServerError)) {
        if (error instanceof SlackPermanentError) env.logger.warn('Slack refused a Web API call', { destination, method, error: error.body });
        if (error instanceof DeliveryError) return { status: 'error', error };
        return { status: 'error', error: new SlackServerError(destination, undefined, `${method}: unexpected error`, { cause: error }) };
      }
      retries += 1;
      const delayMs = backoffDelayMs(retries, env.random);
      env.logger.warn('Slack did not take a Web API call; retrying', { destination, method, status: error.status, error: error.message, retry: retries, delayMs });
      if (at + delayMs + MIN_REQUEST_MS > deadlineMs) return { status: 'deferred', retryAtMs: at + delayMs };
      await env.sleep(delayMs);
    }
  }
}

/**
 * What a failed call makes of `message`: deferred (no time left), rejected (the destination is gone:
 * its findings go to the default destination) or failed (the payload was refused, or an error a
 * later receive may get past).
 */
export function outcomeOfCall(call: Exclude<CallOutcome, { status: 'ok' }>, message: OutgoingMessage): MessageOutcome {
  if (call.status === 'deferred') return { status: 'deferred', message, retryAtMs: call.retryAtMs };
  const { error } = call;
  if (error instanceof SlackPermanentError && !(error instanceof SlackPayloadRejectedError)) return { status: 'rejected', message, error };
  return { status: 'failed', message, error };
}
