import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validatePayload } from '../../destinations/slack/render/index.ts';

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
  const webhooks = new Webhooks(options);
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => webhooks.answer(request.url ?? '/', Buffer.concat(chunks).toString('utf8'), response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const { requests } = webhooks;
  return {
    baseUrl,
    requests,
    url: (path) => `${baseUrl}${path.startsWith('/') ? path : `/${path}`}`,
    accepted: (path) => requests.filter((r) => r.status === 200 && (path === undefined || r.path === path)),
    setBehaviour: (path, behaviour) => webhooks.setBehaviour(path, behaviour),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** The webhooks of the simulator: each path's rate bucket and behaviour, and every request received. */
class Webhooks {
  readonly requests: ReceivedRequest[] = [];
  readonly #rate: number;
  readonly #burst: number;
  readonly #now: () => number;
  readonly #paths = new Map<string, PathState>();

  constructor(options: SimulatorOptions) {
    this.#rate = options.ratePerSecond ?? 1;
    this.#burst = Math.max(1, options.burst ?? 1);
    this.#now = options.now ?? Date.now;
  }

  setBehaviour(path: string, behaviour: SimulatorBehaviour): void {
    const state = this.#stateOf(path);
    state.behaviour = behaviour;
    state.failUntilMs = behaviour.fail5xxFor ? this.#now() + behaviour.fail5xxFor : 0;
  }

  /** Answers a post of `raw` to `path` as Slack would, after the path's behaviour and its rate. */
  answer(path: string, raw: string, response: ServerResponse): void {
    const receivedAtMs = this.#now();
    const state = this.#stateOf(path);
    const body = parseJson(raw);
    const send = (status: number, text: string, retryAfterSeconds?: number): void => {
      this.requests.push({
        path,
        body: body ?? raw,
        raw,
        receivedAtMs,
        status,
        ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
      });
      const headers: Record<string, string> = { 'content-type': 'text/plain' };
      if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
      const reply = () => response.writeHead(status, headers).end(text);
      if (state.behaviour.delayMs) setTimeout(reply, state.behaviour.delayMs);
      else reply();
    };
    const refusal = this.#refusal(state, raw, body, receivedAtMs);
    if (refusal !== undefined) {
      send(refusal.status, refusal.text);
      return;
    }
    const wait = this.#take(state, receivedAtMs);
    if (wait !== undefined) send(429, 'rate_limited', wait);
    else send(200, 'ok');
  }

  /** What the path's behaviour, or Slack's payload checks, answer instead of taking the post. */
  #refusal(state: PathState, raw: string, body: unknown, atMs: number): { status: number; text: string } | undefined {
    const { behaviour } = state;
    if (behaviour.noService) return { status: 404, text: 'no_service' };
    if (behaviour.gone) return { status: behaviour.gone, text: behaviour.body ?? 'channel_not_found' };
    if (atMs < state.failUntilMs) return { status: 500, text: 'internal_error' };
    if (body === undefined || body === null || typeof body !== 'object')
      return { status: 400, text: 'invalid_payload' };
    if (validatePayload(body as Parameters<typeof validatePayload>[0]).length > 0)
      return { status: 400, text: 'invalid_blocks' };
    if (behaviour.refuseContaining !== undefined && raw.includes(behaviour.refuseContaining))
      return { status: 400, text: behaviour.refuseBody ?? 'invalid_blocks' };
    return undefined;
  }

  /** Takes a token from the path's bucket; the seconds to wait when it has none. */
  #take(state: PathState, atMs: number): number | undefined {
    const elapsedMs = Math.max(0, atMs - state.updatedAtMs);
    state.tokens = Math.min(this.#burst, state.tokens + (elapsedMs / 1000) * this.#rate);
    state.updatedAtMs = atMs;
    if (state.tokens < 1) return Math.max(1, Math.ceil((1 - state.tokens) / this.#rate));
    state.tokens -= 1;
    return undefined;
  }

  #stateOf(path: string): PathState {
    let state = this.#paths.get(path);
    if (!state) {
      state = { tokens: this.#burst, updatedAtMs: this.#now(), behaviour: {}, failUntilMs: 0 };
      this.#paths.set(path, state);
    }
    return state;
  }
}

/** The parsed JSON of `raw`, or undefined when it is not JSON. */
function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}
