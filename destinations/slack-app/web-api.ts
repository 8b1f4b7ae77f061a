import { SlackRateLimitedError, SlackServerError } from '../slack/errors.ts';
import { parseRetryAfterSeconds } from '../slack/retry-after.ts';
import { deadlineFor, type FetchLike } from '../../core/port/fetch.ts';
import {
  DESTINATION_GONE_CODES,
  PARENT_GONE_CODES,
  PAYLOAD_REFUSED_CODES,
  SlackApiPayloadError,
  SlackApiRefusedError,
  SlackParentGoneError,
} from './errors.ts';

/** Slack's Web API base (`https://slack.com/api`); replay's `--slack-api-url` points it at a simulator. */
export const DEFAULT_SLACK_API_URL = 'https://slack.com/api';

/** The Web API methods the hub calls. */
export const WEB_API_METHODS = [
  'chat.postMessage',
  'chat.update',
  'files.getUploadURLExternal',
  'files.completeUploadExternal',
  'usergroups.users.list',
  'views.open',
  'views.update',
] as const;

/** One of {@link WEB_API_METHODS}. */
export type WebApiMethod = (typeof WEB_API_METHODS)[number];

/** Options of one Web API call. */
export interface WebApiCallOptions {
  /** Destination name, used in errors (never the token). */
  readonly destination: string;
  /** The Web API base URL without a trailing slash. Default {@link DEFAULT_SLACK_API_URL}. */
  readonly baseUrl: string;
  /** The bot token (`xoxb-…`), sent as `Authorization: Bearer`. */
  readonly token: string;
  readonly fetch: FetchLike;
  /** Give up waiting for an answer after this many milliseconds. */
  readonly timeoutMs: number;
}

/** Slack's answer to a successful call (`ok: true`), such as `{ ok, channel, ts }`. */
export type WebApiResult = Readonly<Record<string, unknown>>;

/**
 * Calls one Web API method with a JSON body. One attempt, no retries and no queue: the hub's own
 * rate limiter and retry policy decide when to call (the role `@slack/web-api` would otherwise take
 * with its own queue and ten retries). Resolves with the answer when `ok` is true; throws
 * `SlackRateLimitedError` (429 + `Retry-After`), `SlackServerError` (5xx, network, timeout,
 * `internal_error`, an unknown code), `SlackApiRefusedError` (the destination is gone),
 * `SlackApiPayloadError` (the payload is refused) or `SlackParentGoneError` (no message to edit).
 * No error ever includes the token.
 */
export async function callWebApi(
  method: WebApiMethod,
  args: Readonly<Record<string, unknown>>,
  options: WebApiCallOptions,
): Promise<WebApiResult> {
  const { destination } = options;
  let status: number;
  let retryAfter: string | null;
  let text: string;
  try {
    const form = FORM_METHODS.has(method);
    const response = await options.fetch(`${options.baseUrl}/${method}`, {
      method: 'POST',
      headers: {
        'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json; charset=utf-8',
        authorization: `Bearer ${options.token}`,
      },
      body: form ? formBody(args) : JSON.stringify(args),
      ...deadlineFor(options.fetch, options.timeoutMs),
    });
    status = response.status;
    retryAfter = response.headers.get('retry-after');
    text = await response.text();
  } catch (cause) {
    const kind =
      cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError')
        ? 'timed out'
        : 'network error';
    throw new SlackServerError(destination, undefined, `${method}: ${kind}`);
  }
  if (status === 429) throw new SlackRateLimitedError(destination, parseRetryAfterSeconds(retryAfter));
  if (status >= 500 || status < 200 || status >= 300)
    throw new SlackServerError(destination, status, `${method}: HTTP ${status}`);
  let body: { ok?: unknown; error?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new SlackServerError(destination, status, `${method}: the answer is not JSON`);
  }
  if (body.ok === true) return body as WebApiResult;
  const code = typeof body.error === 'string' ? body.error.slice(0, 100) : 'unknown_error';
  throw errorFor(destination, method, code);
}

/** The file methods and `usergroups.users.list` take form fields (their documented content type); the chat methods take JSON. */
const FORM_METHODS: ReadonlySet<WebApiMethod> = new Set([
  'files.getUploadURLExternal',
  'files.completeUploadExternal',
  'usergroups.users.list',
]);

/** Form fields; objects and arrays (such as `files`) as JSON text, as Slack expects. */
function formBody(args: Readonly<Record<string, unknown>>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(args)) {
    if (value !== undefined) params.set(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return params.toString();
}

function errorFor(destination: string, method: WebApiMethod, code: string): Error {
  if ((DESTINATION_GONE_CODES as readonly string[]).includes(code))
    return new SlackApiRefusedError(destination, method, code);
  if ((PAYLOAD_REFUSED_CODES as readonly string[]).includes(code))
    return new SlackApiPayloadError(destination, method, code);
  if (method === 'chat.update' && (PARENT_GONE_CODES as readonly string[]).includes(code))
    return new SlackParentGoneError(destination, code);
  if (code === 'ratelimited') return new SlackRateLimitedError(destination, 1);
  // internal_error, fatal_error, service_unavailable, request_timeout and codes unknown here: retried
  // (and, should they never pass, dead-lettered with this reason after maxReceiveCount).
  return new SlackServerError(destination, 200, `${method}: ${code}`);
}
