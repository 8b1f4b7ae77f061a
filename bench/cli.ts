import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { DIST_DIR, DIST_FILES, buildPackage } from '../scripts/build-cli.ts';
import { startSlackSimulator } from '../devkit/slack/webhook-simulator.ts';
import { formatProfile, topSelfTime } from './profile.ts';
import { measured, type Measured } from './stats.ts';
import { SETTINGS, SHAPE } from './cpu.ts';
import { stormWorld, webhookPath, type StormShape } from './storm-world.ts';

/**
 * The operator CLI as users run it, built (`npm run build:cli`):
 *
 * - start-up: wall time of a fresh `node bin/guardduty-hub.mjs --help` against a bare `node -e 0`;
 * - replay CPU: CPU time (user + system) of `replay --json` over `findings` events posting to a local
 *   webhook server (the Slack simulator, in this process), against the CPU of `JSON.parse` of the
 *   same events. Both are measured inside one child process (`process.cpuUsage()`), which imports
 *   the built CLI first, so Node's start-up is in neither figure.
 *
 * `npx tsx bench/cli.ts [findings] [runs]`; `npx tsx bench/cli.ts --profile [findings]` prints where the
 * replay child spends its CPU (`node --cpu-prof`), and `--jit [findings]` the replay CPU with TurboFan
 * off beside the default: the share a short run spends compiling its hot path and never earns back.
 */

const THIS_FILE = fileURLToPath(import.meta.url);
const REPO_ROOT = resolve(THIS_FILE, '..', '..');
const BIN = join(REPO_ROOT, 'bin', 'guardduty-hub.mjs');
const run = promisify(execFile);

/** Start-up figures, in milliseconds per process. */
export interface StartupResult {
  readonly helpMs: Measured;
  readonly bareNodeMs: Measured;
}

function wallMs(args: readonly string[]): number {
  const started = performance.now();
  execFileSync(process.execPath, [...args], { stdio: 'ignore' });
  return performance.now() - started;
}

/** `guardduty-hub --help` and `node -e 0`, alternately, `runs` times each, after one warm-up of each. */
export function measureStartup(runs = 15): StartupResult {
  const help: number[] = [];
  const bare: number[] = [];
  wallMs([BIN, '--help']);
  wallMs(['-e', '0']);
  for (let i = 0; i < runs; i += 1) {
    help.push(wallMs([BIN, '--help']));
    bare.push(wallMs(['-e', '0']));
  }
  return { helpMs: measured(help), bareNodeMs: measured(bare) };
}

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
export async function sampleReplayCpu(findings: number, nodeArgs: readonly string[] = [], floor = false): Promise<ReplayCpuSample> {
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
    const { stdout } = await run(process.execPath, [...nodeArgs, '--input-type=module', '-e', CHILD_SCRIPT, mainUrl, '--config', config, ...webhooks, '--json', events], {
      cwd: REPO_ROOT,
      maxBuffer: 16 * 1024 * 1024,
    });
    const sample = lastJsonLine(stdout) as ReplayCpuSample;
    if (!floor) return sample;
    const posts = join(dir, 'posts.json');
    writeFileSync(posts, JSON.stringify(simulator.accepted().map((r) => ({ path: r.path, body: r.raw }))));
    const floorRun = await run(process.execPath, ['--input-type=module', '-e', FLOOR_SCRIPT, simulator.baseUrl, posts, events], { cwd: REPO_ROOT });
    return { ...sample, floor: lastJsonLine(floorRun.stdout) as ReplayFloorSample };
  } finally {
    await simulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const lastJsonLine = (stdout: string): unknown => JSON.parse(stdout.trim().split('\n').at(-1)!);

/** Replay CPU figures over `runs` runs. */
export interface ReplayCpuResult {
  readonly findings: number;
  readonly slackMessages: number;
  /** Per 1,000 findings, in ms. */
  readonly replayMsPer1000: Measured;
  readonly parseMsPer1000: Measured;
  /** replay ÷ JSON.parse, per run. */
  readonly ratio: Measured;
  /** The floor (JSON.parse of the events plus bare posting of the same messages) per 1,000 findings, in ms. */
  readonly floorMsPer1000: Measured;
  /** The floor ÷ JSON.parse in the floor's process, per run. */
  readonly floorRatio: Measured;
}

/** Builds the CLI, then measures `runs` replays of `findings` findings, each in a fresh process. */
export async function measureReplayCpu(findings = 5000, runs = 3, onSample?: (s: ReplayCpuSample) => void): Promise<ReplayCpuResult> {
  const samples: ReplayCpuSample[] = [];
  for (let i = 0; i < runs; i += 1) {
    const sample = await sampleReplayCpu(findings, [], true);
    if (sample.delivered !== findings) throw new Error(`replay delivered ${sample.delivered} of ${findings} findings`);
    onSample?.(sample);
    samples.push(sample);
  }
  const k = 1000 / findings;
  const floors = samples.map((s) => s.floor!);
  return {
    findings,
    slackMessages: samples[0]?.slackMessages ?? 0,
    replayMsPer1000: measured(samples.map((s) => s.replayCpuMs * k)),
    parseMsPer1000: measured(samples.map((s) => s.parseCpuMs * k)),
    ratio: measured(samples.map((s) => s.replayCpuMs / s.parseCpuMs)),
    floorMsPer1000: measured(floors.map((f) => (f.postCpuMs + f.parseCpuMs) * k)),
    floorRatio: measured(floors.map((f) => (f.postCpuMs + f.parseCpuMs) / f.parseCpuMs)),
  };
}

/**
 * The fixed part of a replay's CPU: `runs` replays of one finding, in ms (loading the command's
 * modules and the config, one batch, one post). What a replay of `findings` costs beyond it is its
 * per-finding part.
 */
export async function measureReplayFixedCpu(runs = 3): Promise<Measured> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) samples.push((await sampleReplayCpu(1)).replayCpuMs);
  return measured(samples);
}

/** Builds `dist/cli` so that both figures are of the JavaScript users run. */
export async function buildForBench(): Promise<void> {
  await buildPackage({ cliOnly: true });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const argv = process.argv.slice(2);
  if (argv[0] === '--jit') {
    // The same replay with TurboFan off: how much of a short run goes to compiling the hot path.
    await buildForBench();
    const findings = Number(argv[1] ?? 5000);
    const runs = { default: [] as number[], '--no-opt': [] as number[] };
    for (let i = 0; i < 3; i += 1) {
      runs.default.push((await sampleReplayCpu(findings)).replayCpuMs);
      runs['--no-opt'].push((await sampleReplayCpu(findings, ['--no-opt'])).replayCpuMs);
    }
    const median = (values: number[]) => measured(values).median.toFixed(0);
    process.stdout.write(`replay ${findings}: ${median(runs.default)} ms CPU; with TurboFan off (node --no-opt) ${median(runs['--no-opt'])} ms (medians of 3)\n`);
  } else if (argv[0] === '--profile') {
    await buildForBench();
    const dir = mkdtempSync(join(tmpdir(), 'guardduty-hub-replay-prof-'));
    const sample = await sampleReplayCpu(Number(argv[1] ?? 5000), ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
    const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'))!;
    process.stdout.write(`replay ${sample.findings}: ${sample.replayCpuMs.toFixed(0)} ms CPU\n${formatProfile(topSelfTime(join(dir, file), 30))}\nprofile: ${join(dir, file)}\n`);
  } else {
    await buildForBench();
    const startup = measureStartup();
    process.stdout.write(
      `start-up: guardduty-hub --help ${startup.helpMs.median.toFixed(0)} ms, node -e 0 ${startup.bareNodeMs.median.toFixed(0)} ms (${(startup.helpMs.median / startup.bareNodeMs.median).toFixed(1)}×)\n`,
    );
    const replay = await measureReplayCpu(Number(argv[0] ?? 5000), Number(argv[1] ?? 3), (s) =>
      process.stdout.write(
        `  replay ${s.findings}: ${s.replayCpuMs.toFixed(0)} ms CPU, JSON.parse ${s.parseCpuMs.toFixed(1)} ms; floor: posts ${s.floor?.postCpuMs.toFixed(0)} ms, JSON.parse ${s.floor?.parseCpuMs.toFixed(1)} ms\n`,
      ),
    );
    const fixed = await measureReplayFixedCpu();
    process.stdout.write(
      `replay CPU per 1,000 findings: ${replay.replayMsPer1000.median.toFixed(1)} ms, JSON.parse ${replay.parseMsPer1000.median.toFixed(1)} ms (${replay.ratio.median.toFixed(1)}×); a replay of 1 finding: ${fixed.median.toFixed(0)} ms\n` +
        `floor (JSON.parse + the same ${replay.slackMessages} posts with bare node:http): ${replay.floorMsPer1000.median.toFixed(1)} ms per 1,000 (${replay.floorRatio.median.toFixed(1)}× JSON.parse)\n`,
    );
  }
}
