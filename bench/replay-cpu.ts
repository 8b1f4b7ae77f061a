import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { DIST_DIR, DIST_FILES } from '../scripts/build-cli.ts';
import { startSlackSimulator } from '../devkit/slack/webhook-simulator.ts';
import { SETTINGS, SHAPE } from './cpu.ts';
import { measured, type Measured } from './stats.ts';
import { stormWorld, webhookPath, type StormShape } from './storm-world.ts';

/**
 * The CPU of `replay` as users run it (the built CLI), against its floor:
 *
 * - replay: CPU time (user + system, every thread) of `replay --json` over `findings` events posting to
 *   a local webhook server (the Slack simulator, in this process), measured inside a child process
 *   (`process.cpuUsage()`) that imports the built CLI first, so Node's start-up is not in it;
 * - floor: what no replay of these events can spend less than, whatever its code: in a fresh process
 *   with no project code, each event parsed once (the consumer must) and the messages the replay
 *   posted, posted again with bare `node:http` and a keep-alive agent.
 *
 * {@link measureReplayMarginal} compares their marginal CPU: the slope between two sizes.
 */

const THIS_FILE = fileURLToPath(import.meta.url);
const REPO_ROOT = resolve(THIS_FILE, '..', '..');
const run = promisify(execFile);

/** One replay run, as the child reports it. */
export interface ReplayCpuSample {
  readonly findings: number;
  /** CPU of the whole `replay --json` command, in ms. */
  readonly replayCpuMs: number;
  /** CPU of `JSON.parse` of every event, in ms. */
  readonly parseCpuMs: number;
  readonly slackMessages: number;
  readonly delivered: number;
  /** The floor under this replay ({@link FLOOR_SCRIPT}), when asked for. */
  readonly floor?: ReplayFloorSample;
}

/** What no replay of these events can spend less than: parsing each event once and posting the same messages. */
export interface ReplayFloorSample {
  /** CPU of posting the messages the replay posted with bare `node:http`, in ms. */
  readonly postCpuMs: number;
  /** CPU of `JSON.parse` of every event in that process, in ms. */
  readonly parseCpuMs: number;
}

/** The cpu benchmark's storm, with the highest rate the config takes, so that replay waits little. */
const REPLAY_SHAPE: Omit<StormShape, 'findings'> = { ...SHAPE, messagesPerSecond: 100, burst: 100 };

/**
 * The child, as plain JavaScript (no tsx hooks in its module loading): imports the built CLI, runs
 * `replay` in-process with stdout captured, then parses the same events; prints one JSON line.
 */
const CHILD_SCRIPT = `
const [mainUrl, ...args] = process.argv.slice(1);
const { readFileSync } = await import('node:fs');
const { main } = await import(mainUrl);
const cpuMs = (since) => { const { user, system } = process.cpuUsage(since); return (user + system) / 1000; };
let stdout = '';
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk) => ((stdout += chunk), true);
const replayStart = process.cpuUsage();
const code = await main(['node', 'guardduty-hub', 'replay', ...args]);
const replayCpuMs = cpuMs(replayStart);
process.stdout.write = write;
if (code !== 0) throw new Error('replay exited ' + code);
const summary = JSON.parse(stdout);
const lines = readFileSync(args.at(-1), 'utf8').split('\\n');
const parseStart = process.cpuUsage();
for (const line of lines) JSON.parse(line);
const parseCpuMs = cpuMs(parseStart);
write(JSON.stringify({ findings: summary.records, replayCpuMs, parseCpuMs, slackMessages: summary.slackMessages, delivered: summary.delivered }) + '\\n');
`;

/**
 * The floor, as plain JavaScript with no project code: in a fresh process, posts the requests a
 * replay made (`posts.json`: path and body, in order) to the same server with `node:http` and a
 * keep-alive agent, each destination's in order and the destinations at once (as the consumer
 * does), then parses each event line once; prints one JSON line.
 */
const FLOOR_SCRIPT = `
const { Agent, request } = await import('node:http');
const { readFileSync } = await import('node:fs');
const [baseUrl, postsFile, eventsFile] = process.argv.slice(1);
const cpuMs = (since) => { const { user, system } = process.cpuUsage(since); return (user + system) / 1000; };
const agent = new Agent({ keepAlive: true });
const post = ({ path, body }) => new Promise((resolve, reject) => {
  const req = request(baseUrl + path, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } });
  req.on('error', reject);
  req.on('response', (res) => { res.resume(); res.on('end', resolve); });
  req.end(body);
});
const byPath = new Map();
for (const p of JSON.parse(readFileSync(postsFile, 'utf8'))) byPath.set(p.path, [...(byPath.get(p.path) ?? []), p]);
const postStart = process.cpuUsage();
await Promise.all([...byPath.values()].map(async (posts) => { for (const p of posts) await post(p); }));
const postCpuMs = cpuMs(postStart);
agent.destroy();
const lines = readFileSync(eventsFile, 'utf8').split('\\n');
const parseStart = process.cpuUsage();
for (const line of lines) JSON.parse(line);
process.stdout.write(JSON.stringify({ postCpuMs, parseCpuMs: cpuMs(parseStart) }) + '\\n');
`;

/**
 * One run: events and config in a temporary folder, the simulator here, the CLI in a child. With
 * `floor`, a second fresh child then measures the floor under it ({@link FLOOR_SCRIPT}).
 */
export async function sampleReplayCpu(
  findings: number,
  nodeArgs: readonly string[] = [],
  floor = false,
): Promise<ReplayCpuSample> {
  const world = stormWorld({ ...REPLAY_SHAPE, findings }, SETTINGS);
  const dir = mkdtempSync(join(tmpdir(), 'guardduty-hub-bench-replay-'));
  const simulator = await startSlackSimulator({ ratePerSecond: 1000, burst: 1000 });
  try {
    const events = join(dir, 'events.ndjson');
    const config = join(dir, 'hub.yml');
    writeFileSync(events, world.findings.map((f) => f.body).join('\n'));
    writeFileSync(config, stringify({ ...world.config, repeats: { enabled: true } }));
    const webhooks = world.destinations.flatMap((name) => ['--webhook', `${name}=${simulator.url(webhookPath(name))}`]);
    const mainUrl = pathToFileURL(join(DIST_DIR, DIST_FILES.cli)).href;
    const args = [
      ...nodeArgs,
      '--input-type=module',
      '-e',
      CHILD_SCRIPT,
      mainUrl,
      '--config',
      config,
      ...webhooks,
      '--json',
      events,
    ];
    const { stdout } = await run(process.execPath, args, { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 });
    const sample = lastJsonLine(stdout) as ReplayCpuSample;
    if (sample.delivered !== findings) throw new Error(`replay delivered ${sample.delivered} of ${findings} findings`);
    if (!floor) return sample;
    const posts = join(dir, 'posts.json');
    writeFileSync(posts, JSON.stringify(simulator.accepted().map((r) => ({ path: r.path, body: r.raw }))));
    const floorRun = await run(
      process.execPath,
      ['--input-type=module', '-e', FLOOR_SCRIPT, simulator.baseUrl, posts, events],
      { cwd: REPO_ROOT },
    );
    return { ...sample, floor: lastJsonLine(floorRun.stdout) as ReplayFloorSample };
  } finally {
    await simulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const lastJsonLine = (stdout: string): unknown => JSON.parse(stdout.trim().split('\n').at(-1)!);

/** The floor's CPU of one sample, in ms. */
const floorMs = (sample: ReplayCpuSample): number => sample.floor!.postCpuMs + sample.floor!.parseCpuMs;

/** Replay and floor CPU per 1,000 findings between two sizes, over the pairs of runs. */
export interface ReplaySlope {
  /** The two sizes, in findings. */
  readonly fromFindings: number;
  readonly toFindings: number;
  /** Replay CPU per 1,000 findings between the two sizes, in ms. */
  readonly replayMsPer1000: Measured;
  /** The floor's CPU per 1,000 findings between the same two sizes, in ms. */
  readonly floorMsPer1000: Measured;
  /** replay ÷ floor, per pair. */
  readonly ratio: Measured;
}

/** Marginal replay CPU against its floor. */
export interface ReplayMarginalResult {
  /** Between the two larger sizes: the marginal CPU the goal is about. */
  readonly marginal: ReplaySlope;
  /** Between the two smaller sizes: still paying TurboFan's first compiles of the hot path. */
  readonly early: ReplaySlope;
  /** Slack messages the largest replay posted (the floor posts the same). */
  readonly slackMessages: number;
  /** `JSON.parse` of the events alone per 1,000 findings (in the replay's process, largest size), in ms. */
  readonly parseMsPer1000: Measured;
  /** Every sample, in run order. */
  readonly samples: readonly ReplayCpuSample[];
}

/** Sizes and runs of {@link measureReplayMarginal}. */
export interface ReplayMarginalOptions {
  /** Three sizes in findings, smallest first: `early` is the slope over the first two, `marginal` over the last two. */
  readonly sizes: readonly [number, number, number];
  /** Groups of runs (one of each size, ascending and descending in turn). */
  readonly pairs: number;
  readonly onSample?: (sample: ReplayCpuSample) => void;
}

/**
 * Marginal CPU: for each group of runs, (CPU at one size − CPU at a smaller one) per 1,000 findings
 * of difference, for the replay and for its floor, and their ratio. The difference cancels what every
 * run pays once whatever its size (Node's module loading, the command's modules and config, the first
 * post's connection), which a 1-finding run would count as per finding. TurboFan's first compiles of
 * the functions called once per batch (routing, the repeat gate, rendering) land between about 2,000
 * and 10,000 findings (`node --trace-opt`); a longer replay does not pay them again, so the goal is
 * measured past them and the early slope is printed beside it. Those called once per post (in the
 * replay and the floor alike) are still compiled up to about 30,000 findings. The sizes of a group run back to back,
 * so they share the machine's load. Expects `dist/cli` built (`buildForBench` in `bench/cli.ts`).
 */
export async function measureReplayMarginal(options: ReplayMarginalOptions): Promise<ReplayMarginalResult> {
  const { sizes, pairs, onSample } = options;
  const samples: ReplayCpuSample[] = [];
  const groups: Map<number, ReplayCpuSample>[] = [];
  for (let i = 0; i < pairs; i += 1) {
    const group = new Map<number, ReplayCpuSample>();
    for (const findings of i % 2 === 0 ? sizes : [...sizes].reverse()) {
      const sample = await sampleReplayCpu(findings, [], true);
      onSample?.(sample);
      samples.push(sample);
      group.set(findings, sample);
    }
    groups.push(group);
  }
  const largest = samples.filter((s) => s.findings === sizes[2]);
  return {
    marginal: slope(groups, sizes[1], sizes[2]),
    early: slope(groups, sizes[0], sizes[1]),
    slackMessages: largest[0]?.slackMessages ?? 0,
    parseMsPer1000: measured(largest.map((s) => (s.parseCpuMs * 1000) / sizes[2])),
    samples,
  };
}

/** The slope between two sizes over the groups of runs. */
function slope(
  groups: readonly ReadonlyMap<number, ReplayCpuSample>[],
  fromFindings: number,
  toFindings: number,
): ReplaySlope {
  const perThousand = 1000 / (toFindings - fromFindings);
  const replay = groups.map((g) => (g.get(toFindings)!.replayCpuMs - g.get(fromFindings)!.replayCpuMs) * perThousand);
  const floor = groups.map((g) => (floorMs(g.get(toFindings)!) - floorMs(g.get(fromFindings)!)) * perThousand);
  return {
    fromFindings,
    toFindings,
    replayMsPer1000: measured(replay),
    floorMsPer1000: measured(floor),
    ratio: measured(replay.map((r, i) => r / floor[i]!)),
  };
}

/**
 * The fixed part of a replay's CPU: `runs` replays of one finding, in ms (loading the command's
 * modules and the config, one batch, one post).
 */
export async function measureReplayFixedCpu(runs = 3): Promise<Measured> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) samples.push((await sampleReplayCpu(1)).replayCpuMs);
  return measured(samples);
}

/** `10,000 → 30,000 findings: 45.1 ms (40.2–47.0) vs floor 19.3 ms (18.8–20.1) · 2.34× (2.1–2.5)`. */
export function formatSlope(r: ReplaySlope): string {
  const spread = (m: Measured, digits: number) =>
    m.runs <= 1 ? '1 group' : `${m.min.toFixed(digits)}–${m.max.toFixed(digits)}`;
  const sizes = `${r.fromFindings.toLocaleString('en-US')} → ${r.toFindings.toLocaleString('en-US')} findings`;
  return (
    `${sizes}: ${r.replayMsPer1000.median.toFixed(1)} ms (${spread(r.replayMsPer1000, 1)}) vs floor ` +
    `${r.floorMsPer1000.median.toFixed(1)} ms (${spread(r.floorMsPer1000, 1)}) · ${r.ratio.median.toFixed(2)}× (${spread(r.ratio, 2)})`
  );
}

/** The lines both `bench/cli.ts` and the cpu suite print: the marginal CPU (goal ≤ 2× the floor) and the early slope. */
export function formatMarginal(r: ReplayMarginalResult): string {
  return (
    `replay marginal CPU per 1,000 findings, ${formatSlope(r.marginal)}; goal ≤ 2×\n` +
    `  before TurboFan has compiled the batch-level functions, ${formatSlope(r.early)}; JSON.parse alone ${r.parseMsPer1000.median.toFixed(1)} ms`
  );
}
