import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { FetchLike } from '../../consumer/index.ts';

/**
 * The consumer's `fetch` for replay, on `node:http`/`node:https` with keep-alive agents. Node's
 * global `fetch` (undici with web streams) cost about a third of replay's CPU per webhook post
 * (`bench/cli.ts --profile`); this does the same POST for a fraction. It is what the consumer needs
 * and no more: one request with a string body, the status, headers and the body as text.
 * Aborting through `signal` fails the request with the signal's reason (a `TimeoutError` for
 * `AbortSignal.timeout`), as `fetch` does.
 */
export function nodeHttpFetch(): FetchLike {
  const agents = { 'http:': new HttpAgent({ keepAlive: true }), 'https:': new HttpsAgent({ keepAlive: true }) };
  return (url, init) =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      if (!secure && target.protocol !== 'http:') {
        reject(Object.assign(new TypeError('only http and https URLs are supported'), { code: 'ERR_INVALID_URL_SCHEME' }));
        return;
      }
      const request = (secure ? httpsRequest : httpRequest)(target, {
        method: init.method,
        headers: { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) },
        agent: secure ? agents['https:'] : agents['http:'],
        ...(init.signal ? { signal: init.signal } : {}),
      });
      request.on('error', (error) => reject(init.signal?.aborted ? init.signal.reason : error));
      request.on('response', (response) => readResponse(response).then(resolve, reject));
      request.end(init.body);
    });
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
