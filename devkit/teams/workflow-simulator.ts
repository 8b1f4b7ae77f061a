import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkTeamsMessage } from './message-check.ts';

/**
 * A loopback stand-in for Microsoft Teams Workflows webhooks ("When a Teams webhook request is
 * received"), built from Microsoft's documentation. Each path is one workflow with its own token bucket.
 * It answers:
 * - 202 Accepted to a well-formed message (`type: message`, Adaptive Card attachments of version ≤ 1.4),
 *   as the trigger does once it has the request;
 * - 413 `RequestEntityTooLarge` to a body over the size limit (Microsoft: about 28 KB);
 * - 400 `InvalidRequestContent` to a body that is not JSON, 415 to one not sent as `application/json`;
 * - 400 `TriggerInputSchemaMismatch` to a message whose cards Teams would not show (no attachment, not an
 *   Adaptive Card, a version above 1.4). The real trigger accepts those with 202 and the flow fails
 *   afterwards, silently: the simulator is stricter on purpose, so that tests see such a card;
 * - 429 with an integer `Retry-After` when the workflow's bucket is empty.
 * Behaviours make a workflow vanish (404), turn off (403), fail (5xx), refuse one finding, or slow down.
 */

/** How one workflow misbehaves; fields combine. */
export interface WorkflowBehaviour {
  /** Answer this status forever: 404 (flow deleted), 403 (turned off or not allowed), 401. */
  readonly gone?: 401 | 403 | 404;
  /** Answer 502 for this many milliseconds from now. */
  readonly fail5xxFor?: number;
  /** Answer 400 `TriggerInputSchemaMismatch` to every body whose raw JSON contains this string (a finding id). */
  readonly refuseContaining?: string;
  /** Answer 429 to this many posts first (with `retryAfterSeconds`), whatever the bucket holds. */
  readonly throttleNext?: number;
  /** `Retry-After` sent with `throttleNext`, in seconds. Default 1. */
  readonly retryAfterSeconds?: number;
  /** Wait this many milliseconds before answering. */
  readonly delayMs?: number;
}

/** Options of the simulator. */
export interface WorkflowSimulatorOptions {
  /** Posts per second each workflow accepts. Default 4 (the documented per-second threshold of Teams webhooks). */
  readonly ratePerSecond?: number;
  /** Posts a workflow accepts at once before the rate applies. Default 4. */
  readonly burst?: number;
  /** Largest body accepted, in bytes. Default 28,000 ("about 28 KB"). */
  readonly maxBodyBytes?: number;
  /** Clock in milliseconds since the epoch. Default `Date.now`. */
  readonly now?: () => number;
}

/** One request the simulator received. */
export interface WorkflowRequest {
  readonly path: string;
  /** The parsed JSON body, or the raw text when it is not JSON. */
  readonly body: unknown;
  readonly raw: string;
  readonly bytes: number;
  readonly receivedAtMs: number;
  readonly status: number;
  /** Why it was refused (the error code answered), when it was. */
  readonly code?: string;
  readonly retryAfterSeconds?: number;
}

/** A running simulator. */
export interface WorkflowSimulator {
  /** `http://127.0.0.1:<port><path>`. */
  url(path: string): string;
  /** Every request, or those to `path`. */
  requests(path?: string): readonly WorkflowRequest[];
  /** Requests to `path` answered 202. */
  accepted(path: string): readonly WorkflowRequest[];
  /** Sets (replaces) how `path` behaves. */
  behave(path: string, behaviour: WorkflowBehaviour): void;
  close(): Promise<void>;
}

/** Starts a simulator on 127.0.0.1 and an ephemeral port. */
export async function startWorkflowSimulator(options: WorkflowSimulatorOptions = {}): Promise<WorkflowSimulator> {
  const now = options.now ?? Date.now;
  const state = new WorkflowState(options, now);
  const server = createServer((request, response) => {
    readBody(request)
      .then((raw) => state.answer(request, raw))
      .then(async (answer) => {
        if (answer.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
        send(response, answer);
      })
      .catch(() => send(response, { status: 500, body: '', headers: {}, delayMs: 0 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    requests: (path) => state.log.filter((r) => path === undefined || r.path === path),
    accepted: (path) => state.log.filter((r) => r.path === path && r.status === 202),
    behave: (path, behaviour) => state.behaviours.set(path, { ...behaviour, since: now() }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string>;
  readonly delayMs: number;
}

/** The workflows' buckets, behaviours and the request log. */
class WorkflowState {
  readonly log: WorkflowRequest[] = [];
  readonly behaviours = new Map<string, WorkflowBehaviour & { since: number; throttled?: number }>();
  readonly #buckets = new Map<string, { tokens: number; atMs: number }>();
  readonly #rate: number;
  readonly #burst: number;
  readonly #maxBodyBytes: number;

  constructor(
    options: WorkflowSimulatorOptions,
    private readonly now: () => number,
  ) {
    this.#rate = options.ratePerSecond ?? 4;
    this.#burst = options.burst ?? 4;
    this.#maxBodyBytes = options.maxBodyBytes ?? 28_000;
  }

  answer(request: IncomingMessage, raw: string): Answer {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const at = this.now();
    const behaviour = this.behaviours.get(path);
    const got = this.#judge(path, request, raw, at, behaviour);
    let body: unknown = raw;
    try {
      body = JSON.parse(raw);
    } catch {}
    const bytes = Buffer.byteLength(raw, 'utf8');
    this.log.push({ path, body, raw, bytes, receivedAtMs: at, status: got.status, ...got.extra });
    const headers: Record<string, string> =
      got.extra.retryAfterSeconds === undefined ? {} : { 'retry-after': String(got.extra.retryAfterSeconds) };
    const answerBody =
      got.extra.code === undefined ? '' : JSON.stringify({ error: { code: got.extra.code, message: 'simulated' } });
    return { status: got.status, body: answerBody, headers, delayMs: behaviour?.delayMs ?? 0 };
  }

  #judge(
    path: string,
    request: IncomingMessage,
    raw: string,
    at: number,
    behaviour: (WorkflowBehaviour & { since: number; throttled?: number }) | undefined,
  ): { status: number; extra: { code?: string; retryAfterSeconds?: number } } {
    if (request.method !== 'POST') return { status: 405, extra: { code: 'MethodNotAllowed' } };
    if (behaviour?.gone !== undefined) return { status: behaviour.gone, extra: { code: 'WorkflowNotFound' } };
    if (behaviour?.fail5xxFor !== undefined && at < behaviour.since + behaviour.fail5xxFor)
      return { status: 502, extra: { code: 'BadGateway' } };
    if ((behaviour?.throttleNext ?? 0) > (behaviour?.throttled ?? 0)) {
      if (behaviour) behaviour.throttled = (behaviour.throttled ?? 0) + 1;
      return { status: 429, extra: { retryAfterSeconds: behaviour?.retryAfterSeconds ?? 1 } };
    }
    const wait = this.#take(path, at);
    if (wait > 0) return { status: 429, extra: { retryAfterSeconds: Math.ceil(wait / 1000) } };
    if (Buffer.byteLength(raw, 'utf8') > this.#maxBodyBytes)
      return { status: 413, extra: { code: 'RequestEntityTooLarge' } };
    if (!(request.headers['content-type'] ?? '').toLowerCase().startsWith('application/json'))
      return { status: 415, extra: { code: 'UnsupportedMediaType' } };
    const problem = checkTeamsMessage(raw);
    if (problem !== undefined) return { status: 400, extra: { code: problem } };
    if (behaviour?.refuseContaining !== undefined && raw.includes(behaviour.refuseContaining))
      return { status: 400, extra: { code: 'TriggerInputSchemaMismatch' } };
    return { status: 202, extra: {} };
  }

  /** Takes a token from `path`'s bucket; the milliseconds until one is there when it is empty. */
  #take(path: string, at: number): number {
    const bucket = this.#buckets.get(path) ?? { tokens: this.#burst, atMs: at };
    bucket.tokens = Math.min(this.#burst, bucket.tokens + ((at - bucket.atMs) / 1000) * this.#rate);
    bucket.atMs = at;
    this.#buckets.set(path, bucket);
    if (bucket.tokens < 1) return ((1 - bucket.tokens) / this.#rate) * 1000;
    bucket.tokens -= 1;
    return 0;
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, answer: Answer): void {
  response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
  response.end(answer.body);
}
