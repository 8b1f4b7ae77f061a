import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Alerts } from './alerts.ts';
import { validateEvent, type ValidEvent } from './validate.ts';

/**
 * A loopback stand-in for PagerDuty's Events API v2 (`POST /v2/enqueue`), built from PagerDuty's public
 * documentation: it checks events as documented (400 with `status`, `message`, `errors`), answers 202
 * `{ status: "success", message: "Event processed", dedup_key }`, throttles each routing key at about 120
 * events over a 60-second window looking back from now ("Events API Rate Limits": 429, event not
 * ingested, no `Retry-After`), and keeps alerts by `dedup_key` (triggered, acknowledged, resolved).
 * Routing keys must be registered (`integration`); an unknown one is answered as PagerDuty answers an
 * invalid key (400 `Invalid routing key`).
 */

/** How one integration misbehaves; fields combine. */
export interface IntegrationBehaviour {
  /** Answer this status forever (the integration deleted or disabled). */
  readonly gone?: 401 | 403 | 404;
  /** Answer 500 for this many milliseconds from now. */
  readonly fail5xxFor?: number;
  /** Answer 400 to every event whose raw JSON contains this string (refusing exactly one finding). */
  readonly refuseContaining?: string;
  /** Answer 429 (no `Retry-After`) to this many events from now, whatever the rate. */
  readonly throttleNext?: number;
}

/** Options of the simulator. */
export interface PagerDutySimulatorOptions {
  /** Events one routing key takes per window. Default 120 (PagerDuty's documented figure). */
  readonly eventsPerWindow?: number;
  /** The window, in seconds. Default 60. */
  readonly windowSeconds?: number;
  /** Clock in milliseconds since the epoch. Default `Date.now`. */
  readonly now?: () => number;
}

/** One request received. */
export interface ReceivedEvent {
  /** The raw body, routing key and all. */
  readonly raw: string;
  /** The event when it was valid JSON with a routing key. */
  readonly event: ValidEvent | undefined;
  readonly receivedAtMs: number;
  readonly status: number;
  /** For a 202: whether the event changed an alert (acknowledge and resolve with no open alert are dropped). */
  readonly applied?: boolean;
}

/** A running simulator. */
export interface PagerDutySimulator {
  /** The enqueue URL: `http://127.0.0.1:PORT/v2/enqueue`. */
  readonly url: string;
  readonly baseUrl: string;
  /** Every request, in arrival order. */
  readonly requests: readonly ReceivedEvent[];
  /** Events answered 202. */
  accepted(): ReceivedEvent[];
  /** The alerts kept by `dedup_key`. */
  readonly alerts: Alerts;
  /** Registers `routingKey` (an Events API v2 integration) and sets how it answers (`{}`: normally). */
  integration(routingKey: string, behaviour?: IntegrationBehaviour): void;
  close(): Promise<void>;
}

interface Integration {
  behaviour: IntegrationBehaviour;
  failUntilMs: number;
  /** When each ingested event arrived (the rate window), oldest first. */
  readonly ingestedAtMs: number[];
}

/** Starts a simulator on 127.0.0.1 on a free port. */
export async function startPagerDutySimulator(options: PagerDutySimulatorOptions = {}): Promise<PagerDutySimulator> {
  const service = new EventsService(options);
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const [status, body] =
        request.method === 'POST' && request.url === '/v2/enqueue'
          ? service.answer(Buffer.concat(chunks).toString('utf8'))
          : [404, { status: 'not found', message: 'POST /v2/enqueue only' }];
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    url: `${baseUrl}/v2/enqueue`,
    baseUrl,
    requests: service.requests,
    accepted: () => service.requests.filter((request) => request.status === 202),
    alerts: service.alerts,
    integration: (routingKey, behaviour = {}) => service.integration(routingKey, behaviour),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** The service behind the endpoint: integrations, their rate windows and behaviours, the alerts. */
class EventsService {
  readonly requests: ReceivedEvent[] = [];
  readonly alerts = new Alerts();
  readonly #integrations = new Map<string, Integration>();
  readonly #perWindow: number;
  readonly #windowMs: number;
  readonly #now: () => number;

  constructor(options: PagerDutySimulatorOptions) {
    this.#perWindow = options.eventsPerWindow ?? 120;
    this.#windowMs = (options.windowSeconds ?? 60) * 1000;
    this.#now = options.now ?? Date.now;
  }

  integration(routingKey: string, behaviour: IntegrationBehaviour): void {
    const known = this.#integrations.get(routingKey);
    const failUntilMs = behaviour.fail5xxFor === undefined ? 0 : this.#now() + behaviour.fail5xxFor;
    if (known === undefined) this.#integrations.set(routingKey, { behaviour, failUntilMs, ingestedAtMs: [] });
    else Object.assign(known, { behaviour, failUntilMs });
  }

  /** The status and body for one request body. */
  answer(raw: string): [number, object] {
    const nowMs = this.#now();
    const validation = validateEvent(raw);
    const record = (status: number, event?: ValidEvent, applied?: boolean) =>
      this.requests.push({ raw, event, receivedAtMs: nowMs, status, ...(applied === undefined ? {} : { applied }) });
    if (!validation.ok) {
      record(400);
      return [400, { status: validation.status, message: validation.message, errors: validation.errors }];
    }
    const { event } = validation;
    const integration = this.#integrations.get(event.routingKey);
    const refusal = integration === undefined ? invalidKey() : this.#misbehaviour(integration, raw, nowMs);
    if (refusal !== undefined) {
      record(refusal[0], event);
      return refusal;
    }
    const { dedupKey, applied } = this.alerts.apply(event);
    record(202, event, applied);
    return [202, { status: 'success', message: 'Event processed', dedup_key: dedupKey }];
  }

  /** The answer of an integration that does not take this event now, else undefined (the event is ingested). */
  #misbehaviour(integration: Integration, raw: string, nowMs: number): [number, object] | undefined {
    const { behaviour } = integration;
    if (behaviour.gone !== undefined) return [behaviour.gone, { status: 'error', message: 'Integration not found' }];
    if (nowMs < integration.failUntilMs) return [500, { status: 'error', message: 'Internal Server Error' }];
    if (behaviour.throttleNext !== undefined && behaviour.throttleNext > 0) {
      integration.behaviour = { ...behaviour, throttleNext: behaviour.throttleNext - 1 };
      return throttled();
    }
    const window = integration.ingestedAtMs;
    while (window.length > 0 && (window[0] ?? nowMs) <= nowMs - this.#windowMs) window.shift();
    if (window.length >= this.#perWindow) return throttled();
    if (behaviour.refuseContaining !== undefined && raw.includes(behaviour.refuseContaining))
      return [400, { status: 'invalid event', message: 'Event object is invalid', errors: ['refused by the test'] }];
    window.push(nowMs);
    return undefined;
  }
}

function invalidKey(): [number, object] {
  return [400, { status: 'invalid event', message: 'Event object is invalid', errors: ['Invalid routing key'] }];
}

function throttled(): [number, object] {
  return [429, { status: 'throttle event', message: 'Request Limit Exceeded' }];
}
