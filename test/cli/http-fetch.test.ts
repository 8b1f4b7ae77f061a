import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { postWebhook } from '../../consumer/deliver/index.ts';
import { nodeHttpFetch } from '../../cli/replay/index.ts';

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** A loopback server; returns its base URL and what it received. */
async function serve(answer: (body: string, respond: (status: number, headers: Record<string, string>, body: string) => void) => void) {
  const received: { method: string; headers: Record<string, unknown>; body: string }[] = [];
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ method: request.method ?? '', headers: request.headers, body });
      answer(body, (status, headers, text) => response.writeHead(status, headers).end(text));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/services/T0/B0/x`, received };
}

const payload = { text: 'hi ✓', attachments: [] };

describe('nodeHttpFetch', () => {
  it('posts the body with its length and gives back status, headers and text', async () => {
    const { url, received } = await serve((_, respond) => respond(429, { 'retry-after': '7' }, 'rate_limited'));

    const response = await nodeHttpFetch()(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });

    expect(response.status).toBe(429);
    expect(response.headers.get('Retry-After')).toBe('7');
    expect(await response.text()).toBe('rate_limited');
    expect(received).toEqual([{ method: 'POST', headers: expect.objectContaining({ 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(JSON.stringify(payload))) }), body: JSON.stringify(payload) }]);
  });

  it('behaves as fetch does for the consumer: 2xx resolves, a slow answer times out, a closed port is a network error', async () => {
    const { url } = await serve((body, respond) => (body.includes('slow') ? setTimeout(() => respond(200, {}, 'ok'), 500) : respond(200, {}, 'ok')));
    const options = { destination: 'security', fetch: nodeHttpFetch(), timeoutMs: 100 };

    await expect(postWebhook(url, payload, options)).resolves.toBeUndefined();
    await expect(postWebhook(url, { text: 'slow', attachments: [] }, options)).rejects.toThrow(/timed out/);
    await expect(postWebhook('http://127.0.0.1:9/services/T0/B0/x', payload, options)).rejects.toThrow(/ECONNREFUSED/);
  });
});
