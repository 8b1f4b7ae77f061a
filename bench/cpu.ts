import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SQSRecord } from 'aws-lambda';
import {
  createHandler,
  passThroughGate,
  renderMessages,
  routeBatch,
  staticWebhooks,
  type FetchLike,
  type RoutedFinding,
  type SqsLike,
} from '../lambdas/consumer/index.ts';
import { formatProfile, topSelfTime } from './profile.ts';
import { measured, type Measured } from './stats.ts';
import { noMetrics, silentLogger, stormWorld, type StormSettings, type StormShape } from './storm-world.ts';

/**
 * Consumer CPU: time and memory to parse, route, collapse, render and post `findings` findings
 * through the real handler (`createHandler`, repeats off) with Slack answering at once (a stub
 * `fetch` that answers 200, and a clock whose `sleep` returns at once, so the rate limiter never
 * waits). Batches of `delivery.batchSize` (100) as Lambda would receive them, one warm instance.
 *
 * Stages are timed separately by calling `routeBatch` (parse + route + collapse) and `renderMessages`
 * directly on the same batches. Each run is a fresh Node process (`--expose-gc`), so the first
 * batches include JIT warm-up as a new Lambda instance would.
 *
 * `npx tsx bench/cpu.ts [findings] [runs]`; `npx tsx bench/cpu.ts --profile [findings]` prints the functions with
 * the most self time (`node --cpu-prof`) and keeps the `.cpuprofile`.
 */

/** What one run measured. */
export interface CpuSample {
  readonly findings: number;
  readonly batches: number;
  /** The whole handler over every batch, in ms. */
  readonly handlerMs: number;
  /** `routeBatch` (JSON.parse, validation, normalising, routing, collapsing) over every batch, in ms. */
  readonly routeMs: number;
  /** `renderMessages` over every batch's routed findings, in ms. */
  readonly renderMs: number;
  /** Slack messages the handler posted. */
  readonly messages: number;
  /** Heap still used after the handler run and a full GC, minus before, in MiB. */
  readonly heapGrowthMiB: number;
  /** Peak RSS of the process minus its RSS before the work, in MiB. */
  readonly rssGrowthMiB: number;
}

/** The figures over several runs. */
export interface CpuResult {
  readonly findings: number;
  readonly batchSize: number;
  readonly destinations: number;
  readonly messages: number;
  readonly handlerMs: Measured;
  readonly routeMs: Measured;
  readonly renderMs: Measured;
  readonly heapGrowthMiB: Measured;
  readonly rssGrowthMiB: Measured;
}

/** The storm the CPU figures are measured on (Slack's rate does not matter: nothing waits). */
export const SHAPE: Omit<StormShape, 'findings'> = {
  destinations: 2,
  accounts: 20,
  regions: 4,
  messagesPerSecond: 1,
  burst: 3,
};
/** Delivery settings of the CPU figures: the defaults. */
export const SETTINGS: StormSettings = {
  batchSize: 100,
  maxBatchingWindowSeconds: 5,
  maxFindingsPerMessage: 20,
  digestThreshold: 5,
};

const okFetch: FetchLike = async () => ({ status: 200, headers: { get: () => null }, text: async () => 'ok' });
const noSqs: SqsLike = { send: async () => ({}) };

const mib = (bytes: number) => bytes / 1024 / 1024;
const gc = () => (globalThis as { gc?: () => void }).gc?.();

/** Runs `findings` findings through the handler and the stages in this process. */
export async function sampleCpu(findings: number): Promise<CpuSample> {
  const world = stormWorld({ ...SHAPE, findings }, SETTINGS);
  const batches: SQSRecord[][] = [];
  for (let start = 0; start < world.findings.length; start += SETTINGS.batchSize) {
    batches.push(
      world.findings.slice(start, start + SETTINGS.batchSize).map((f, i) => sqsRecord(`m-${start + i}`, f.body)),
    );
  }
  let clockMs = Date.now();
  let messages = 0;
  const handler = createHandler({
    config: world.config,
    fetch: okFetch,
    webhooks: staticWebhooks(
      Object.fromEntries(
        world.destinations.map((name) => [name, `https://hooks.slack.invalid/services/T0/B0/${name}`]),
      ),
    ),
    sqs: noSqs,
    queueUrl: 'https://sqs.bench.local/000000000000/bench',
    instanceShare: 1,
    now: () => clockMs,
    sleep: async (ms) => {
      clockMs += ms;
    },
    repeats: passThroughGate(),
    logger: silentLogger,
    metrics: noMetrics,
    onBatch: (result) => {
      messages += result.delivery.slackMessages;
    },
  });

  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const rssBefore = process.memoryUsage().rss;
  let started = performance.now();
  for (const records of batches) {
    const response = await handler({ Records: records }, { getRemainingTimeInMillis: () => 60_000 });
    if (response.batchItemFailures.length > 0)
      throw new Error(`the handler failed ${response.batchItemFailures.length} records`);
  }
  const handlerMs = performance.now() - started;
  const rssGrowthMiB = mib(process.resourceUsage().maxRSS * 1024 - rssBefore);
  gc();
  const heapGrowthMiB = mib(process.memoryUsage().heapUsed - heapBefore);

  let routeMs = 0;
  let renderMs = 0;
  for (const records of batches) {
    started = performance.now();
    const routed: RoutedFinding[] = routeBatch(records, world.config).routed;
    routeMs += performance.now() - started;
    started = performance.now();
    renderMessages(routed, world.config);
    renderMs += performance.now() - started;
  }
  return { findings, batches: batches.length, handlerMs, routeMs, renderMs, messages, heapGrowthMiB, rssGrowthMiB };
}

const THIS_FILE = fileURLToPath(import.meta.url);
const REPO_ROOT = resolve(THIS_FILE, '..', '..');

/** One run in a fresh Node process (`--expose-gc`). */
export function sampleCpuInChild(findings: number, nodeArgs: readonly string[] = []): CpuSample {
  const output = execFileSync(
    process.execPath,
    ['--expose-gc', ...nodeArgs, '--import', 'tsx', THIS_FILE, '--child', String(findings)],
    {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return JSON.parse(output.trim().split('\n').at(-1) ?? '') as CpuSample;
}

/** Options of {@link measureCpu}. */
export interface MeasureCpuOptions {
  /** Findings per run. Default 10,000. */
  readonly findings?: number;
  /** Runs, each in a fresh process. Default 5. */
  readonly runs?: number;
  /** Called after each run. */
  readonly onSample?: (sample: CpuSample, run: number) => void;
}

/** Measures `runs` runs and returns median and spread of each figure. */
export function measureCpu(options: MeasureCpuOptions = {}): CpuResult {
  const findings = options.findings ?? 10_000;
  const samples = Array.from({ length: options.runs ?? 5 }, (_, run) => {
    const sample = sampleCpuInChild(findings);
    options.onSample?.(sample, run);
    return sample;
  });
  const of = (key: keyof CpuSample) => measured(samples.map((s) => s[key]));
  return {
    findings,
    batchSize: SETTINGS.batchSize,
    destinations: SHAPE.destinations,
    messages: samples[0]?.messages ?? 0,
    handlerMs: of('handlerMs'),
    routeMs: of('routeMs'),
    renderMs: of('renderMs'),
    heapGrowthMiB: of('heapGrowthMiB'),
    rssGrowthMiB: of('rssGrowthMiB'),
  };
}

/** Scales a figure measured over `findings` findings to per 1,000 findings. */
export const per1000 = (m: Measured, findings: number): Measured => {
  const k = 1000 / findings;
  return measured(m.values.map((v) => v * k));
};

/** The figures as text. */
export function formatCpu(result: CpuResult): string {
  const ms = (m: Measured) =>
    `${per1000(m, result.findings).median.toFixed(1)} ms per 1,000 findings (${per1000(m, result.findings).min.toFixed(1)}–${per1000(m, result.findings).max.toFixed(1)})`;
  const mem = (m: Measured) => `${m.median.toFixed(1)} MiB (${m.min.toFixed(1)}–${m.max.toFixed(1)})`;
  return [
    `findings            ${result.findings} in batches of ${result.batchSize}, ${result.destinations} destinations, ${result.messages} Slack messages`,
    `handler             ${ms(result.handlerMs)}`,
    `  parse+route       ${ms(result.routeMs)}`,
    `  render            ${ms(result.renderMs)}`,
    `heap growth         ${mem(result.heapGrowthMiB)}   (retained after GC)`,
    `RSS growth          ${mem(result.rssGrowthMiB)}   (peak RSS − RSS before)`,
    `runs                ${result.handlerMs.runs}, each in a fresh process; median (min–max)`,
  ].join('\n');
}

function sqsRecord(messageId: string, body: string): SQSRecord {
  return {
    messageId,
    receiptHandle: `r-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '0',
      SenderId: 'bench',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-west-2:000000000000:bench',
    awsRegion: 'us-west-2',
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') {
    process.stdout.write(`${JSON.stringify(await sampleCpu(Number(argv[1])))}\n`);
  } else if (argv[0] === '--profile') {
    const dir = mkdtempSync(join(tmpdir(), 'guardduty-hub-cpu-prof-'));
    const sample = sampleCpuInChild(Number(argv[1] ?? 10_000), ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
    const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'))!;
    process.stdout.write(
      `Consumer CPU profile: handler ${sample.handlerMs.toFixed(0)} ms, route ${sample.routeMs.toFixed(0)} ms, render ${sample.renderMs.toFixed(0)} ms\n`,
    );
    process.stdout.write(
      `Top self time (whole child process: tsx start-up, handler run, then route and render run)\n${formatProfile(topSelfTime(join(dir, file), 25))}\n`,
    );
    process.stdout.write(`profile: ${join(dir, file)}\n`);
  } else {
    const result = measureCpu({
      findings: Number(argv[0] ?? 10_000),
      runs: Number(argv[1] ?? 5),
      onSample: (s, run) =>
        process.stdout.write(
          `  run ${run + 1}: handler ${s.handlerMs.toFixed(0)} ms, route ${s.routeMs.toFixed(0)} ms, render ${s.renderMs.toFixed(0)} ms\n`,
        ),
    });
    process.stdout.write(`Consumer CPU (node ${process.version})\n${formatCpu(result)}\n`);
  }
}
