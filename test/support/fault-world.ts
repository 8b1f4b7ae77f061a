import { randomUUID } from 'node:crypto';
import type { SQSRecord } from 'aws-lambda';
import { InMemoryQueue, REPLAY_DLQ_URL, REPLAY_QUEUE_URL } from '../../cli/replay/queue.ts';
import { staticWebhooks, type FetchLike } from '../../destinations/slack-webhook/index.ts';
import { createHandler, type HandlerOptions } from '../../lambdas/consumer/handler.ts';
import type { ConsumerLogger } from '../../core/log.ts';
import { claimSecondsFor, createRepeatGate, type StateStore } from '../../core/repeats/index.ts';
import { DEAD_LETTER_ATTRIBUTES, type HubConfig } from '../../shared/index.ts';
import { webhookPath } from './consumer-harness.ts';
import {
  startSlackSimulator,
  type SimulatorOptions,
  type SlackSimulator,
} from '../../devkit/slack/webhook-simulator.ts';

/**
 * A world for fault tests and the fault benchmark: the real consumer handler over an in-memory SQS
 * queue (visibility, receive counts, `maxReceiveCount`, the DLQ) on a virtual clock, with the Slack
 * simulator on the same clock and a repeat-state store of the caller's (memory or DynamoDB). Hours of
 * outage pass in seconds: every wait of the handler (rate limits, backoff, visibility) advances the
 * clock instead of sleeping. Faults are switched by time through `onTick`, and a crash between Slack
 * accepting a message and the commit is modelled as an invocation that never returns.
 */

/** A clock that only moves when someone waits. */
export class VirtualClock {
  #nowMs: number;

  constructor(startMs: number) {
    this.#nowMs = startMs;
  }

  readonly now = (): number => this.#nowMs;

  readonly sleep = async (ms: number): Promise<void> => {
    this.#nowMs += Math.max(0, ms);
  };

  advanceTo(ms: number): void {
    this.#nowMs = Math.max(this.#nowMs, ms);
  }
}

/** Options of {@link startFaultWorld}. */
export interface FaultWorldOptions {
  readonly config: HubConfig;
  readonly store: StateStore;
  readonly simulator?: Omit<SimulatorOptions, 'now'>;
  /** Wraps the fetch the handler posts with (connection refused, a refused payload). */
  readonly fetch?: (real: FetchLike, clock: VirtualClock) => FetchLike;
  /** Wraps the store (throttling); applied to the gate's store. */
  readonly wrapStore?: (store: StateStore, clock: VirtualClock) => StateStore;
  /** Longest wait for one Slack answer, in real milliseconds. Default 2,000. */
  readonly requestTimeoutMs?: number;
  /** More handler options (a destination type's secrets or endpoint), applied over the world's own. */
  readonly handler?: Partial<HandlerOptions>;
}

/** What became of a run. */
export interface FaultOutcome {
  /** Each finding id with the number of Slack messages (accepted) that named it. */
  readonly shownTimes: ReadonlyMap<string, number>;
  /** Dead letters: the source finding id (or raw body) and the consumer's reason (empty when SQS moved it). */
  readonly deadLetters: readonly {
    readonly findingId: string | undefined;
    readonly reason: string;
    readonly kind: string;
  }[];
  /** Invocations of the handler. */
  readonly invocations: number;
  /** Virtual time at which the queue was empty, epoch ms. */
  readonly drainedAtMs: number;
  /** Messages still in the queue when the run stopped (0 when drained). */
  readonly left: number;
  /** Every message Slack accepted: when it arrived (virtual ms) and the finding ids it names. */
  readonly accepted: readonly { readonly receivedAtMs: number; readonly findingIds: readonly string[] }[];
}

/** A running fault world. */
export interface FaultWorld {
  readonly clock: VirtualClock;
  readonly simulator: SlackSimulator;
  /** Adds events (objects are JSON-encoded, strings sent as they are); returns their message ids. */
  enqueue(bodies: readonly (object | string)[]): string[];
  /**
   * Receives and invokes until the queue is empty or `untilMs` (virtual) passes. `onTick` runs before
   * each receive; `crashOnCommit` makes the first commit hang, and the invocation is abandoned there
   * (its records return after the queue's visibility timeout, their claims expire on their own).
   */
  run(options: {
    readonly untilMs: number;
    readonly onTick?: (nowMs: number) => void;
    readonly crashOnCommit?: boolean;
  }): Promise<FaultOutcome>;
  close(): Promise<void>;
}

/** 2026-03-01T00:00:00Z: where every fault world's clock starts. */
export const FAULT_T0_MS = Date.parse('2026-03-01T00:00:00.000Z');

const silent: ConsumerLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Starts a world for `options.config` (a webhook per destination on the simulator). */
export async function startFaultWorld(options: FaultWorldOptions): Promise<FaultWorld> {
  const { config } = options;
  const clock = new VirtualClock(FAULT_T0_MS);
  const simulator = await startSlackSimulator({ ...options.simulator, now: clock.now });
  const queue = new InMemoryQueue(
    {
      maxReceiveCount: config.queue.maxReceiveCount,
      defaultVisibilityMs: config.queue.visibilityTimeoutSeconds * 1000,
    },
    clock.now,
  );
  const realFetch = globalThis.fetch as unknown as FetchLike;
  const fetch = options.fetch ? options.fetch(realFetch, clock) : realFetch;
  const urls = Object.fromEntries(
    Object.keys(config.destinations).map((name) => [name, simulator.url(webhookPath(name))]),
  );
  const inner = options.wrapStore ? options.wrapStore(options.store, clock) : options.store;
  // One consumer instance at a time; a crash kills it (its store handle hangs for good) and a new one starts.
  const newInstance = () => {
    const crash: CrashState = { armed: false, dead: false, fire: () => undefined };
    const store = crashable(inner, crash);
    const handler = createHandler({
      config,
      webhooks: staticWebhooks(urls),
      sqs: queue,
      queueUrl: REPLAY_QUEUE_URL,
      deadLetterQueueUrl: REPLAY_DLQ_URL,
      fetch,
      now: clock.now,
      sleep: clock.sleep,
      random: () => 0.5,
      instanceShare: 1,
      requestTimeoutMs: options.requestTimeoutMs ?? 2_000,
      repeats: createRepeatGate({ settings: config.repeats, store, claimSeconds: claimSecondsFor(config) }),
      logger: silent,
      metrics: { addMetric: () => undefined, publishStoredMetrics: () => undefined },
      ...options.handler,
    });
    return { handler, crash };
  };
  let instance = newInstance();
  const ids: string[] = [];

  const invoke = async (records: SQSRecord[], crashOnCommit: boolean): Promise<Set<string> | 'crashed'> => {
    const deadline = clock.now() + config.consumer.timeoutSeconds * 1000;
    const signal = new Promise<'crashed'>((resolve) => {
      instance.crash.fire = () => resolve('crashed');
    });
    instance.crash.armed = crashOnCommit;
    const response = instance.handler({ Records: records }, { getRemainingTimeInMillis: () => deadline - clock.now() });
    const result = await Promise.race([response, signal]);
    if (result !== 'crashed') return new Set(result.batchItemFailures.map((failure) => failure.itemIdentifier));
    instance = newInstance();
    return 'crashed';
  };

  return {
    clock,
    simulator,
    enqueue(bodies) {
      return bodies.map((body) => {
        const id = randomUUID();
        queue.enqueue(id, typeof body === 'string' ? body : JSON.stringify(body), id);
        ids.push(id);
        return id;
      });
    },
    async run({ untilMs, onTick, crashOnCommit = false }) {
      let invocations = 0;
      let crashPending = crashOnCommit;
      while (queue.size > 0 && clock.now() < untilMs) {
        onTick?.(clock.now());
        const records = queue.receive(config.delivery.batchSize);
        if (records.length === 0) {
          clock.advanceTo(Math.min(untilMs, queue.nextVisibleAtMs() ?? untilMs));
          continue;
        }
        invocations += 1;
        const failed = await invoke(records, crashPending);
        if (failed === 'crashed') crashPending = false;
        // A crashed invocation settles nothing: every record comes back after the visibility timeout.
        queue.settle(records, failed === 'crashed' ? new Set(records.map((record) => record.messageId)) : failed);
      }
      return outcomeOf(simulator, queue, invocations, clock.now());
    },
    close: () => simulator.close(),
  };
}

/** One consumer instance's crash switch. */
interface CrashState {
  armed: boolean;
  dead: boolean;
  fire: () => void;
}

/**
 * One instance's handle on the store: once a crash is armed, its first finalize fires the crash, and it
 * and every later call of that instance never return (an instance dying before its commit lands).
 */
function crashable(store: StateStore, crash: CrashState): StateStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (property !== 'finalize' || typeof value !== 'function')
        return typeof value === 'function' ? value.bind(target) : value;
      return (...args: unknown[]) => {
        if (!crash.armed && !crash.dead) return (value as (...a: unknown[]) => unknown).apply(target, args);
        if (!crash.dead) crash.fire();
        crash.armed = false;
        crash.dead = true;
        return new Promise(() => undefined);
      };
    },
  });
}

function outcomeOf(simulator: SlackSimulator, queue: InMemoryQueue, invocations: number, nowMs: number): FaultOutcome {
  const shownTimes = new Map<string, number>();
  const accepted = simulator.accepted().map((request) => {
    // Every rendering links the finding in the console: `…#/findings?macros=current&fId=<id>`.
    const linked = new Set(
      [...request.raw.matchAll(/fId=([^"&|>\s]+)/g)].map((match) => decodeURIComponent(match[1] ?? '')),
    );
    for (const findingId of linked) shownTimes.set(findingId, (shownTimes.get(findingId) ?? 0) + 1);
    return { receivedAtMs: request.receivedAtMs, findingIds: [...linked] };
  });
  const deadLetters = queue.deadLettered.map((letter) => ({
    findingId: findingIdOf(letter.body),
    reason: letter.attributes[DEAD_LETTER_ATTRIBUTES.reason] ?? '',
    kind: letter.attributes[DEAD_LETTER_ATTRIBUTES.kind] ?? '',
  }));
  return { shownTimes, deadLetters, invocations, drainedAtMs: nowMs, left: queue.size, accepted };
}

function findingIdOf(body: string): string | undefined {
  try {
    const id = (JSON.parse(body) as { detail?: { id?: unknown } }).detail?.id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
