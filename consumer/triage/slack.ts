import { callWebApi, type WebApiMethod, type WebApiResult } from '../app/web-api.ts';
import type { FetchLike } from '../deliver/index.ts';

/**
 * The Slack calls of the worker: the Web API with the destination's bot token (`chat.update`,
 * `chat.postMessage`, `usergroups.users.list`), and the click's `response_url` for ephemeral answers.
 * One attempt each: a click is answered now or not at all, and every outcome is audited.
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
  return {
    call: (method, token, args) => callWebApi(method, args, { destination: 'triage', baseUrl: options.apiUrl, token, fetch: options.fetch, timeoutMs }),
    async respond(responseUrl, body) {
      if (!isAcceptableResponseUrl(responseUrl)) throw new Error('the response_url is not on a Slack host');
      const response = await options.fetch(responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (response.status < 200 || response.status >= 300) throw new Error(`the response_url answered HTTP ${response.status}`);
    },
  };
}

/** An ephemeral answer to the clicker only, leaving the message as it is. */
export function ephemeral(text: string): Readonly<Record<string, unknown>> {
  return { response_type: 'ephemeral', replace_original: false, text };
}
