import { networkErrorText, postJson, type FetchLike, type PostAnswer } from '../../core/port/fetch.ts';
import type { TeamsPayload } from './card.ts';
import { TeamsCardRefusedError, TeamsRateLimitedError, TeamsServerError, TeamsWorkflowGoneError } from './errors.ts';

/** Options of one post to a Workflows webhook. */
export interface WorkflowPostOptions {
  /** Destination name, used in errors instead of the URL. */
  readonly destination: string;
  readonly fetch: FetchLike;
  /** Give up waiting for an answer after this many milliseconds (a `TeamsServerError` without status). */
  readonly timeoutMs: number;
  /** Clock for an HTTP-date `Retry-After`, in milliseconds since the epoch. */
  readonly now: () => number;
}

/** `Retry-After` used when a 429 carries none (or an unreadable one), in seconds. */
export const DEFAULT_TEAMS_RETRY_AFTER_SECONDS = 5;

/** Statuses that say the message itself is refused (bad request, too large, wrong media type). */
const REFUSED_STATUSES: ReadonlySet<number> = new Set([400, 413, 415, 422]);

/**
 * Posts `payload` (`Content-Type: application/json`) to a Workflows webhook. The trigger answers 202
 * Accepted once it has the request, before the flow renders anything; any 2xx resolves. Otherwise throws
 * `TeamsRateLimitedError` (429, with its `Retry-After`), `TeamsServerError` (5xx, 408, timeout, network
 * error), `TeamsCardRefusedError` (400, 413, 415, 422) or `TeamsWorkflowGoneError` (401, 403, 404 and
 * every other 4xx: the flow was deleted, turned off or is no longer allowed). Errors never hold the URL.
 */
export async function postToWorkflow(url: string, payload: TeamsPayload, options: WorkflowPostOptions): Promise<void> {
  const { destination } = options;
  let answer: PostAnswer;
  try {
    answer = await postJson(options.fetch, url, payload, options.timeoutMs);
  } catch (cause) {
    // A fetch failure's message can quote the URL: keep only its kind.
    throw new TeamsServerError(destination, undefined, networkErrorText(cause));
  }
  const { response, body } = answer;
  const { status } = response;
  if (status >= 200 && status < 300) return;
  const code = errorCode(body);
  if (status === 429) {
    throw new TeamsRateLimitedError(destination, retryAfterSeconds(response.headers.get('retry-after'), options.now()));
  }
  if (status >= 500 || status === 408) throw new TeamsServerError(destination, status, code);
  if (REFUSED_STATUSES.has(status)) throw new TeamsCardRefusedError(destination, status, code);
  throw new TeamsWorkflowGoneError(destination, status, code);
}

/** Seconds to wait from a `Retry-After` header (seconds, or an HTTP date), at least 1; the default when absent. */
export function retryAfterSeconds(header: string | null, nowMs: number): number {
  const value = header?.trim() ?? '';
  if (/^\d+$/.test(value)) return Math.max(1, Number(value));
  const at = value === '' ? Number.NaN : Date.parse(value);
  if (Number.isFinite(at)) return Math.max(1, Math.ceil((at - nowMs) / 1000));
  return DEFAULT_TEAMS_RETRY_AFTER_SECONDS;
}

/** The `error.code` of a Microsoft error body (`{"error":{"code":"…","message":"…"}}`) when it is a plain word. */
function errorCode(body: string): string | undefined {
  try {
    const code = (JSON.parse(body) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' && /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/.test(code) ? code : undefined;
  } catch {
    return undefined;
  }
}
