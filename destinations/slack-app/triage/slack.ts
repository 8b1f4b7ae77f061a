import { callWebApi, type WebApiMethod, type WebApiResult } from '../web-api.ts';
import { SlackRateLimitedError, SlackServerError } from '../../slack/errors.ts';
import type { FetchLike } from '../../../core/port/fetch.ts';

/**
 * The Slack calls of the worker: the Web API with the destination's bot token (`chat.update`,
 * `chat.postMessage`, `usergroups.users.list`), and the click's `response_url` for ephemeral answers.
 * A Web API call that Slack throttles (429, `ratelimited`) is made again after its `Retry-After`; one
 * that fails on Slack's side (5xx, network, `internal_error`) is made again after 1 s, then 2 s, but
 * only for the methods that change nothing when repeated: a failed `chat.postMessage` may still
 * have posted, and a second thread reply is worse than a missing one. An attempt starts only if it
 * can end (its wait and its request timeout) within {@link MAX_CALL_MS} of the call's start, so the
 * worker's three calls end within 36 s of the function's 60 s.
 */
export interface TriageSlack {
  /** A Web API call; throws the Web API errors of `callWebApi` (never with the token). */
  call(method: WebApiMethod, token: string, args: Readonly<Record<string, unknown>>): Promise<WebApiResult>;
  /** Posts `body` to a `response_url` (JSON); throws when Slack does not take it. */
  respond(responseUrl: string, body: Readonly<Record<string, unknown>>): Promise<void>;
}

/** Options of {@link slackForTriage}. */
export interface TriageSlackOptions {
  /** The Web API base, `https://slack.com/api` (or a simulator's). */
  readonly apiUrl: string;
  readonly fetch: FetchLike;
  /** Per request, in ms. Default 5,000. */
  readonly timeoutMs?: number;
  /** Waits between attempts. Default `setTimeout`. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Clock in milliseconds. Default `Date.now`. */
  readonly now?: () => number;
}

/** Attempts of one Web API call at most. */
export const MAX_ATTEMPTS = 3;
/** Longest one Web API call takes, all its attempts and waits included, in ms. */
export const MAX_CALL_MS = 12_000;

/** Methods that leave Slack as it is when made twice; the others are made again only after a 429. */
const REPEATABLE: ReadonlySet<WebApiMethod> = new Set(['chat.update', 'usergroups.users.list']);

/** The pause before attempt `attempt + 1` after `error`, or undefined when the call must not be made again. */
function pauseBeforeRetry(method: WebApiMethod, error: unknown, attempt: number): number | undefined {
  if (error instanceof SlackRateLimitedError) return error.retryAfterSeconds * 1000;
  if (error instanceof SlackServerError && REPEATABLE.has(method)) return 1000 * 2 ** (attempt - 1);
  return undefined;
}

/** How {@link withRetries} waits and keeps time. */
interface RetryClock {
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  /** Longest one attempt may take. */
  readonly timeoutMs: number;
}

/** Makes `call` until it succeeds, Slack refuses it for good, the attempts run out, or the next one could not end in time. */
async function withRetries(
  method: WebApiMethod,
  call: () => Promise<WebApiResult>,
  clock: RetryClock,
): Promise<WebApiResult> {
  const startedMs = clock.now();
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      const pauseMs = pauseBeforeRetry(method, error, attempt);
      const endsBy = clock.now() + (pauseMs ?? 0) + clock.timeoutMs;
      if (pauseMs === undefined || attempt >= MAX_ATTEMPTS || endsBy - startedMs > MAX_CALL_MS) throw error;
      await clock.sleep(pauseMs);
    }
  }
}

/** Response URLs Slack sends are https on Slack's hosts; plain http is taken only on loopback (a simulator). */
export function isAcceptableResponseUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'https:') return /(^|\.)slack(-gov)?\.com$/.test(parsed.hostname);
    return parsed.protocol === 'http:' && (parsed.hostname === '127.0.0.1' || parsed.hostname === 'localhost');
  } catch {
    return false;
  }
}

/** The real {@link TriageSlack} over `fetch`. */
export function slackForTriage(options: TriageSlackOptions): TriageSlack {
  const timeoutMs = options.timeoutMs ?? 5000;
  const clock: RetryClock = {
    sleep: options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
    now: options.now ?? Date.now,
    timeoutMs,
  };
  return {
    call: (method, token, args) =>
      withRetries(
        method,
        () =>
          callWebApi(method, args, {
            destination: 'triage',
            baseUrl: options.apiUrl,
            token,
            fetch: options.fetch,
            timeoutMs,
          }),
        clock,
      ),
    async respond(responseUrl, body) {
      if (!isAcceptableResponseUrl(responseUrl)) throw new Error('the response_url is not on a Slack host');
      const response = await options.fetch(responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (response.status < 200 || response.status >= 300)
        throw new Error(`the response_url answered HTTP ${response.status}`);
    },
  };
}

/** An ephemeral answer to the clicker only, leaving the message as it is. */
export function ephemeral(text: string): Readonly<Record<string, unknown>> {
  return { response_type: 'ephemeral', replace_original: false, text };
}
