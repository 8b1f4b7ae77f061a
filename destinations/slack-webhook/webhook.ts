import { networkErrorText, postJson, type FetchLike, type PostAnswer } from '../../core/port/fetch.ts';
import { parseRetryAfterSeconds } from '../slack/retry-after.ts';
import type { SlackPayload } from '../slack/render/types.ts';

export type { FetchInit, FetchLike } from '../../core/port/fetch.ts';
export { deadlineFor } from '../../core/port/fetch.ts';
export { DEFAULT_RETRY_AFTER_SECONDS, parseRetryAfterSeconds } from '../slack/retry-after.ts';
import {
  SlackPayloadRejectedError,
  SlackPermanentError,
  SlackRateLimitedError,
  SlackServerError,
} from '../slack/errors.ts';

/** Options of one webhook post. */
export interface PostOptions {
  /** Destination name, used in errors instead of the URL. */
  readonly destination: string;
  readonly fetch: FetchLike;
  /** Give up waiting for an answer after this many milliseconds (a `SlackServerError` without status). */
  readonly timeoutMs: number;
}

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
  let answer: PostAnswer;
  try {
    answer = await postJson(options.fetch, url, payload, options.timeoutMs);
  } catch (cause) {
    // The cause of a fetch failure can quote the URL; keep only its kind.
    throw new SlackServerError(destination, undefined, networkErrorText(cause));
  }
  const { response } = answer;
  const body = answer.body.trim().slice(0, MAX_BODY_CHARS);
  const { status } = response;
  if (status >= 200 && status < 300) return;
  if (status === 429)
    throw new SlackRateLimitedError(destination, parseRetryAfterSeconds(response.headers.get('retry-after')));
  if (status >= 500) throw new SlackServerError(destination, status, body || 'no body');
  // `invalid_payload`, `invalid_blocks`, and Slack's other `invalid_…` answers about the payload.
  if (status === 400 && body.startsWith('invalid_')) {
    throw new SlackPayloadRejectedError(destination, status, body);
  }
  throw new SlackPermanentError(destination, status, body || 'no body');
}
