/**
 * The HTTP client every destination adapter posts with: the shape of `fetch` it needs (the default is
 * `nodeHttpFetch`, node:http with keep-alive), injectable for tests, and how to give it a deadline.
 */

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
export type FetchLike = ((
  url: string,
  init: FetchInit,
) => Promise<{
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

/**
 * What kind of failure a fetch threw, for an error message: `timed out`, `network error ECONNREFUSED`.
 * Never the failure's own message, which can quote the URL (a webhook's URL is its secret).
 */
export function networkErrorText(cause: unknown): string {
  if (cause instanceof Error) {
    if (cause.name === 'TimeoutError' || cause.name === 'AbortError') return 'timed out';
    const code = (cause as { cause?: { code?: unknown } }).cause?.code ?? (cause as { code?: unknown }).code;
    // A system error code (`ECONNREFUSED`), never free text that might quote the URL.
    return typeof code === 'string' && /^[A-Z0-9_]+$/.test(code)
      ? `network error ${code}`
      : `network error ${cause.name}`;
  }
  return 'network error';
}

/** What {@link postJson} read: the response and its whole body. */
export interface PostAnswer {
  readonly response: Awaited<ReturnType<FetchLike>>;
  readonly body: string;
}

/**
 * POSTs `payload` as JSON to `url`, giving up after `timeoutMs`, and reads the whole answer. What the
 * fetch throws is thrown as it is: a caller keeps only {@link networkErrorText} of it, since it can
 * quote the URL.
 */
export async function postJson(
  fetch: FetchLike,
  url: string,
  payload: unknown,
  timeoutMs: number,
): Promise<PostAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
    ...deadlineFor(fetch, timeoutMs),
  });
  return { response, body: await response.text() };
}
