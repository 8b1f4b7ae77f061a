import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { postWebhook } from '../../consumer/deliver/index.ts';
import { nodeHttpFetch } from '../../consumer/index.ts';

/** A self-signed certificate for 127.0.0.1, for these tests only (openssl, valid until 2126). */
const TLS = {
  cert: readFileSync(new URL('../support/tls/localhost-cert.pem', import.meta.url)),
  key: readFileSync(new URL('../support/tls/localhost-key.pem', import.meta.url)),
};

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

type Answer = (body: string, respond: (status: number, headers: Record<string, string>, body: string) => void) => void;

/**
 * A loopback server (https with the test certificate when asked); returns its base URL, what it
 * received and how many connections were opened to it.
 */
async function serve(answer: Answer, options: { readonly tls?: boolean } = {}) {
  const received: { method: string; headers: Record<string, unknown>; body: string }[] = [];
  const connections = { opened: 0 };
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ method: request.method ?? '', headers: request.headers, body });
      answer(body, (status, headers, text) => response.writeHead(status, headers).end(text));
    });
  };
  server = options.tls ? createTlsServer(TLS, handle) : createServer(handle);
  server.on(options.tls ? 'secureConnection' : 'connection', () => (connections.opened += 1));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const scheme = options.tls ? 'https' : 'http';
  return { url: `${scheme}://127.0.0.1:${(server!.address() as AddressInfo).port}/services/T0/B0/x`, received, connections };
}

const ok: Answer = (_, respond) => respond(200, {}, 'ok');
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

  it('posts over https, verifying the certificate: a CA given is trusted, an unknown one is a network error', async () => {
    const { url, received } = await serve(ok, { tls: true });
    const options = { destination: 'security', timeoutMs: 2000 };

    await expect(postWebhook(url, payload, { ...options, fetch: nodeHttpFetch({ ca: TLS.cert }) })).resolves.toBeUndefined();
    await expect(postWebhook(url, payload, { ...options, fetch: nodeHttpFetch() })).rejects.toThrow(/network error (DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED)/);
    expect(received.map((r) => r.body)).toEqual([JSON.stringify(payload)]);
  });

  it('reuses a connection while it is busy, and closes one idle for idleSocketMs instead of reusing it', async () => {
    const { url, connections } = await serve(ok, { tls: true });
    const post = nodeHttpFetch({ ca: TLS.cert, idleSocketMs: 150 });
    const send = () => post(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });

    for (let i = 0; i < 5; i += 1) await send();
    expect(connections.opened).toBe(1);

    await pause(400);
    await send();
    expect(connections.opened).toBe(2);
  });

  it('keeps an idle connection for the default 4 s, as Node fetch does', async () => {
    const { url, connections } = await serve(ok);
    const post = nodeHttpFetch();
    const send = () => post(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });

    await send();
    await pause(300);
    await send();

    expect(connections.opened).toBe(1);
  });
});
