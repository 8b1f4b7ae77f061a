import type { SlackPayload } from '../types.ts';
import { SlackPayloadRejectedError, SlackPermanentError, SlackRateLimitedError, SlackServerError } from './errors.ts';

/** The `fetch` this module needs (the global one by default); injectable for tests. */
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal }) => Promise<{
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

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
      signal: AbortSignal.timeout(Math.max(1, Math.floor(options.timeoutMs))),
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
