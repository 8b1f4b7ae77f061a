import pLimit from 'p-limit';
import { formatAppStorm, runAppStorm, type AppStormResult } from './app-storm.ts';
import { formatArrival, runArrival, type ArrivalResult } from './arrival.ts';
import type { BenchReport, Row } from './report.ts';
import { runStorm, type StormResult } from './storm.ts';
import { lowerBoundMs, predictedMessages, stormWorld, type StormSettings } from './storm-world.ts';

/**
 * The storm matrix `bench/run.ts` runs: queued storms (replay: every finding in the queue at once) for
 * 1,000 and 10,000 findings over 2 and 10 destinations under three delivery settings, and storms
 * arriving over time at 50 findings/s. Cases run concurrently, each with its own simulator: they
 * spend nearly all their time waiting for Slack's rate, not on the CPU.
 */

/** Delivery settings compared (batchSize / maxBatchingWindowSeconds / maxFindingsPerMessage). */
export const STORM_SETTINGS = {
  small: { batchSize: 10, maxBatchingWindowSeconds: 0, maxFindingsPerMessage: 10, digestThreshold: 5 },
  default: { batchSize: 100, maxBatchingWindowSeconds: 5, maxFindingsPerMessage: 20, digestThreshold: 5 },
  large: { batchSize: 1000, maxBatchingWindowSeconds: 30, maxFindingsPerMessage: 40, digestThreshold: 5 },
} as const satisfies Record<string, StormSettings>;
type SettingName = keyof typeof STORM_SETTINGS;

/** One queued storm of the matrix. */
interface QueuedCase {
  readonly findings: number;
  readonly destinations: number;
  readonly setting: SettingName;
}

/** One arriving storm of the matrix. */
interface ArrivalCase {
  readonly findings: number;
  readonly perSecond: number;
  readonly destinations: number;
  readonly label: string;
  readonly settings: StormSettings;
}

/** Longest predicted drain a default run accepts per case, in seconds (beyond it: `--full`). */
const DEFAULT_CASE_LIMIT_SECONDS = 600;
const RATE = { messagesPerSecond: 1, burst: 3 } as const;

/** The matrix for a run. */
export function stormMatrix(quick: boolean): { queued: QueuedCase[]; arrival: ArrivalCase[] } {
  const sizes = quick ? [200] : [1000, 10_000];
  const destinations = quick ? [2] : [2, 10];
  const settings: SettingName[] = quick ? ['default', 'large'] : ['small', 'default', 'large'];
  const queued = sizes.flatMap((findings) =>
    destinations.flatMap((d) => settings.map((setting) => ({ findings, destinations: d, setting }))),
  );
  const arrivalFindings = quick ? 200 : 1000;
  const arrival: ArrivalCase[] = [
    { label: 'default 100/5/20', settings: STORM_SETTINGS.default },
    { label: '1000/5/20', settings: { ...STORM_SETTINGS.default, batchSize: 1000 } },
    { label: 'large 1000/30/40', settings: STORM_SETTINGS.large },
  ].map((c) => ({ ...c, findings: arrivalFindings, perSecond: 50, destinations: 2 }));
  return { queued, arrival: quick ? arrival.slice(0, 1) : arrival };
}

/** Predicted messages and shortest drain of a queued case, without running it. */
export function predictQueued(c: QueuedCase): { messages: number; lowerBoundSeconds: number } {
  const settings = STORM_SETTINGS[c.setting];
  const world = stormWorld(
    { findings: c.findings, destinations: c.destinations, accounts: 20, regions: 4, ...RATE },
    settings,
  );
  const perDestination = predictedMessages(world, settings);
  return {
    messages: [...perDestination.values()].reduce((a, b) => a + b, 0),
    lowerBoundSeconds: lowerBoundMs(perDestination.values(), RATE) / 1000,
  };
}

const settingLabel = (name: SettingName) => {
  const s = STORM_SETTINGS[name];
  return `${name} ${s.batchSize}/${s.maxBatchingWindowSeconds}/${s.maxFindingsPerMessage}`;
};
const thousands = (n: number) => n.toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function queuedRow(c: QueuedCase, r: StormResult): Row {
  return {
    case: `queued: ${thousands(c.findings)} findings · ${c.destinations} dest · ${settingLabel(c.setting)}`,
    result: [
      `${seconds(r.elapsedMs)}`,
      `${thousands(r.messages)} msgs (predicted ${thousands(r.predictedMessages)})`,
      `${r.findingsPerMessage.toFixed(1)} findings/msg`,
      `${r.throttled} × 429`,
      `${r.lost} lost`,
      `bound ${seconds(r.lowerBoundMs)}`,
      r.ratio === 0 ? 'ratio n/a (within burst)' : `ratio ${r.ratio.toFixed(2)}`,
    ].join(' · '),
    measured: `1 run, wall clock, ${r.batches} batch${r.batches === 1 ? '' : 'es'}`,
  };
}

function arrivalRow(c: ArrivalCase, r: ArrivalResult): Row {
  return {
    case: `arriving ${c.perSecond}/s: ${thousands(c.findings)} findings · ${c.destinations} dest · ${c.label}`,
    result: [
      seconds(r.elapsedMs),
      `${thousands(r.messages)} msgs`,
      `${r.findingsPerMessage.toFixed(1)} findings/msg`,
      `${r.batches} batch${r.batches === 1 ? '' : 'es'} (median ${r.medianBatch})`,
      `latency median ${seconds(r.latencyMedianMs)}, max ${seconds(r.latencyMaxMs)}`,
      `${r.throttled} × 429`,
      `${r.lost} lost`,
    ].join(' · '),
    measured: '1 run, wall clock from first arrival',
  };
}

/** App-destination storms: 10,000 findings (1,000 with `quick`) to one app destination. */
function appCases(quick: boolean): { readonly findings: number; readonly setting: SettingName }[] {
  const findings = quick ? 1000 : 10_000;
  return [
    { findings, setting: 'default' },
    { findings, setting: 'large' },
  ];
}

function appRow(c: { readonly findings: number; readonly setting: SettingName }, r: AppStormResult): Row {
  const methods = Object.entries(r.callsByMethod)
    .map(([method, n]) => `${method} ${n}`)
    .join(', ');
  return {
    case: `app destination: ${thousands(c.findings)} findings · 1 dest · ${settingLabel(c.setting)}`,
    result: [
      `every finding visible in ${seconds(r.visibleMs)}`,
      `${thousands(r.calls)} Web API calls (${methods})`,
      `${r.parents} parent, ${r.files} files in its thread`,
      `summary shows ${thousands(r.summaryTotal)}`,
      `${r.throttled} × 429`,
      `${r.lost} lost`,
    ].join(' · '),
    measured: `1 run, wall clock, ${r.batches} batch${r.batches === 1 ? '' : 'es'}`,
  };
}

/** The queued cases to run, and a note for each left out because it would take too long without `--full`. */
function selectQueued(queued: readonly QueuedCase[], full: boolean): { run: QueuedCase[]; notes: string[] } {
  const notes: string[] = [];
  const run: QueuedCase[] = [];
  for (const c of queued) {
    const predicted = predictQueued(c);
    if (predicted.lowerBoundSeconds > DEFAULT_CASE_LIMIT_SECONDS && !full) {
      notes.push(
        `left out: ${thousands(c.findings)} findings · ${c.destinations} dest · ${settingLabel(c.setting)}: predicted ${thousands(predicted.messages)} messages, at least ${(predicted.lowerBoundSeconds / 60).toFixed(0)} min at 1 message/s per webhook (run it with --full)`,
      );
    } else {
      run.push(c);
    }
  }
  return { run, notes };
}

/** Runs the storm matrix (`full`: also the cases predicted to take longer than 10 minutes). */
export async function runStormSuite(options: {
  quick: boolean;
  full: boolean;
  log: (line: string) => void;
}): Promise<BenchReport> {
  const started = performance.now();
  const { queued, arrival } = stormMatrix(options.quick);
  const { run, notes } = selectQueued(queued, options.full);
  const apps = appCases(options.quick);
  const limit = pLimit(run.length + arrival.length + 2);
  const [queuedDone, arrivalDone, appDone] = await Promise.all([
    Promise.all(run.map((c) => limit(() => queuedCase(c, options.log)))),
    Promise.all(arrival.map((c) => limit(() => arrivalCase(c, options.log)))),
    Promise.all(apps.map((c) => limit(() => appCase(c, options.log)))),
  ]);
  notes.push(
    ...STORM_NOTES,
    `cases ran concurrently (${run.length + arrival.length + apps.length} at once), each with its own simulator; they wait on Slack's rate almost all the time.`,
  );
  return {
    name: 'storm',
    command: `npm run bench -- --only storm${options.full ? ' --full' : ''}`,
    rows: [
      ...run.flatMap((c, i) => (queuedDone[i] === undefined ? [] : [queuedRow(c, queuedDone[i])])),
      ...arrival.flatMap((c, i) => (arrivalDone[i] === undefined ? [] : [arrivalRow(c, arrivalDone[i])])),
      ...apps.flatMap((c, i) => (appDone[i] === undefined ? [] : [appRow(c, appDone[i])])),
    ],
    notes,
    elapsedMs: performance.now() - started,
    data: {
      queued: run.map((c, i) => ({
        ...c,
        settings: STORM_SETTINGS[c.setting],
        command: stormCommand(c),
        result: queuedDone[i],
      })),
      app: apps.map((c, i) => ({ ...c, settings: STORM_SETTINGS[c.setting], result: appDone[i] })),
      arrival: arrival.map((c, i) => ({ ...c, command: arrivalCommand(c), result: arrivalDone[i] })),
    },
  };
}

async function queuedCase(c: QueuedCase, log: (line: string) => void): Promise<Awaited<ReturnType<typeof runStorm>>> {
  const r = await runStorm({
    findings: c.findings,
    destinations: c.destinations,
    ...STORM_SETTINGS[c.setting],
    ...RATE,
  });
  log(`  storm ${c.findings} × ${c.destinations} dest × ${c.setting}: ${seconds(r.elapsedMs)}, ${r.messages} messages`);
  return r;
}

async function arrivalCase(
  c: ArrivalCase,
  log: (line: string) => void,
): Promise<Awaited<ReturnType<typeof runArrival>>> {
  const r = await runArrival({
    findings: c.findings,
    arrivalPerSecond: c.perSecond,
    destinations: c.destinations,
    settings: c.settings,
  });
  log(`  arrival ${formatArrival(r)}`);
  return r;
}

async function appCase(
  c: { readonly findings: number; readonly setting: SettingName },
  log: (line: string) => void,
): Promise<AppStormResult> {
  const r = await runAppStorm(c.findings, STORM_SETTINGS[c.setting]);
  log(`  app storm ${c.findings} × ${c.setting}: ${formatAppStorm(r).split('\n')[2]?.trim() ?? ''}`);
  return r;
}

function arrivalCommand(c: ArrivalCase): string {
  const s = c.settings;
  return `npx tsx bench/arrival.ts ${c.findings} ${c.perSecond} ${s.batchSize} ${s.maxBatchingWindowSeconds} ${s.maxFindingsPerMessage}`;
}

const STORM_NOTES: readonly string[] = [
  'Slack simulator at 1 message/s per webhook, burst 3; 20 accounts, 4 regions, accounts round-robin over destinations; one consumer instance, repeats on (state in memory; every finding is a distinct issue, and every one must be shown), digestThreshold 5.',
  'bound = max over destinations of (messages to it − burst) ÷ rate, from the messages Slack accepted; ratio = elapsed ÷ bound. Predicted messages: per batch and destination, ceil(findings ÷ maxFindingsPerMessage) when findings > digestThreshold, else one per finding.',
  'queued: replay puts every finding in the queue up front, so batches are always full and maxBatchingWindowSeconds changes nothing here (in production it adds up to that much latency and makes batches fuller when findings trickle in). arriving: findings reach the queue at 50/s and the poller waits for a full batch or the window, as the SQS event source mapping does.',
  "app destination: the same storm to one Slack app destination through the Web API simulator at Slack's documented limits (chat.postMessage 1/s per channel, burst 3; chat.update 50/min; files.getUploadURLExternal and files.completeUploadExternal 100/min each): one storm summary parent, each batch's complete list a file in its thread; visible = the last file shared. The summary is edited at chat.update's pace, so it can lag the files by a few batches in a backlog (each file's comment carries the running total). Beside it, the webhook path: 10,000 findings over 2 webhook destinations at default settings took 297 s and 600 messages (the queued row above). `npx tsx bench/app-storm.ts --findings N --batch-size N --max-findings-per-message N`",
];

function stormCommand(c: QueuedCase): string {
  const s = STORM_SETTINGS[c.setting];
  return `npx tsx bench/storm.ts --findings ${c.findings} --destinations ${c.destinations} --batch-size ${s.batchSize} --window ${s.maxBatchingWindowSeconds} --max-findings-per-message ${s.maxFindingsPerMessage}`;
}
