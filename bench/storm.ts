import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { runReplay, type ReplayEvent } from '../cli/replay/index.ts';
import { staticWebhooks } from '../consumer/deliver/index.ts';
import { findingConsoleUrl, validateConfig } from '../shared/index.ts';
import { atSeverity, makeFindingEvent } from '../test/factories/index.ts';
import { startSlackSimulator } from '../test/support/slack-simulator.ts';

/**
 * Finding storm: `findings` findings from `accounts` accounts in `regions` regions, split over
 * `destinations` destinations, replayed through the real consumer (`runReplay`, one instance) against
 * the Slack simulator taking `messagesPerSecond` per webhook with `burst`. Reports how close delivery
 * comes to Slack's rate without 429s or losses.
 *
 * `npx tsx bench/storm.ts [--findings N] [--destinations N] [--batch-size N] [--max-findings-per-message N]`
 */

/** What to simulate. */
export interface StormOptions {
  /** Findings (each a distinct finding id). Default 1,000. */
  readonly findings?: number;
  /** Destinations, accounts split evenly between them. Default 2. */
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
  /** `delivery.maxBatchingWindowSeconds` (replay queues every event up front, so it has no effect there). Default 5. */
  readonly maxBatchingWindowSeconds?: number;
  /** `delivery.digestThreshold`. Default 5. */
  readonly digestThreshold?: number;
  /** `delivery.maxFindingsPerMessage`. Default 20. */
  readonly maxFindingsPerMessage?: number;
}

/** The figures. */
export interface StormResult {
  readonly findings: number;
  readonly elapsedMs: number;
  readonly messages: number;
  readonly findingsPerMessage: number;
  /** 429 answers in total. */
  readonly throttled: number;
  readonly deadLettered: number;
  /** Findings that never reached Slack. */
  readonly lost: number;
  /** Findings that reached a destination other than their own. */
  readonly misrouted: number;
  /** Elapsed ÷ (messages ÷ (rate × destinations)): 1 is Slack's rate exactly; burst makes it a bit lower. */
  readonly ratio: number;
}

const ALL_REGIONS = ['us-east-1', 'us-west-1', 'us-west-2', 'eu-north-1', 'eu-west-1', 'ap-southeast-2', 'ca-central-1', 'sa-east-1'];

/** Runs one storm and returns its figures. */
export async function runStorm(options: StormOptions = {}): Promise<StormResult> {
  const findings = options.findings ?? 1000;
  const destinationCount = options.destinations ?? 2;
  const accountCount = options.accounts ?? 20;
  const regions = ALL_REGIONS.slice(0, Math.min(ALL_REGIONS.length, options.regions ?? 4));
  const rate = options.messagesPerSecond ?? 1;
  const burst = options.burst ?? 3;

  const destinations = Array.from({ length: destinationCount }, (_, i) => `team-${i + 1}`);
  const accounts = Array.from({ length: accountCount }, (_, i) => String(200_000_000_000 + i));
  const destinationOf = (account: string) => destinations[accounts.indexOf(account) % destinationCount]!;
  const config = validateConfig(
    {
      hub: { account: '111111111111', region: regions.includes('us-west-2') ? 'us-west-2' : regions[0] },
      regions,
      guardduty: { mode: 'organization', managementAccount: '999999999999' },
      defaults: { destination: destinations[0], minSeverity: 'medium' },
      accounts: Object.fromEntries(accounts.map((id, i) => [id, { name: `member-${i + 1}`, destination: destinationOf(id) }])),
      destinations: Object.fromEntries(destinations.map((name) => [name, { webhookSecret: `bench/slack/${name}` }])),
      delivery: {
        batchSize: options.batchSize ?? 100,
        maxBatchingWindowSeconds: options.maxBatchingWindowSeconds ?? 5,
        messagesPerSecond: rate,
        burst,
        digestThreshold: options.digestThreshold ?? 5,
        maxFindingsPerMessage: options.maxFindingsPerMessage ?? 20,
      },
    },
    'storm config',
  );

  const expected: { id: string; link: string; destination: string }[] = [];
  const events: ReplayEvent[] = [];
  for (let i = 0; i < findings; i += 1) {
    const account = accounts[i % accountCount]!;
    const region = regions[Math.floor(i / accountCount) % regions.length]!;
    const event = makeFindingEvent({ detail: { accountId: account, region, ...atSeverity(4 + (i % 6)) } });
    expected.push({ id: event.detail.id, link: findingConsoleUrl(region, event.detail.id), destination: destinationOf(account) });
    events.push({ body: JSON.stringify(event), source: `finding ${i}` });
  }

  const simulator = await startSlackSimulator({ ratePerSecond: rate, burst });
  try {
    const path = (name: string) => `/services/T0BENCH/B0${name.toUpperCase()}/storm`;
    const summary = await runReplay({
      config,
      events,
      webhooks: staticWebhooks(Object.fromEntries(destinations.map((name) => [name, simulator.url(path(name))]))),
    });
    const received = new Map(destinations.map((name) => [name, simulator.accepted(path(name)).map((r) => r.raw).join('\n')]));
    const lost = expected.filter((f) => ![...received.values()].some((raw) => raw.includes(f.link))).length;
    const misrouted = expected.filter((f) => destinations.some((name) => name !== f.destination && received.get(name)!.includes(f.link))).length;
    return {
      findings,
      elapsedMs: summary.elapsedMs,
      messages: summary.slackMessages,
      findingsPerMessage: summary.slackMessages === 0 ? 0 : summary.delivered / summary.slackMessages,
      throttled: summary.slackThrottled,
      deadLettered: summary.deadLettered,
      lost,
      misrouted,
      ratio: summary.slackMessages === 0 ? 0 : summary.elapsedMs / 1000 / (summary.slackMessages / (rate * destinationCount)),
    };
  } finally {
    await simulator.close();
  }
}

/** The figures as text. */
export function formatStorm(result: StormResult): string {
  return [
    `findings            ${result.findings}`,
    `elapsed             ${(result.elapsedMs / 1000).toFixed(1)} s`,
    `slack messages      ${result.messages}`,
    `findings / message  ${result.findingsPerMessage.toFixed(1)}`,
    `429s                ${result.throttled}`,
    `dead-lettered       ${result.deadLettered}`,
    `lost / misrouted    ${result.lost} / ${result.misrouted}`,
    `elapsed ÷ (messages ÷ rate)  ${result.ratio.toFixed(2)}   (goal ≤ 1.2; rate = per-webhook rate × destinations)`,
  ].join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { values } = parseArgs({
    options: {
      findings: { type: 'string' },
      destinations: { type: 'string' },
      'batch-size': { type: 'string' },
      'max-findings-per-message': { type: 'string' },
    },
  });
  const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));
  const result = await runStorm({
    ...(values.findings ? { findings: number(values.findings)! } : {}),
    ...(values.destinations ? { destinations: number(values.destinations)! } : {}),
    ...(values['batch-size'] ? { batchSize: number(values['batch-size'])! } : {}),
    ...(values['max-findings-per-message'] ? { maxFindingsPerMessage: number(values['max-findings-per-message'])! } : {}),
  });
  process.stdout.write(`Finding storm (Slack simulator at 1 message/s per webhook, burst 3)\n${formatStorm(result)}\n`);
}
