import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { measured, type Measured } from './stats.ts';

/**
 * The consumer's Slack client over https: `nodeHttpFetch` (node:https, keep-alive) against Node's
 * global `fetch` (undici), each in a fresh process posting to a TLS server in this one (the test
 * certificate, trusted through NODE_EXTRA_CA_CERTS). The child measures its own CPU
 * (`process.cpuUsage()`): the first post, from loading the client to the answer (undici loads on
 * the first `fetch`), then `posts` more posts of a digest-sized body on the kept-alive connection.
 *
 * `npx tsx bench/http.ts [posts] [runs]`
 */

const THIS_FILE = fileURLToPath(import.meta.url);
const REPO_ROOT = resolve(THIS_FILE, '..', '..');
const TLS_DIR = join(REPO_ROOT, 'test', 'support', 'tls');
const run = promisify(execFile);

/** An average digest of the cpu benchmark's storm, in bytes. */
const BODY_BYTES = 5200;

/** The two clients. */
export const CLIENTS = ['nodeHttpFetch', 'fetch'] as const;
export type Client = (typeof CLIENTS)[number];

/** One child's figures, in ms of CPU. */
interface HttpSample {
  readonly firstPostMs: number;
  readonly perPostMs: number;
}

/** Figures per client. */
export type HttpResult = Record<Client, { readonly firstPostMs: Measured; readonly perPostMs: Measured }>;

const CHILD_SCRIPT = `
const [client, moduleUrl, url, posts, bytes] = process.argv.slice(2);
const cpuMs = (since) => { const { user, system } = process.cpuUsage(since); return (user + system) / 1000; };
const body = JSON.stringify({ text: 'x'.repeat(Number(bytes)) });
const init = () => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(10000) });
const start = process.cpuUsage();
const post = client === 'fetch' ? globalThis.fetch : (await import(moduleUrl)).nodeHttpFetch();
const send = async () => { const response = await post(url, init()); if (response.status !== 200) throw new Error('HTTP ' + response.status); await response.text(); };
await send();
const firstPostMs = cpuMs(start);
const rest = process.cpuUsage();
for (let i = 0; i < Number(posts); i += 1) await send();
process.stdout.write(JSON.stringify({ firstPostMs, perPostMs: cpuMs(rest) / Number(posts) }));
process.exit(0);
`;

/** Bundles the client as the Lambda carries it. */
async function bundleClient(dir: string): Promise<string> {
  const outfile = join(dir, 'http-fetch.mjs');
  await build({
    entryPoints: [join(REPO_ROOT, 'core', 'port', 'http-fetch.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minify: true,
    outfile,
    logLevel: 'silent',
  });
  return pathToFileURL(outfile).href;
}

/** `runs` fresh processes per client, alternating, each posting `posts` times after its first post. */
export async function measureSlackClient(posts = 300, runs = 5): Promise<HttpResult> {
  const dir = mkdtempSync(join(tmpdir(), 'guardduty-hub-bench-http-'));
  const cert = join(TLS_DIR, 'localhost-cert.pem');
  const server = createServer(
    { cert: readFileSync(cert), key: readFileSync(join(TLS_DIR, 'localhost-key.pem')) },
    (request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
    },
  );
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/services/T0/B0/bench`;
  try {
    const moduleUrl = await bundleClient(dir);
    writeFileSync(join(dir, 'child.mjs'), CHILD_SCRIPT);
    const samples: Record<Client, HttpSample[]> = { nodeHttpFetch: [], fetch: [] };
    for (let i = 0; i < runs; i += 1) {
      for (const client of CLIENTS) {
        const { stdout } = await run(
          process.execPath,
          [join(dir, 'child.mjs'), client, moduleUrl, url, String(posts), String(BODY_BYTES)],
          {
            env: { ...process.env, NODE_EXTRA_CA_CERTS: cert },
          },
        );
        samples[client].push(JSON.parse(stdout) as HttpSample);
      }
    }
    const figures = (client: Client) => ({
      firstPostMs: measured(samples[client].map((s) => s.firstPostMs)),
      perPostMs: measured(samples[client].map((s) => s.perPostMs)),
    });
    return { nodeHttpFetch: figures('nodeHttpFetch'), fetch: figures('fetch') };
  } finally {
    server.closeAllConnections();
    await new Promise((closed) => server.close(closed));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const posts = Number(process.argv[2] ?? 300);
  const r = await measureSlackClient(posts, Number(process.argv[3] ?? 5));
  for (const client of CLIENTS) {
    process.stdout.write(
      `${client.padEnd(14)} first post ${r[client].firstPostMs.median.toFixed(1)} ms CPU, then ${(r[client].perPostMs.median * 1000).toFixed(0)} µs per post (${posts} posts of ${BODY_BYTES} bytes)\n`,
    );
  }
}
