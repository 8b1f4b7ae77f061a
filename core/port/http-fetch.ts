import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { FetchInit, FetchLike } from './fetch.ts';

/** Options of {@link nodeHttpFetch}. */
export interface NodeHttpFetchOptions {
  /**
   * A kept-alive connection idle this long is closed rather than reused, in ms (default 4,000, as
   * Node's `fetch` does). A Lambda instance frozen between invocations would otherwise send its
   * next post down a connection Slack has long closed, and fail it.
   */
  readonly idleSocketMs?: number;
  /** Certificate authorities trusted for https instead of Node's own (tests serve a self-signed one). */
  readonly ca?: string | Buffer;
}

/** Node's `fetch` closes a kept-alive connection idle for 4 s (undici's `keepAliveTimeout`). */
export const DEFAULT_IDLE_SOCKET_MS = 4000;

/**
 * How the consumer and replay post to Slack: `node:http`/`node:https` with keep-alive agents. Node's
 * global `fetch` (undici, web streams) costs about three times the CPU per post over https (about
 * 1.3 ms against 0.4 ms) and about 47 ms against 19 ms for the first post of a process
 * (`bench/http.ts`); at the Lambda's default 256 MB (about a seventh of a vCPU) that first post
 * alone is some 200 ms more on every cold start. This is what the consumer needs and no more: one
 * request with a string body, the status, headers and the body as text. Aborting through `signal`
 * fails the request with the signal's reason (a `TimeoutError` for `AbortSignal.timeout`), as
 * `fetch` does; `timeoutMs` does the same with one timer (it `keepsTime`), for a fraction of the CPU.
 */
export function nodeHttpFetch(options: NodeHttpFetchOptions = {}): FetchLike {
  const timeout = options.idleSocketMs ?? DEFAULT_IDLE_SOCKET_MS;
  const agents = {
    'http:': new HttpAgent({ keepAlive: true, timeout }),
    'https:': new HttpsAgent({ keepAlive: true, timeout, ...(options.ca === undefined ? {} : { ca: options.ca }) }),
  };
  const fetch = (url: string, init: FetchInit): ReturnType<FetchLike> =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      if (!secure && target.protocol !== 'http:') {
        reject(
          Object.assign(new TypeError('only http and https URLs are supported'), { code: 'ERR_INVALID_URL_SCHEME' }),
        );
        return;
      }
      const request = (secure ? httpsRequest : httpRequest)(target, {
        method: init.method,
        headers: { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) },
        agent: secure ? agents['https:'] : agents['http:'],
        ...(init.signal ? { signal: init.signal } : {}),
      });
      let timedOut: DOMException | undefined;
      const timer =
        init.timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              timedOut = timeoutError();
              request.destroy(timedOut);
            }, init.timeoutMs);
      timer?.unref();
      const fail = (error: unknown) => {
        clearTimeout(timer);
        reject(timedOut ?? (init.signal?.aborted ? init.signal.reason : error));
      };
      request.on('error', fail);
      request.on('response', (response) =>
        readResponse(response).then((answer) => {
          clearTimeout(timer);
          resolve(answer);
        }, fail),
      );
      request.end(init.body);
    });
  return Object.assign(fetch, { keepsTime: true });
}

/** What `AbortSignal.timeout` aborts with. */
function timeoutError(): DOMException {
  return new DOMException('The operation was aborted due to timeout', 'TimeoutError');
}

function readResponse(response: IncomingMessage): Promise<Awaited<ReturnType<FetchLike>>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('error', reject);
    response.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      resolve({
        status: response.statusCode ?? 0,
        headers: { get: (name) => headerValue(response.headers[name.toLowerCase()]) },
        text: async () => text,
      });
    });
  });
}

function headerValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}
