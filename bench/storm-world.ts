import { NO_METRICS, SILENT_LOGGER, staticWebhooks, type WebhookResolver } from '../lambdas/consumer/index.ts';
import { findingConsoleUrl, validateConfig, type HubConfig } from '../shared/index.ts';
import { atSeverity, makeFindingEvent } from '../test/factories/index.ts';
import type { SlackSimulator } from '../devkit/slack/webhook-simulator.ts';

/**
 * The world a storm benchmark runs in: `accounts` member accounts over `regions` regions, split
 * round-robin over `destinations` destinations, and `findings` distinct findings (severity 4–9, all
 * above the Medium threshold) spread over accounts first, then regions.
 */

/** Delivery settings a storm runs with (the `delivery:` keys of the config). */
export interface StormSettings {
  /** `delivery.batchSize`: records per invocation. */
  readonly batchSize: number;
  /** `delivery.maxBatchingWindowSeconds`. */
  readonly maxBatchingWindowSeconds: number;
  /** `delivery.maxFindingsPerMessage`. */
  readonly maxFindingsPerMessage: number;
  /** `delivery.digestThreshold`. */
  readonly digestThreshold: number;
}

/** The shape of a storm. */
export interface StormShape {
  readonly findings: number;
  readonly destinations: number;
  readonly accounts: number;
  readonly regions: number;
  /** Slack's rate per webhook, messages per second (simulator and `delivery.messagesPerSecond`). */
  readonly messagesPerSecond: number;
  /** Slack's burst per webhook (simulator and `delivery.burst`). */
  readonly burst: number;
}

/** One finding of the storm, as the bench checks it arrived. */
export interface StormFinding {
  readonly body: string;
  /** The console link every rendering carries (it holds the finding id). */
  readonly link: string;
  readonly destination: string;
}

/** The config, destinations and findings of one storm. */
export interface StormWorld {
  readonly config: HubConfig;
  readonly destinations: readonly string[];
  readonly findings: readonly StormFinding[];
}

const ALL_REGIONS = [
  'us-east-1',
  'us-west-1',
  'us-west-2',
  'eu-north-1',
  'eu-west-1',
  'ap-southeast-2',
  'ca-central-1',
  'sa-east-1',
];

/**
 * Builds the config (repeats on, as deployed: every finding of a storm is a distinct issue, so every
 * one must still be shown) and the findings of a storm.
 */
export function stormWorld(shape: StormShape, settings: StormSettings): StormWorld {
  const regions = ALL_REGIONS.slice(0, Math.min(ALL_REGIONS.length, shape.regions));
  const destinations = Array.from({ length: shape.destinations }, (_, i) => `team-${i + 1}`);
  const accounts = Array.from({ length: shape.accounts }, (_, i) => String(200_000_000_000 + i));
  const destinationOf = (index: number) => destinations[index % shape.destinations]!;
  const config = validateConfig(
    {
      hub: { account: '111111111111', region: regions.includes('us-west-2') ? 'us-west-2' : regions[0] },
      regions,
      guardduty: { mode: 'organization', managementAccount: '999999999999' },
      defaults: { destination: destinations[0], minSeverity: 'medium' },
      accounts: Object.fromEntries(
        accounts.map((id, i) => [id, { name: `member-${i + 1}`, destination: destinationOf(i) }]),
      ),
      destinations: Object.fromEntries(destinations.map((name) => [name, { webhookSecret: `bench/slack/${name}` }])),
      delivery: { ...settings, messagesPerSecond: shape.messagesPerSecond, burst: shape.burst },
      repeats: { enabled: true },
    },
    'storm config',
  );
  const findings: StormFinding[] = [];
  for (let i = 0; i < shape.findings; i += 1) {
    const accountIndex = i % shape.accounts;
    const region = regions[Math.floor(i / shape.accounts) % regions.length]!;
    const event = makeFindingEvent({
      detail: { accountId: accounts[accountIndex]!, region, ...atSeverity(4 + (i % 6)) },
    });
    findings.push({
      body: JSON.stringify(event),
      link: findingConsoleUrl(region, event.detail.id),
      destination: destinationOf(accountIndex),
    });
  }
  return { config, destinations, findings };
}

/** A logger that drops everything (benchmarks count through `onBatch`). */
export const silentLogger = SILENT_LOGGER;
/** Metrics that publish nothing. */
export const noMetrics = NO_METRICS;

/** The simulator path of a destination's webhook. */
export const webhookPath = (destination: string): string => `/services/T0BENCH/B0${destination.toUpperCase()}/storm`;

/** Webhook URLs of every destination on the simulator. */
export function simulatorWebhooks(simulator: SlackSimulator, destinations: readonly string[]): WebhookResolver {
  return staticWebhooks(Object.fromEntries(destinations.map((name) => [name, simulator.url(webhookPath(name))])));
}

/**
 * Slack messages one destination gets for one batch holding `findings` of its findings: one per
 * finding up to `digestThreshold`, else digests of at most `maxFindingsPerMessage`.
 */
export function messagesForBatch(
  findings: number,
  settings: Pick<StormSettings, 'digestThreshold' | 'maxFindingsPerMessage'>,
): number {
  return findings > settings.digestThreshold ? Math.ceil(findings / settings.maxFindingsPerMessage) : findings;
}

/**
 * Predicted messages per destination when the queue holds every finding at once, so each batch is the
 * next `batchSize` findings in order.
 */
export function predictedMessages(
  world: Pick<StormWorld, 'destinations' | 'findings'>,
  settings: StormSettings,
): Map<string, number> {
  const out = new Map(world.destinations.map((name) => [name, 0]));
  for (let start = 0; start < world.findings.length; start += settings.batchSize) {
    const perDestination = new Map<string, number>();
    for (const f of world.findings.slice(start, start + settings.batchSize)) {
      perDestination.set(f.destination, (perDestination.get(f.destination) ?? 0) + 1);
    }
    for (const [name, n] of perDestination) out.set(name, out.get(name)! + messagesForBatch(n, settings));
  }
  return out;
}

/**
 * Shortest possible drain in milliseconds: each destination's webhook takes `burst` messages at
 * once and then `messagesPerSecond`, so the slowest destination needs (messages − burst) ÷ rate.
 */
export function lowerBoundMs(
  messagesByDestination: Iterable<number>,
  shape: Pick<StormShape, 'messagesPerSecond' | 'burst'>,
): number {
  let worst = 0;
  for (const n of messagesByDestination)
    worst = Math.max(worst, Math.max(0, n - shape.burst) / shape.messagesPerSecond);
  return worst * 1000;
}

/** Console links in a message body (each rendering of a finding carries its link). */
export const FINDING_LINK = /https:\/\/[^\s"<>|\\]+fId=[^\s"<>|\\]+/g;

/** Findings that reached no destination, and findings that reached a destination other than their own. */
export function checkDelivery(
  world: StormWorld,
  simulator: SlackSimulator,
): { lost: number; misrouted: number; byDestination: Map<string, number> } {
  const byDestination = new Map<string, number>();
  const linksOf = new Map<string, Set<string>>();
  for (const name of world.destinations) {
    const accepted = simulator.accepted(webhookPath(name));
    byDestination.set(name, accepted.length);
    linksOf.set(name, new Set(accepted.flatMap((r) => r.raw.match(FINDING_LINK) ?? [])));
  }
  let lost = 0;
  let misrouted = 0;
  for (const f of world.findings) {
    const where = world.destinations.filter((name) => linksOf.get(name)!.has(f.link));
    if (where.length === 0) lost += 1;
    if (where.some((name) => name !== f.destination)) misrouted += 1;
  }
  return { lost, misrouted, byDestination };
}
