import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook } from '../../destinations/slack-webhook/index.ts';
import { deadlineFor, type FetchLike } from '../../destinations/slack-webhook/webhook.ts';
import { nodeHttpFetch } from '../../lambdas/consumer/index.ts';

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
  return {
    url: `${scheme}://127.0.0.1:${(server!.address() as AddressInfo).port}/services/T0/B0/x`,
    received,
    connections,
  };
}

const ok: Answer = (_, respond) => respond(200, {}, 'ok');
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const payload = { text: 'hi ✓', attachments: [] };

describe('nodeHttpFetch', () => {
  it('posts the body with its length and gives back status, headers and text', async () => {
    const { url, received } = await serve((_, respond) => respond(429, { 'retry-after': '7' }, 'rate_limited'));

    const response = await nodeHttpFetch()(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });

    expect(response.status).toBe(429);
    expect(response.headers.get('Retry-After')).toBe('7');
    expect(await response.text()).toBe('rate_limited');
    expect(received).toEqual([
      {
        method: 'POST',
        headers: expect.objectContaining({
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(JSON.stringify(payload))),
        }),
        body: JSON.stringify(payload),
      },
    ]);
  });

  it('behaves as fetch does for the consumer: 2xx resolves, a slow answer times out, a closed port is a network error', async () => {
    const { url } = await serve((body, respond) =>
      body.includes('slow') ? setTimeout(() => respond(200, {}, 'ok'), 500) : respond(200, {}, 'ok'),
    );
    const options = { destination: 'security', fetch: nodeHttpFetch(), timeoutMs: 100 };

    await expect(postWebhook(url, payload, options)).resolves.toBeUndefined();
    await expect(postWebhook(url, { text: 'slow', attachments: [] }, options)).rejects.toThrow(/timed out/);
    await expect(postWebhook('http://127.0.0.1:9/services/T0/B0/x', payload, options)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('keeps time itself: timeoutMs fails a slow answer with a TimeoutError, as an AbortSignal.timeout would', async () => {
    const { url } = await serve((_, respond) => setTimeout(() => respond(200, {}, 'late'), 500));
    const fetch = nodeHttpFetch();

    const slow = fetch(url, { method: 'POST', headers: {}, body: '{}', timeoutMs: 50 });

    await expect(slow).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(fetch.keepsTime).toBe(true);
  });

  it('posts over https, verifying the certificate: a CA given is trusted, an unknown one is a network error', async () => {
    const { url, received } = await serve(ok, { tls: true });
    const options = { destination: 'security', timeoutMs: 2000 };

    await expect(
      postWebhook(url, payload, { ...options, fetch: nodeHttpFetch({ ca: TLS.cert }) }),
    ).resolves.toBeUndefined();
    await expect(postWebhook(url, payload, { ...options, fetch: nodeHttpFetch() })).rejects.toThrow(
      /network error (DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED)/,
    );
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

  describe('in a process frozen between invocations, as Lambda freezes an instance (SIGSTOP, then SIGCONT)', () => {
    let dir: string;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'http-fetch-freeze-'));
      await build({
        entryPoints: [fileURLToPath(new URL('../../core/port/http-fetch.ts', import.meta.url))],
        bundle: true,
        platform: 'node',
        format: 'esm',
        outfile: join(dir, 'client.mjs'),
        logLevel: 'silent',
      });
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    /**
     * A child posts once, then long-polls a stand-in for the Lambda Runtime API; it is frozen for
     * `frozenMs` and, once thawed, given its next event, on which it posts at once. The Slack server
     * keeps idle connections for a minute, so only the client can decide not to reuse one.
     */
    async function postAcrossFreeze(idleSocketMs: number, frozenMs: number) {
      const { url, connections, received } = await serve(ok);
      let next: ServerResponse | undefined;
      const runtimeApi = createServer((_request, response) => (next = response));
      await new Promise<void>((resolve) => runtimeApi.listen(0, '127.0.0.1', resolve));
      (server as Server).keepAliveTimeout = 60_000;
      const script = `
        import { get } from 'node:http';
        const { nodeHttpFetch } = await import(${JSON.stringify(pathToFileURL(join(dir, 'client.mjs')).href)});
        const post = nodeHttpFetch({ idleSocketMs: ${idleSocketMs} });
        const send = () => post(${JSON.stringify(url)}, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
        await send();
        get('http://127.0.0.1:${(runtimeApi.address() as AddressInfo).port}/next', (event) => {
          event.resume();
          send().then((answer) => process.exit(answer.status === 200 ? 0 : 3), () => process.exit(4));
        });`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' });
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      try {
        while (next === undefined) await pause(10);
        child.kill('SIGSTOP');
        await pause(frozenMs);
        child.kill('SIGCONT');
        next.end('{}');
        expect(await exited).toBe(0);
        return { connections: connections.opened, posts: received.length };
      } finally {
        child.kill();
        runtimeApi.closeAllConnections();
        await new Promise((resolve) => runtimeApi.close(resolve));
      }
    }

    it('opens a new connection for the first post after a freeze longer than idleSocketMs', async () => {
      expect(await postAcrossFreeze(200, 800)).toEqual({ connections: 2, posts: 2 });
    });

    it('reuses the connection across a freeze shorter than idleSocketMs (the control: the test can see a reuse)', async () => {
      expect(await postAcrossFreeze(60_000, 800)).toEqual({ connections: 1, posts: 2 });
    });
  });
});

describe('deadlineFor', () => {
  it('gives a fetch that keeps time the milliseconds, and any other fetch an AbortSignal', () => {
    const keeping = Object.assign(async () => ({ status: 200, headers: { get: () => null }, text: async () => '' }), {
      keepsTime: true,
    }) as FetchLike;
    const plain: FetchLike = async () => ({ status: 200, headers: { get: () => null }, text: async () => '' });

    expect(deadlineFor(keeping, 2_500.7)).toEqual({ timeoutMs: 2_500 });
    expect(deadlineFor(plain, 2_500).signal).toBeInstanceOf(AbortSignal);
    expect(deadlineFor(plain, 2_500)).not.toHaveProperty('timeoutMs');
  });
});
