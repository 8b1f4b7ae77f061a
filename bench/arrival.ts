import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SQSRecord } from 'aws-lambda';
import { InMemoryQueue, REPLAY_QUEUE_URL } from '../cli/replay/index.ts';
import {
  MemoryStateStore,
  claimSecondsFor,
  createHandler,
  createRepeatGate,
  type ConsumerHandler,
} from '../lambdas/consumer/index.ts';
import { startSlackSimulator } from '../devkit/slack/webhook-simulator.ts';
import { median } from './stats.ts';
import {
  FINDING_LINK,
  checkDelivery,
  lowerBoundMs,
  noMetrics,
  silentLogger,
  simulatorWebhooks,
  stormWorld,
  webhookPath,
  type StormSettings,
  type StormWorld,
} from './storm-world.ts';

/**
 * Storm arriving over time: `findings` findings reach the queue at `arrivalPerSecond`, and one
 * consumer instance polls it as the SQS event source mapping does: it gathers records until it holds
 * `batchSize` or `maxBatchingWindowSeconds` have passed since the first (window 0: invoke with what
 * is there), then invokes the real handler. Shows what the window changes: batch sizes, Slack
 * messages, and latency from a finding's arrival to the message that carried it.
 *
 * `npx tsx bench/arrival.ts [findings] [perSecond] [batchSize] [windowSeconds] [maxFindingsPerMessage]`
 */

/** What to simulate. */
export interface ArrivalOptions {
  readonly findings: number;
  /** Findings reaching the queue per second, evenly. */
  readonly arrivalPerSecond: number;
  readonly destinations?: number;
  readonly settings: Omit<StormSettings, 'digestThreshold'> & { readonly digestThreshold?: number };
}

/** The figures. */
export interface ArrivalResult {
  readonly findings: number;
  readonly arrivalPerSecond: number;
  readonly destinations: number;
  readonly settings: StormSettings;
  /** From the first arrival to the last record settled, in ms. */
  readonly elapsedMs: number;
  readonly batches: number;
  /** Median records per invocation. */
  readonly medianBatch: number;
  readonly messages: number;
  readonly findingsPerMessage: number;
  readonly throttled: number;
  readonly lost: number;
  /** Arrival to Slack's acceptance of the message carrying the finding, in ms: median and max. */
  readonly latencyMedianMs: number;
  readonly latencyMaxMs: number;
  /** max over destinations of (messages − burst) ÷ rate, in ms (arrival time not counted). */
  readonly lowerBoundMs: number;
}

const SHAPE = { accounts: 20, regions: 4, messagesPerSecond: 1, burst: 3 } as const;
const POLL_MS = 20;

/** Runs one storm whose findings arrive over time. */
export async function runArrival(options: ArrivalOptions): Promise<ArrivalResult> {
  const settings: StormSettings = { digestThreshold: 5, ...options.settings };
  const destinations = options.destinations ?? 2;
  const world = stormWorld({ ...SHAPE, findings: options.findings, destinations }, settings);
  const simulator = await startSlackSimulator({ ratePerSecond: SHAPE.messagesPerSecond, burst: SHAPE.burst });
  const queue = new InMemoryQueue(
    { maxReceiveCount: world.config.queue.maxReceiveCount, defaultVisibilityMs: 5_000 },
    Date.now,
  );
  const counts = { throttled: 0 };
  const handler = createHandler({
    config: world.config,
    webhooks: simulatorWebhooks(simulator, world.destinations),
    sqs: queue,
    queueUrl: REPLAY_QUEUE_URL,
    instanceShare: 1,
    repeats: createRepeatGate({
      settings: world.config.repeats,
      store: new MemoryStateStore(),
      claimSeconds: claimSecondsFor(world.config),
    }),
    logger: silentLogger,
    metrics: noMetrics,
    onBatch: (result) => {
      counts.throttled += result.delivery.slackThrottled;
    },
  });

  try {
    const startedMs = Date.now();
    const arrivals = arrivalFeed(world, queue, options.arrivalPerSecond, startedMs);
    const batchSizes = await invokeAsTheyArrive(handler, queue, world, settings, arrivals);
    const elapsedMs = Date.now() - startedMs;
    const { lost, byDestination } = checkDelivery(world, simulator);
    const latencies = latenciesMs(world.destinations, simulator, arrivals.arrivedAtMs);
    const messages = [...byDestination.values()].reduce((a, b) => a + b, 0);
    return {
      findings: options.findings,
      arrivalPerSecond: options.arrivalPerSecond,
      destinations,
      settings,
      elapsedMs,
      batches: batchSizes.length,
      medianBatch: median(batchSizes),
      messages,
      findingsPerMessage: messages === 0 ? 0 : (options.findings - lost) / messages,
      throttled: counts.throttled,
      lost,
      latencyMedianMs: median(latencies),
      latencyMaxMs: Math.max(0, ...latencies),
      lowerBoundMs: lowerBoundMs(byDestination.values(), SHAPE),
    };
  } finally {
    await simulator.close();
  }
}

/** The findings arriving over time: `arrive()` enqueues every one due by now and notes when it came. */
interface ArrivalFeed {
  readonly arrive: () => void;
  /** True once every finding has arrived. */
  readonly done: () => boolean;
  /** Arrival time of each finding by its console link, in ms since the epoch. */
  readonly arrivedAtMs: ReadonlyMap<string, number>;
}

/** Feeds the storm's findings into the queue at `arrivalPerSecond`, counted from `startedMs`. */
function arrivalFeed(
  world: StormWorld,
  queue: InMemoryQueue,
  arrivalPerSecond: number,
  startedMs: number,
): ArrivalFeed {
  const arrivedAtMs = new Map<string, number>();
  let next = 0;
  const arrive = () => {
    const due = Math.min(world.findings.length, Math.floor(((Date.now() - startedMs) / 1000) * arrivalPerSecond) + 1);
    for (; next < due; next += 1) {
      const finding = world.findings[next]!;
      queue.enqueue(randomUUID(), finding.body, finding.link);
      arrivedAtMs.set(finding.link, Date.now());
    }
  };
  return { arrive, done: () => next >= world.findings.length, arrivedAtMs };
}

/**
 * Polls the queue like the Lambda event source (a batch when it is full or its batching window is
 * over) and invokes the handler, while findings keep arriving. Returns the size of each batch.
 */
async function invokeAsTheyArrive(
  handler: ConsumerHandler,
  queue: InMemoryQueue,
  world: StormWorld,
  settings: StormSettings,
  arrivals: ArrivalFeed,
): Promise<number[]> {
  const batchSizes: number[] = [];
  let held: SQSRecord[] = [];
  let heldSinceMs = 0;
  while (!arrivals.done() || queue.size > 0) {
    arrivals.arrive();
    if (held.length === 0) heldSinceMs = Date.now();
    held.push(...queue.receive(settings.batchSize - held.length));
    const windowOver = Date.now() - heldSinceMs >= settings.maxBatchingWindowSeconds * 1000;
    if (held.length === 0 || (held.length < settings.batchSize && !windowOver)) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      continue;
    }
    const records = held;
    held = [];
    batchSizes.push(records.length);
    const deadline = Date.now() + world.config.consumer.timeoutSeconds * 1000;
    // Findings keep arriving while the handler runs.
    const feeder = setInterval(arrivals.arrive, POLL_MS);
    try {
      const response = await handler({ Records: records }, { getRemainingTimeInMillis: () => deadline - Date.now() });
      queue.settle(records, new Set(response.batchItemFailures.map((f) => f.itemIdentifier)));
    } finally {
      clearInterval(feeder);
    }
  }
  return batchSizes;
}

/** For each finding, the time from its arrival to the first accepted message that links to it. */
function latenciesMs(
  destinations: readonly string[],
  simulator: Awaited<ReturnType<typeof startSlackSimulator>>,
  arrivedAtMs: ReadonlyMap<string, number>,
): number[] {
  const firstSeen = new Map<string, number>();
  for (const name of destinations) {
    for (const request of simulator.accepted(webhookPath(name))) {
      for (const link of request.raw.match(FINDING_LINK) ?? [])
        if (!firstSeen.has(link)) firstSeen.set(link, request.receivedAtMs);
    }
  }
  return [...firstSeen].flatMap(([link, atMs]) => {
    const arrived = arrivedAtMs.get(link);
    return arrived === undefined ? [] : [atMs - arrived];
  });
}

/** The figures as one line. */
export function formatArrival(r: ArrivalResult): string {
  const s = r.settings;
  return [
    `${r.findings} findings at ${r.arrivalPerSecond}/s, ${r.destinations} destinations, ${s.batchSize}/${s.maxBatchingWindowSeconds}/${s.maxFindingsPerMessage}:`,
    `${(r.elapsedMs / 1000).toFixed(1)} s, ${r.batches} batches (median ${r.medianBatch}), ${r.messages} messages (${r.findingsPerMessage.toFixed(1)} findings/message),`,
    `latency median ${(r.latencyMedianMs / 1000).toFixed(1)} s, max ${(r.latencyMaxMs / 1000).toFixed(1)} s, ${r.throttled} × 429, ${r.lost} lost`,
  ].join(' ');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const [findings = '1000', perSecond = '50', batchSize = '100', window = '5', perMessage = '20'] =
    process.argv.slice(2);
  const result = await runArrival({
    findings: Number(findings),
    arrivalPerSecond: Number(perSecond),
    settings: {
      batchSize: Number(batchSize),
      maxBatchingWindowSeconds: Number(window),
      maxFindingsPerMessage: Number(perMessage),
    },
  });
  process.stdout.write(`${formatArrival(result)}\n`);
}
