import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { runReplay } from '../cli/replay/index.ts';
import { startSlackSimulator } from '../devkit/slack/webhook-simulator.ts';
import {
  checkDelivery,
  lowerBoundMs,
  predictedMessages,
  simulatorWebhooks,
  stormWorld,
  type StormSettings,
  type StormShape,
} from './storm-world.ts';

/**
 * Finding storm: `findings` findings from `accounts` accounts in `regions` regions, split over
 * `destinations` destinations, replayed through the real consumer (`runReplay`: one instance, the
 * real handler, repeats on with the state in memory; every finding is a distinct issue) against the Slack simulator taking
 * `messagesPerSecond` per webhook with `burst`. Reports how close delivery comes to Slack's rate
 * without 429s or losses.
 *
 * Replay queues every event up front, so each batch is full at once: `maxBatchingWindowSeconds`
 * changes latency in production but not the drain time here (see `arrival.ts` for events that
 * arrive over time).
 *
 * `npx tsx bench/storm.ts [--findings N] [--destinations N] [--batch-size N] [--window S] [--max-findings-per-message N]`
 */

/** What to simulate. */
export interface StormOptions {
  /** Findings (each a distinct finding id). Default 1,000. */
  readonly findings?: number;
  /** Destinations, accounts split round-robin between them. Default 2. */
  readonly destinations?: number;
  /** Member accounts. Default 20. */
  readonly accounts?: number;
  /** Regions. Default 4. */
  readonly regions?: number;
  /** Slack's rate per webhook (simulator and config). Default 1. */
  readonly messagesPerSecond?: number;
  /** Slack's burst per webhook (simulator and config). Default 3. */
  readonly burst?: number;
  /** `delivery.batchSize`. Default 100. */
  readonly batchSize?: number;
  /** `delivery.maxBatchingWindowSeconds` (no effect on replay's drain time, see above). Default 5. */
  readonly maxBatchingWindowSeconds?: number;
  /** `delivery.digestThreshold`. Default 5. */
  readonly digestThreshold?: number;
  /** `delivery.maxFindingsPerMessage`. Default 20. */
  readonly maxFindingsPerMessage?: number;
}

/** The figures. */
export interface StormResult {
  readonly findings: number;
  readonly destinations: number;
  readonly settings: StormSettings;
  /** Wall-clock time of the whole replay, in ms. */
  readonly elapsedMs: number;
  /** Consumer invocations. */
  readonly batches: number;
  /** Slack messages accepted, in total and per destination. */
  readonly messages: number;
  readonly messagesByDestination: Readonly<Record<string, number>>;
  /** Messages the formula predicts (see `predictedMessages`), in total. */
  readonly predictedMessages: number;
  readonly findingsPerMessage: number;
  /** 429 answers in total. */
  readonly throttled: number;
  readonly deadLettered: number;
  /** Findings that never reached Slack. */
  readonly lost: number;
  /** Findings that reached a destination other than their own. */
  readonly misrouted: number;
  /**
   * Shortest possible drain, in ms: max over destinations of (messages to it − burst) ÷ rate, from
   * the messages Slack actually accepted.
   */
  readonly lowerBoundMs: number;
  /** elapsed ÷ lower bound (1 = Slack's rate exactly); 0 when the lower bound is 0 (all in the burst). */
  readonly ratio: number;
}

/** Fills in the defaults of {@link StormOptions}. */
export function stormParameters(options: StormOptions = {}): { shape: StormShape; settings: StormSettings } {
  return {
    shape: {
      findings: options.findings ?? 1000,
      destinations: options.destinations ?? 2,
      accounts: options.accounts ?? 20,
      regions: options.regions ?? 4,
      messagesPerSecond: options.messagesPerSecond ?? 1,
      burst: options.burst ?? 3,
    },
    settings: {
      batchSize: options.batchSize ?? 100,
      maxBatchingWindowSeconds: options.maxBatchingWindowSeconds ?? 5,
      maxFindingsPerMessage: options.maxFindingsPerMessage ?? 20,
      digestThreshold: options.digestThreshold ?? 5,
    },
  };
}

/** Runs one storm and returns its figures. */
export async function runStorm(options: StormOptions = {}): Promise<StormResult> {
  const { shape, settings } = stormParameters(options);
  const world = stormWorld(shape, settings);
  const predicted = predictedMessages(world, settings);
  const simulator = await startSlackSimulator({ ratePerSecond: shape.messagesPerSecond, burst: shape.burst });
  try {
    const summary = await runReplay({
      config: world.config,
      events: world.findings.map((f, i) => ({ body: f.body, source: `finding ${i}` })),
      webhooks: simulatorWebhooks(simulator, world.destinations),
      repeats: true,
    });
    const { lost, misrouted, byDestination } = checkDelivery(world, simulator);
    const bound = lowerBoundMs(byDestination.values(), shape);
    return {
      findings: shape.findings,
      destinations: shape.destinations,
      settings,
      elapsedMs: summary.elapsedMs,
      batches: summary.batches,
      messages: summary.slackMessages,
      messagesByDestination: Object.fromEntries(byDestination),
      predictedMessages: [...predicted.values()].reduce((a, b) => a + b, 0),
      findingsPerMessage: summary.slackMessages === 0 ? 0 : summary.delivered / summary.slackMessages,
      throttled: summary.slackThrottled,
      deadLettered: summary.deadLettered,
      lost,
      misrouted,
      lowerBoundMs: bound,
      ratio: bound === 0 ? 0 : summary.elapsedMs / bound,
    };
  } finally {
    await simulator.close();
  }
}

/** The figures as text. */
export function formatStorm(result: StormResult): string {
  const s = result.settings;
  return [
    `findings            ${result.findings} over ${result.destinations} destinations`,
    `settings            batchSize ${s.batchSize}, window ${s.maxBatchingWindowSeconds} s, maxFindingsPerMessage ${s.maxFindingsPerMessage}, digestThreshold ${s.digestThreshold}`,
    `elapsed             ${(result.elapsedMs / 1000).toFixed(1)} s in ${result.batches} batches`,
    `slack messages      ${result.messages} (predicted ${result.predictedMessages}; per destination ${Object.values(result.messagesByDestination).join(', ')})`,
    `findings / message  ${result.findingsPerMessage.toFixed(1)}`,
    `429s                ${result.throttled}`,
    `dead-lettered       ${result.deadLettered}`,
    `lost / misrouted    ${result.lost} / ${result.misrouted}`,
    `lower bound         ${(result.lowerBoundMs / 1000).toFixed(1)} s = max over destinations of (messages − burst) ÷ rate`,
    `elapsed ÷ bound     ${result.ratio === 0 ? 'n/a (every destination within its burst)' : result.ratio.toFixed(2)}`,
  ].join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { values } = parseArgs({
    options: {
      findings: { type: 'string' },
      destinations: { type: 'string' },
      'batch-size': { type: 'string' },
      window: { type: 'string' },
      'max-findings-per-message': { type: 'string' },
    },
  });
  const pick = (value: string | undefined, key: keyof StormOptions) =>
    value === undefined ? {} : { [key]: Number(value) };
  const result = await runStorm({
    ...pick(values.findings, 'findings'),
    ...pick(values.destinations, 'destinations'),
    ...pick(values['batch-size'], 'batchSize'),
    ...pick(values.window, 'maxBatchingWindowSeconds'),
    ...pick(values['max-findings-per-message'], 'maxFindingsPerMessage'),
  });
  process.stdout.write(`Finding storm (Slack simulator at 1 message/s per webhook, burst 3)\n${formatStorm(result)}\n`);
}
