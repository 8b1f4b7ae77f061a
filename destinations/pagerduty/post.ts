import { networkErrorText, postJson, type FetchLike, type PostAnswer } from '../../core/port/fetch.ts';
import type { PagerDutyEvent } from './event.ts';
import {
  PagerDutyGoneError,
  PagerDutyRateLimitedError,
  PagerDutyRefusedError,
  PagerDutyServerError,
} from './errors.ts';
import { PAGERDUTY_EVENTS_API } from './limits.ts';

/** Options of one event post. */
export interface PostEventOptions {
  /** Destination name, used in errors instead of the key. */
  readonly destination: string;
  readonly fetch: FetchLike;
  /** Give up waiting for an answer after this many milliseconds (a `PagerDutyServerError` without status). */
  readonly timeoutMs: number;
}

/** What PagerDuty answered a 202 with: `{ status: "success", message: "Event processed", dedup_key }`. */
export interface EventAccepted {
  readonly status: string;
  readonly message: string;
  readonly dedup_key: string | undefined;
}

/** Statuses after which the integration takes nothing (no such key, key disabled, integration deleted). */
const GONE_STATUSES: ReadonlySet<number> = new Set([401, 403, 404, 410]);

/** A 400 about the routing key itself ("Invalid routing key", "Length of 'routing_key' is incorrect"). */
const ROUTING_KEY_REFUSAL = /routing[ _]key/i;

/** Longest text kept from an answer (PagerDuty's messages are short sentences). */
const MAX_DETAIL_CHARS = 300;

/**
 * Posts one event with its routing key to the Events API v2 at `url`. Resolves with PagerDuty's answer
 * on 202 (any 2xx); otherwise throws `PagerDutyRateLimitedError` (429), `PagerDutyServerError` (5xx,
 * timeout, network), `PagerDutyGoneError` (401/403/404/410, or a 400 about the routing key) or
 * `PagerDutyRefusedError` (400 and other 4xx). No error, and no text kept from an answer, holds the key.
 */
export async function postEvent(
  url: string,
  routingKey: string,
  event: PagerDutyEvent,
  options: PostEventOptions,
): Promise<EventAccepted> {
  const { destination } = options;
  let posted: PostAnswer;
  try {
    posted = await postJson(options.fetch, url, { routing_key: routingKey, ...event }, options.timeoutMs);
  } catch (cause) {
    throw new PagerDutyServerError(destination, undefined, networkErrorText(cause));
  }
  const { response } = posted;
  const { status } = response;
  const answer = readAnswer(posted.body, routingKey);
  if (status >= 200 && status < 300)
    return { status: answer.status ?? 'success', message: answer.message ?? '', dedup_key: answer.dedupKey };
  if (status === 429)
    throw new PagerDutyRateLimitedError(destination, retryAfterSeconds(response.headers.get('retry-after')));
  if (status >= 500) throw new PagerDutyServerError(destination, status, answer.detail);
  if (GONE_STATUSES.has(status) || (status === 400 && ROUTING_KEY_REFUSAL.test(answer.detail)))
    throw new PagerDutyGoneError(destination, status, answer.detail);
  throw new PagerDutyRefusedError(destination, status, answer.detail);
}

/** PagerDuty's answer: `status`, `message`, `dedup_key`, and one line of message and errors for a failure. */
function readAnswer(
  text: string,
  routingKey: string,
): { status?: string; message?: string; dedupKey?: string; detail: string } {
  const clean = (value: string) => value.split(routingKey).join('[routing key]');
  let parsed: Record<string, unknown> = {};
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) parsed = value as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's error page): only its first characters are kept.
  }
  const str = (value: unknown) => (typeof value === 'string' ? clean(value) : undefined);
  const errors = Array.isArray(parsed.errors) ? parsed.errors.filter((e): e is string => typeof e === 'string') : [];
  const parts = [str(parsed.status), str(parsed.message), ...errors.map(clean)].filter(
    (part) => part !== undefined && part !== '',
  );
  const detail = parts.length > 0 ? parts.join('; ') : clean(text.trim()) || 'no body';
  return {
    ...(str(parsed.status) === undefined ? {} : { status: str(parsed.status) }),
    ...(str(parsed.message) === undefined ? {} : { message: str(parsed.message) }),
    ...(str(parsed.dedup_key) === undefined ? {} : { dedupKey: str(parsed.dedup_key) }),
    detail: detail.slice(0, MAX_DETAIL_CHARS),
  };
}

/** `Retry-After` in seconds (a number or an HTTP date); without one, the documented pause of 30 s. */
export function retryAfterSeconds(header: string | null, nowMs: number = Date.now()): number {
  const value = header?.trim() ?? '';
  if (/^\d+$/.test(value)) return Math.max(1, Number(value));
  const at = Date.parse(value);
  if (value !== '' && !Number.isNaN(at)) return Math.max(1, Math.ceil((at - nowMs) / 1000));
  return PAGERDUTY_EVENTS_API.retryAfterSeconds;
}
