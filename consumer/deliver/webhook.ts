import type { SlackPayload } from '../types.ts';
import { SlackPayloadRejectedError, SlackPermanentError, SlackRateLimitedError, SlackServerError } from './errors.ts';

/** One request as {@link FetchLike} takes it. */
export interface FetchInit {
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly signal?: AbortSignal;
  /** Give up after this many milliseconds (a `TimeoutError`); only for a fetch that `keepsTime`. */
  readonly timeoutMs?: number;
}

/** The `fetch` this module needs (`nodeHttpFetch` by default); injectable for tests. */
export type FetchLike = ((url: string, init: FetchInit) => Promise<{
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}>) & {
  /** True when it honours `init.timeoutMs` itself (`nodeHttpFetch`); any other fetch is given an `AbortSignal`. */
  readonly keepsTime?: boolean;
};

/**
 * What to give `fetch` so that it gives up after `timeoutMs`: the time itself when it keeps time,
 * else `AbortSignal.timeout`, which costs about 45 µs of CPU per request more with `node:http`
 * (a timer per signal, and the request's abort listeners).
 */
export function deadlineFor(fetch: FetchLike, timeoutMs: number): Pick<FetchInit, 'signal' | 'timeoutMs'> {
  const ms = Math.max(1, Math.floor(timeoutMs));
  return fetch.keepsTime === true ? { timeoutMs: ms } : { signal: AbortSignal.timeout(ms) };
}

/** Options of one webhook post. */
export interface PostOptions {
  /** Destination name, used in errors instead of the URL. */
  readonly destination: string;
  readonly fetch: FetchLike;
  /** Give up waiting for an answer after this many milliseconds (a `SlackServerError` without status). */
  readonly timeoutMs: number;
}

/**
 * Seconds assumed when a 429 comes without a usable `Retry-After` header, and the shortest pause a
 * 429 causes: a `Retry-After` of 0 (or a date in the past) must not let the consumer re-post at once.
 */
export const DEFAULT_RETRY_AFTER_SECONDS = 1;

/** Longest response body kept in an error (Slack's are single words such as `channel_not_found`). */
const MAX_BODY_CHARS = 200;

/**
 * Posts one payload to a Slack incoming webhook. Resolves on 2xx; otherwise throws
 * `SlackRateLimitedError` (429), `SlackServerError` (5xx, network error, timeout),
 * `SlackPayloadRejectedError` (400 invalid_payload/invalid_blocks) or `SlackPermanentError` (other 4xx).
 * Errors never include the URL.
 */
export async function postWebhook(url: string, payload: SlackPayload, options: PostOptions): Promise<void> {
  const { destination } = options;
  let response: Awaited<ReturnType<FetchLike>>;
  let body: string;
  try {
    response = await options.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      ...deadlineFor(options.fetch, options.timeoutMs),
    });
    body = (await response.text()).trim().slice(0, MAX_BODY_CHARS);
  } catch (cause) {
    // The cause of a fetch failure can quote the URL; keep only its kind.
    throw new SlackServerError(destination, undefined, describeNetworkError(cause));
  }
  const { status } = response;
  if (status >= 200 && status < 300) return;
  if (status === 429) throw new SlackRateLimitedError(destination, parseRetryAfterSeconds(response.headers.get('retry-after')));
  if (status >= 500) throw new SlackServerError(destination, status, body || 'no body');
  // `invalid_payload`, `invalid_blocks`, and Slack's other `invalid_…` answers about the payload.
  if (status === 400 && body.startsWith('invalid_')) {
    throw new SlackPayloadRejectedError(destination, status, body);
  }
  throw new SlackPermanentError(destination, status, body || 'no body');
}

/** `Retry-After` as whole seconds, at least 1 (Slack sends an integer); HTTP dates are honoured too. */
export function parseRetryAfterSeconds(header: string | null, nowMs: number = Date.now()): number {
  if (header === null || header.trim() === '') return DEFAULT_RETRY_AFTER_SECONDS;
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds)) return Math.max(DEFAULT_RETRY_AFTER_SECONDS, Math.ceil(seconds));
  const date = Date.parse(header);
  if (Number.isFinite(date)) return Math.max(DEFAULT_RETRY_AFTER_SECONDS, Math.ceil((date - nowMs) / 1000));
  return DEFAULT_RETRY_AFTER_SECONDS;
}

function describeNetworkError(cause: unknown): string {
  if (cause instanceof Error) {
    if (cause.name === 'TimeoutError' || cause.name === 'AbortError') return 'timed out';
    const code = (cause as { cause?: { code?: unknown } }).cause?.code ?? (cause as { code?: unknown }).code;
    return typeof code === 'string' ? `network error ${code}` : `network error ${cause.name}`;
  }
  return 'network error';
}
