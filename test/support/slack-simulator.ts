import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validatePayload } from '../../consumer/render/index.ts';

/**
 * A loopback stand-in for Slack incoming webhooks. Each path is one webhook with its own token
 * bucket (429 with an integer `Retry-After` when empty); payloads over Slack's limits get 400
 * `invalid_blocks`, non-JSON 400 `invalid_payload`; behaviours make a path fail, vanish or slow down.
 */

/** How one webhook path misbehaves; fields combine. */
export interface SimulatorBehaviour {
  /** Answer 500 for this many milliseconds from now. */
  readonly fail5xxFor?: number;
  /**
   * Answer this status forever: 404 channel_not_found, 410 channel_is_archived, 403 action_prohibited
   * (or 400 invalid_blocks, to pretend Slack refuses every payload).
   */
  readonly gone?: 400 | 403 | 404 | 410;
  /** Body sent with `gone`; Slack's error code. */
  readonly body?: string;
  /** Wait this many milliseconds before answering. */
  readonly delayMs?: number;
  /** Answer 404 `no_service` forever (a revoked webhook). */
  readonly noService?: boolean;
  /**
   * Answer 400 `refuseBody` (default `invalid_blocks`) to every payload whose raw JSON contains this
   * string (a finding id, say), in whatever form it comes: Slack refusing exactly one finding.
   */
  readonly refuseContaining?: string;
  /** Body sent with `refuseContaining`; Slack's error code. */
  readonly refuseBody?: string;
}

/** Options of the simulator. */
export interface SimulatorOptions {
  /** Messages per second each webhook accepts. Default 1 (Slack's rate). */
  readonly ratePerSecond?: number;
  /** Messages a webhook accepts at once before the rate applies. Default 1. */
  readonly burst?: number;
  /** Clock in milliseconds since the epoch. Default `Date.now`. */
  readonly now?: () => number;
}

/** One request the simulator received. */
export interface ReceivedRequest {
  readonly path: string;
  /** The parsed JSON body, or the raw text when it is not JSON. */
  readonly body: unknown;
  /** The raw body text. */
  readonly raw: string;
  /** When it arrived, in milliseconds since the epoch (simulator clock). */
  readonly receivedAtMs: number;
  /** The status answered. */
  readonly status: number;
  /** The `Retry-After` answered with a 429, in seconds. */
  readonly retryAfterSeconds?: number;
}

/** A running simulator. */
export interface SlackSimulator {
  /** The webhook URL for `path` (such as `/services/T0/B0/security`). */
  url(path: string): string;
  readonly baseUrl: string;
  /** Every request received, in arrival order. */
  readonly requests: readonly ReceivedRequest[];
  /** Requests to `path` that Slack accepted (status 200). */
  accepted(path?: string): ReceivedRequest[];
  /** Changes how `path` answers from now on (`{}` restores normal behaviour). */
  setBehaviour(path: string, behaviour: SimulatorBehaviour): void;
  close(): Promise<void>;
}

interface PathState {
  tokens: number;
  updatedAtMs: number;
  behaviour: SimulatorBehaviour;
  failUntilMs: number;
}

/** Starts a simulator on 127.0.0.1 on a free port. */
export async function startSlackSimulator(options: SimulatorOptions = {}): Promise<SlackSimulator> {
  const rate = options.ratePerSecond ?? 1;
  const burst = Math.max(1, options.burst ?? 1);
  const now = options.now ?? Date.now;
  const requests: ReceivedRequest[] = [];
  const paths = new Map<string, PathState>();

  const stateOf = (path: string): PathState => {
    let state = paths.get(path);
    if (!state) {
      state = { tokens: burst, updatedAtMs: now(), behaviour: {}, failUntilMs: 0 };
      paths.set(path, state);
    }
    return state;
  };

  const answer = (path: string, raw: string, response: ServerResponse): void => {
    const receivedAtMs = now();
    const state = stateOf(path);
    let body: unknown = raw;
    let parsed = false;
    try {
      body = JSON.parse(raw);
      parsed = true;
    } catch {
      // kept as text
    }
    const send = (status: number, text: string, retryAfterSeconds?: number): void => {
      requests.push({ path, body, raw, receivedAtMs, status, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) });
      const headers: Record<string, string> = { 'content-type': 'text/plain' };
      if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
      const reply = () => response.writeHead(status, headers).end(text);
      if (state.behaviour.delayMs) setTimeout(reply, state.behaviour.delayMs);
      else reply();
    };

    const { behaviour } = state;
    if (behaviour.noService) return send(404, 'no_service');
    if (behaviour.gone) return send(behaviour.gone, behaviour.body ?? 'channel_not_found');
    if (receivedAtMs < state.failUntilMs) return send(500, 'internal_error');
    if (!parsed || body === null || typeof body !== 'object') return send(400, 'invalid_payload');
    if (validatePayload(body as Parameters<typeof validatePayload>[0]).length > 0) return send(400, 'invalid_blocks');
    if (behaviour.refuseContaining !== undefined && raw.includes(behaviour.refuseContaining)) return send(400, behaviour.refuseBody ?? 'invalid_blocks');

    const elapsedMs = Math.max(0, receivedAtMs - state.updatedAtMs);
    state.tokens = Math.min(burst, state.tokens + (elapsedMs / 1000) * rate);
    state.updatedAtMs = receivedAtMs;
    if (state.tokens < 1) return send(429, 'rate_limited', Math.max(1, Math.ceil((1 - state.tokens) / rate)));
    state.tokens -= 1;
    return send(200, 'ok');
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => answer(request.url ?? '/', Buffer.concat(chunks).toString('utf8'), response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    baseUrl,
    requests,
    url: (path) => `${baseUrl}${path.startsWith('/') ? path : `/${path}`}`,
    accepted: (path) => requests.filter((r) => r.status === 200 && (path === undefined || r.path === path)),
    setBehaviour(path, behaviour) {
      const state = stateOf(path);
      state.behaviour = behaviour;
      state.failUntilMs = behaviour.fail5xxFor ? now() + behaviour.fail5xxFor : 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
