import {
  DeliveryError,
  SlackPayloadRejectedError,
  SlackPermanentError,
  SlackRateLimitedError,
  SlackServerError,
} from '../slack/errors.ts';
import type { FetchLike } from '../../core/port/fetch.ts';
import type { ConsumerLogger } from '../../core/log.ts';
import type { DeliveryStats, Failure, MessageOutcome, OutgoingMessage } from '../../core/port/outcome.ts';
import {
  callResiliently,
  type AttemptVerdict,
  type CallEnvironment,
  type CallResult,
} from '../../core/port/resilient-call.ts';
import { SlackApiRefusedError } from './errors.ts';
import type { WebApiLimiters } from './limits.ts';
import { callWebApi, type WebApiMethod, type WebApiResult } from './web-api.ts';

/**
 * What a Web API call needs from the outside world; one per consumer instance: the resilient call's
 * environment (clock, sleep, the shared `postLimit`, timeouts, logger), `fetch`, the Web API base and
 * the per-method buckets.
 */
export interface WebApiEnvironment extends CallEnvironment {
  readonly fetch: FetchLike;
  /** The Web API base (`https://slack.com/api`, or a simulator's). */
  readonly apiUrl: string;
  readonly limiters: WebApiLimiters;
  readonly logger: Pick<ConsumerLogger, 'warn' | 'error' | 'debug'>;
}

/** The outcome of {@link callWithLimits}: Slack's answer, no time left, or the error no retry here helps. */
export type CallOutcome = CallResult<WebApiResult>;

/** One Web API call: destination, method, bot token and arguments. */
export interface WebApiCall {
  readonly destination: string;
  readonly method: WebApiMethod;
  readonly token: string;
  readonly args: Readonly<Record<string, unknown>>;
}

/**
 * Calls `method` for `destination` through the resilient call, under the method's bucket: a 429
 * pauses the method for `Retry-After`, 5xx and network errors back off, an `ok: false` answer stops.
 * Counts the answers and 429s in `stats`.
 */
export async function callWithLimits(
  env: WebApiEnvironment,
  call: WebApiCall,
  deadlineMs: number,
  stats: DeliveryStats,
): Promise<CallOutcome> {
  const { destination, method, token, args } = call;
  const result = await callResiliently(
    env,
    {
      destination,
      what: method,
      bucket: env.limiters.bucket(destination, method, env.now()),
      attempt: (timeoutMs) =>
        callWebApi(method, args, { destination, baseUrl: env.apiUrl, token, fetch: env.fetch, timeoutMs }),
      verdict: webApiVerdict,
      onAnswer: () => {
        stats.webApiCalls += 1;
      },
      onThrottled: () => {
        stats.slackThrottled += 1;
      },
    },
    deadlineMs,
  );
  if (result.status === 'error' && result.error instanceof SlackPermanentError) {
    env.logger.warn('Slack refused a Web API call', { destination, method, error: result.error.body });
  }
  return result;
}

/** A failed Web API call: a 429 waits for `Retry-After`, 5xx and network errors back off, Slack's `ok: false` stops. */
export function webApiVerdict(error: unknown): AttemptVerdict {
  if (error instanceof SlackRateLimitedError) return { retryAfterSeconds: error.retryAfterSeconds };
  return error instanceof SlackServerError ? 'retry' : 'stop';
}

/** A failed call as the port's data: a refused payload, a destination gone, no time left, or a retry. */
export function webApiFailure(call: Exclude<CallOutcome, { status: 'ok' }>, destination: string): Failure {
  if (call.status === 'deferred')
    return { class: 'retry-after', retryAtMs: call.retryAtMs, reason: `not delivered to ${destination} in time` };
  const { error } = call;
  if (error instanceof SlackPayloadRejectedError) return { class: 'refused', reason: error.message, error };
  if (error instanceof SlackApiRefusedError) {
    return {
      class: 'gone',
      reason: error.message,
      note: `Sent here because ${destination} answered ${error.method} with ${error.body}`,
      error,
    };
  }
  const reason = error instanceof DeliveryError ? error.message : `${destination}: unexpected error`;
  return { class: 'transient', reason, ...(error instanceof Error ? { error } : {}) };
}

/** What a failed call makes of `message`. */
export function outcomeOfCall(call: Exclude<CallOutcome, { status: 'ok' }>, message: OutgoingMessage): MessageOutcome {
  return { status: 'failed', message, failure: webApiFailure(call, message.destination) };
}
