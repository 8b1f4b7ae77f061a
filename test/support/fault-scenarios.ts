import type { FetchLike } from '../../destinations/slack-webhook/index.ts';
import type { StateStore } from '../../core/repeats/index.ts';
import { forAccount, makeFindingEvent, makeHubConfig, type FindingEvent } from '../factories/index.ts';
import { webhookPath } from './consumer-harness.ts';
import { FAULT_T0_MS, startFaultWorld, type FaultOutcome, type FaultWorld, type VirtualClock } from './fault-world.ts';
import type { SimulatorOptions } from '../../devkit/slack/webhook-simulator.ts';

/**
 * The fault matrix: each scenario is a fault around the real handler (Slack, the network, the state
 * table, the Lambda itself, SQS, the input), run in a {@link startFaultWorld} on a virtual clock.
 * Shared by test/consumer/faults.test.ts (memory store), test/integration/faults-dynamodb.test.ts
 * (DynamoDB on moto) and bench/faults.ts.
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/** A member whose findings go to `team-a` (from Low) in the test config. */
const TEAM_A = '222222222222';

/** The events of a scenario, by what must become of them. */
export interface ScenarioEvents {
  /** Must each appear in a Slack message once the fault clears. */
  readonly deliverable: readonly FindingEvent[];
  /** Slack refuses these for good: each must sit in the DLQ with a reason. */
  readonly refused: readonly FindingEvent[];
  /** Not finding events: each must sit in the DLQ with its reason, after one receive. */
  readonly invalid: readonly string[];
  /** What is put on the queue (events may appear twice: SQS delivering twice). */
  readonly bodies: readonly (FindingEvent | string)[];
}

/** One fault. */
export interface FaultScenario {
  readonly name: string;
  /** Virtual ms after the start at which the fault clears; `undefined`: it never does (a permanent fault). */
  readonly clearsAfterMs: number | undefined;
  /**
   * Findings the scenario expects Slack to show twice. Only a message Slack accepted whose commit never
   * happened may be sent again: an instance that crashed, or a post whose answer came after the
   * consumer stopped waiting (Slack posted it; the consumer cannot know).
   */
  readonly expectedDuplicates?: (events: ScenarioEvents, outcome: FaultOutcome) => number;
  readonly batchSize?: number;
  readonly simulator?: Omit<SimulatorOptions, 'now'>;
  readonly fetch?: (real: FetchLike, clock: VirtualClock) => FetchLike;
  readonly wrapStore?: (store: StateStore, clock: VirtualClock) => StateStore;
  readonly requestTimeoutMs?: number;
  readonly crashOnCommit?: boolean;
  /** Sets the fault up once the world runs (simulator behaviours start at the world's clock). */
  readonly arrange?: (world: FaultWorld) => void;
  /** Runs before each receive (a fault that clears at a time of its own). */
  readonly onTick?: (world: FaultWorld, nowMs: number) => void;
  readonly events?: () => ScenarioEvents;
}

/** 8 findings for the default destination (a digest) and 4 for team-a (one message each). */
export function standardEvents(): ScenarioEvents {
  const deliverable = [
    ...Array.from({ length: 8 }, () => makeFindingEvent()),
    ...Array.from({ length: 4 }, () => makeFindingEvent({ detail: forAccount(TEAM_A) })),
  ];
  return { deliverable, refused: [], invalid: [], bodies: deliverable };
}

const both = (world: FaultWorld, behaviour: Parameters<FaultWorld['simulator']['setBehaviour']>[1]) => {
  for (const destination of ['security', 'team-a']) world.simulator.setBehaviour(webhookPath(destination), behaviour);
};

/** A store whose `operation` throws DynamoDB's throttling error while `active()` holds. */
export function throttling(
  operation: 'claim' | 'finalize' | 'release',
  untilMs: number,
): (store: StateStore, clock: VirtualClock) => StateStore {
  return (store, clock) =>
    new Proxy(store, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (typeof value !== 'function') return value;
        if (property !== operation) return value.bind(target);
        return async (...args: unknown[]) => {
          if (clock.now() < untilMs) {
            throw Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
              name: 'ProvisionedThroughputExceededException',
            });
          }
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
}

/** A fetch that cannot connect (a closed loopback port) until `untilMs`. */
function refusedUntil(untilMs: number): (real: FetchLike, clock: VirtualClock) => FetchLike {
  return (real, clock) => (url, init) => (clock.now() < untilMs ? real('http://127.0.0.1:9/', init) : real(url, init));
}

/** A fetch that answers 400 `invalid_blocks`, as Slack would, to any payload naming `findingId`. */
function refusing(findingId: string): (real: FetchLike) => FetchLike {
  return (real) => async (url, init) =>
    init.body.includes(findingId)
      ? { status: 400, headers: { get: () => null }, text: async () => 'invalid_blocks' }
      : real(url, init);
}

/** Every scenario of the matrix. */
export const FAULT_SCENARIOS: readonly FaultScenario[] = [
  {
    name: '429 storm (Slack takes 1 message per 20 s, the hub paces at 1/s)',
    clearsAfterMs: 0,
    simulator: { ratePerSecond: 0.05, burst: 1 },
  },
  {
    name: '5xx for 10 minutes',
    clearsAfterMs: 10 * MINUTE_MS,
    arrange: (world) => both(world, { fail5xxFor: 10 * MINUTE_MS }),
  },
  {
    name: '6-hour Slack outage (all 5xx)',
    clearsAfterMs: 6 * HOUR_MS,
    arrange: (world) => both(world, { fail5xxFor: 6 * HOUR_MS }),
  },
  {
    name: 'connection refused for 6 hours',
    clearsAfterMs: 6 * HOUR_MS,
    fetch: refusedUntil(FAULT_T0_MS + 6 * HOUR_MS),
  },
  {
    name: 'slow answers past the deadline for 3 minutes',
    clearsAfterMs: 3 * MINUTE_MS,
    requestTimeoutMs: 150,
    arrange: (world) => both(world, { delayMs: 300 }),
    // Slack posted every message of the slow period, but each answer came after the consumer gave up.
    expectedDuplicates: (_events, outcome) =>
      new Set(
        outcome.accepted
          .filter((message) => message.receivedAtMs < FAULT_T0_MS + 3 * MINUTE_MS)
          .flatMap((message) => message.findingIds),
      ).size,
    onTick: (world, nowMs) => {
      if (nowMs >= FAULT_T0_MS + 3 * MINUTE_MS) both(world, {});
    },
  },
  {
    name: 'a destination gone (404 channel_not_found)',
    clearsAfterMs: 0,
    arrange: (world) => world.simulator.setBehaviour(webhookPath('team-a'), { gone: 404, body: 'channel_not_found' }),
  },
  {
    name: 'a destination gone, and the default gone too',
    clearsAfterMs: undefined,
    arrange: (world) => {
      world.simulator.setBehaviour(webhookPath('team-a'), { gone: 410, body: 'channel_is_archived' });
      world.simulator.setBehaviour(webhookPath('security'), { noService: true });
    },
    events: () => {
      const events = standardEvents();
      return { ...events, deliverable: [], refused: events.deliverable };
    },
  },
  {
    name: 'state table throttling on claim for 10 minutes',
    clearsAfterMs: 10 * MINUTE_MS,
    wrapStore: throttling('claim', FAULT_T0_MS + 10 * MINUTE_MS),
  },
  {
    name: 'state table throttling on commit for 10 minutes',
    clearsAfterMs: 10 * MINUTE_MS,
    wrapStore: throttling('finalize', FAULT_T0_MS + 10 * MINUTE_MS),
  },
  {
    name: 'state table throttling on release, during 5xx for 2 minutes',
    clearsAfterMs: 10 * MINUTE_MS,
    wrapStore: throttling('release', FAULT_T0_MS + 10 * MINUTE_MS),
    arrange: (world) => both(world, { fail5xxFor: 2 * MINUTE_MS }),
  },
  {
    name: 'crash after Slack accepted, before the commit',
    clearsAfterMs: 0,
    crashOnCommit: true,
    expectedDuplicates: (events) => events.deliverable.length,
  },
  {
    name: 'SQS delivering every record twice, across batches',
    clearsAfterMs: 0,
    batchSize: 5,
    events: () => {
      const events = standardEvents();
      return { ...events, bodies: [...events.deliverable, ...events.deliverable] };
    },
  },
  {
    name: 'invalid records among findings',
    clearsAfterMs: 0,
    events: () => {
      const events = standardEvents();
      const invalid = [
        'not json',
        '{"detail-type": "GuardDuty Finding"}',
        JSON.stringify({ source: 'aws.guardduty', detail: { id: 'x' } }),
      ];
      return { ...events, invalid, bodies: [...invalid, ...events.deliverable] };
    },
  },
  (() => {
    const refused = makeFindingEvent();
    return {
      name: 'a digest with one finding Slack refuses',
      clearsAfterMs: 0,
      fetch: refusing(refused.detail.id),
      events: () => {
        const events = standardEvents();
        return {
          ...events,
          refused: [refused],
          bodies: [...events.deliverable.slice(0, 4), refused, ...events.deliverable.slice(4)],
        };
      },
    } satisfies FaultScenario;
  })(),
];

/** What a scenario run showed, for the assertions and the benchmark. */
export interface ScenarioResult {
  readonly events: ScenarioEvents;
  readonly outcome: FaultOutcome;
  /** Deliverable findings Slack showed at least once. */
  readonly delivered: number;
  /** Findings Slack showed more than once. */
  readonly duplicates: number;
  /** Virtual ms from the fault clearing to the queue being empty (undefined for a permanent fault). */
  readonly recoveryToDrainedMs: number | undefined;
}

/** Runs `scenario` with `store` until the queue is empty (at most the queue's retention). */
export async function runScenario(scenario: FaultScenario, store: StateStore): Promise<ScenarioResult> {
  const config = makeHubConfig(
    scenario.batchSize === undefined
      ? {}
      : { delivery: { batchSize: scenario.batchSize, maxBatchingWindowSeconds: 1 } },
  );
  const world = await startFaultWorld({
    config,
    store,
    ...(scenario.simulator ? { simulator: scenario.simulator } : {}),
    ...(scenario.fetch ? { fetch: scenario.fetch } : {}),
    ...(scenario.wrapStore ? { wrapStore: scenario.wrapStore } : {}),
    ...(scenario.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: scenario.requestTimeoutMs }),
  });
  try {
    const events = (scenario.events ?? standardEvents)();
    world.enqueue(events.bodies);
    scenario.arrange?.(world);
    const untilMs = FAULT_T0_MS + config.queue.retentionDays * 24 * HOUR_MS;
    const outcome = await world.run({
      untilMs,
      crashOnCommit: scenario.crashOnCommit ?? false,
      ...(scenario.onTick ? { onTick: (nowMs: number) => scenario.onTick?.(world, nowMs) } : {}),
    });
    const delivered = events.deliverable.filter((event) => (outcome.shownTimes.get(event.detail.id) ?? 0) > 0).length;
    const duplicates = [...outcome.shownTimes.values()].filter((times) => times > 1).length;
    const recoveryToDrainedMs =
      scenario.clearsAfterMs === undefined
        ? undefined
        : Math.max(0, outcome.drainedAtMs - (FAULT_T0_MS + scenario.clearsAfterMs));
    return { events, outcome, delivered, duplicates, recoveryToDrainedMs };
  } finally {
    await world.close();
  }
}
