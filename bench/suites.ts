import { buildForBench, measureStartup } from './cli.ts';
import { measureColdStart } from './coldstart.ts';
import { CLIENTS, measureSlackClient } from './http.ts';
import { formatMarginal, measureReplayFixedCpu, measureReplayMarginal, type ReplaySlope } from './replay-cpu.ts';
import { measureCpu, per1000 } from './cpu.ts';
import { benchRepeats } from './repeats.ts';
import type { BenchReport, Row } from './report.ts';
import { measured, type Measured } from './stats.ts';
import { SYNTH_CASES, measureSynth, sampleInChild, type SynthCase, type SynthSample } from './synth.ts';

/** The benchmarks other than the storm, each as a {@link BenchReport}. `quick`: small sizes, few runs. */

type Log = (line: string) => void;

const spread = (m: Measured, unit: string, digits = 1) =>
  m.runs <= 1 ? '1 run' : `median of ${m.runs} runs, spread ${m.min.toFixed(digits)}–${m.max.toFixed(digits)} ${unit}`;

/** Consumer CPU and memory for 10,000 findings (2,000 with `quick`), and the CPU of `replay`. */
export async function runCpuSuite(quick: boolean, log: Log): Promise<BenchReport> {
  const started = performance.now();
  const findings = quick ? 2000 : 10_000;
  const runs = quick ? 2 : 5;
  const r = measureCpu({
    findings,
    runs,
    onSample: (s, i) => log(`  cpu run ${i + 1}: handler ${s.handlerMs.toFixed(0)} ms`),
  });
  await buildForBench();
  const replay = await measureReplayMarginal({
    sizes: quick ? [1000, 2000, 5000] : [2000, 10_000, 30_000],
    pairs: quick ? 1 : 5,
    onSample: (s) => {
      const floor = s.floor === undefined ? 0 : s.floor.postCpuMs + s.floor.parseCpuMs;
      log(`  cpu replay ${s.findings}: ${s.replayCpuMs.toFixed(0)} ms, floor ${floor.toFixed(0)} ms`);
    },
  });
  log(`  ${formatMarginal(replay)}`);
  const replayFixedMs = await measureReplayFixedCpu(quick ? 1 : 5);
  return {
    name: 'cpu',
    command: `npx tsx bench/cpu.ts ${findings} ${runs}`,
    rows: [...handlerRows(r, findings), ...replayRows(replay, replayFixedMs)],
    notes: CPU_NOTES,
    elapsedMs: performance.now() - started,
    data: { ...r, replay, replayFixedMs },
  };
}

/** The handler's rows: time per 1,000 findings for the whole and each stage, and memory. */
function handlerRows(r: ReturnType<typeof measureCpu>, findings: number): Row[] {
  const ms = (m: Measured) => per1000(m, findings);
  const count = findings.toLocaleString('en-US');
  const base = `${count} findings, batches of ${r.batchSize}, ${r.destinations} dest`;
  const timeRow = (what: string, m: Measured): Row => ({
    case: what,
    result: `${ms(m).median.toFixed(1)} ms`,
    measured: spread(ms(m), 'ms'),
  });
  return [
    timeRow(`handler, per 1,000 findings (${base}, ${r.messages} msgs)`, r.handlerMs),
    timeRow('parse + route + collapse (routeBatch), per 1,000', r.routeMs),
    timeRow('render (renderMessages), per 1,000', r.renderMs),
    {
      case: `heap retained after ${count} findings (after GC)`,
      result: `${r.heapGrowthMiB.median.toFixed(1)} MiB`,
      measured: spread(r.heapGrowthMiB, 'MiB'),
    },
    {
      case: `peak RSS growth over ${count} findings`,
      result: `${r.rssGrowthMiB.median.toFixed(1)} MiB`,
      measured: spread(r.rssGrowthMiB, 'MiB'),
    },
  ];
}

/** The replay rows: marginal CPU against its floor past and before TurboFan's compiles, and the fixed part. */
function replayRows(replay: Awaited<ReturnType<typeof measureReplayMarginal>>, replayFixedMs: Measured): Row[] {
  return [
    slopeRow(
      replay.marginal,
      `replay --json, marginal CPU per 1,000 findings (${replay.slackMessages} msgs at the largest size to a local webhook) against its floor: JSON.parse of the same events plus the same posts with bare node:http, no project code (goal ≤ 2×)`,
    ),
    slopeRow(
      replay.early,
      `the same before TurboFan has compiled the batch-level functions (JSON.parse alone: ${replay.parseMsPer1000.median.toFixed(1)} ms per 1,000)`,
    ),
    {
      case: 'replay --json of 1 finding, CPU: the fixed part of the replay rows (loading the command and the config, one batch, one post)',
      result: `${replayFixedMs.median.toFixed(0)} ms`,
      measured: spread(replayFixedMs, 'ms', 0),
    },
  ];
}

/** One marginal-CPU row: the replay's and the floor's slope and their ratio, with the spread over groups of runs. */
function slopeRow(r: ReplaySlope, what: string): Row {
  const sizes = `${r.fromFindings.toLocaleString('en-US')} → ${r.toFindings.toLocaleString('en-US')} findings`;
  const range = (m: Measured, digits: number) => `${m.min.toFixed(digits)}–${m.max.toFixed(digits)}`;
  return {
    case: `${what} (${sizes})`,
    result: `${r.replayMsPer1000.median.toFixed(1)} ms vs ${r.floorMsPer1000.median.toFixed(1)} ms · ${r.ratio.median.toFixed(2)}×`,
    measured:
      r.ratio.runs <= 1
        ? '1 group of runs'
        : `median of ${r.ratio.runs} groups of runs, spread ${range(r.replayMsPer1000, 1)} vs ${range(r.floorMsPer1000, 1)} ms; ratio ${range(r.ratio, 2)}×`,
  };
}

const CPU_NOTES: readonly string[] = [
  'The real handler (createHandler) with a stub fetch answering 200 at once and a sleep that returns at once (the rate limiter never waits), repeats off, silent logger and metrics; each run in a fresh Node process, so the first batches include JIT warm-up as in a new Lambda instance.',
  'The stage rows call routeBatch and renderMessages directly on the same batches after the handler run (warm). The handler row also includes delivery bookkeeping, JSON.stringify of every payload and the partial-batch response.',
  'Where the time goes: `npx tsx bench/cpu.ts --profile` (node --cpu-prof) prints the functions with the most self time.',
  'The replay rows: the built CLI (dist/cli) imported in a fresh process, then `replay --json` run in it (repeats on, memory store) posting to the Slack simulator in the parent process; CPU is process.cpuUsage() (user + system, every thread) around the command. The floor: in a fresh process with no project code, each event parsed once (the consumer must) and the messages the replay posted, posted again with node:http and a keep-alive agent, each destination in order and the destinations at once, as the consumer posts.',
  'Marginal means the slope: each group runs the three sizes back to back, and (CPU at one size − CPU at a smaller one) per 1,000 findings of difference is taken for the replay and for its floor; the rows give the medians over groups and the median of the per-group ratios. The difference cancels what a run pays once whatever its size (loading modules and the config, the first connection), which a replay of 1 finding does not pay and which would otherwise count as per finding. TurboFan compiles the functions called once per batch (routing, the repeat gate, rendering) between about 2,000 and 10,000 findings (`node --trace-opt`), once per process: the goal row is measured past that, the early row shows the slope with it. Past 10,000 some compiling remains (the functions called once per post, in both processes), so both slopes fall further out: `npx tsx bench/cli.ts 10000 30000 60000` measures 30,000 → 60,000. `npx tsx bench/cli.ts` prints the same lines; `npx tsx bench/cli.ts --profile` shows where the CPU goes.',
  "The replay of 1 finding is what every replay costs before its findings: the command's modules, the config, one batch and one post. The AWS SDK is not in it: replay loads the SDK only when a webhook URL or bot token comes from Secrets Manager.",
];

/** `guardduty-hub --help` (the built CLI) against a bare `node -e 0`, each a fresh process. */
export async function runCliSuite(quick: boolean, log: Log): Promise<BenchReport> {
  const started = performance.now();
  await buildForBench();
  const runs = quick ? 5 : 15;
  const r = measureStartup(runs);
  const ratio = r.helpMs.median / r.bareNodeMs.median;
  log(`  cli: --help ${r.helpMs.median.toFixed(0)} ms, node -e 0 ${r.bareNodeMs.median.toFixed(0)} ms`);
  return {
    name: 'cli',
    command: 'npx tsx bench/cli.ts',
    rows: [
      {
        case: 'start-up: `guardduty-hub --help` (built, bin/guardduty-hub.mjs) against `node -e 0` (goal ≤ 4×)',
        result: `${r.helpMs.median.toFixed(0)} ms vs ${r.bareNodeMs.median.toFixed(0)} ms · ${ratio.toFixed(1)}×`,
        measured: `median of ${runs} runs each, alternating, wall clock; spread ${r.helpMs.min.toFixed(0)}–${r.helpMs.max.toFixed(0)} ms vs ${r.bareNodeMs.min.toFixed(0)}–${r.bareNodeMs.max.toFixed(0)} ms`,
      },
    ],
    notes: [
      "The bin runs dist/cli/main.mjs, which imports only commander and the command table; each command's module (and the AWS SDK it needs) loads when that command runs.",
    ],
    elapsedMs: performance.now() - started,
    data: r,
  };
}

/** Consumer bundle size and import time in a fresh process, and the CPU of its Slack client against Node's `fetch`. */
export async function runColdStartSuite(quick: boolean, log: Log): Promise<BenchReport> {
  const started = performance.now();
  const runs = quick ? 3 : 9;
  const r = measureColdStart(runs);
  const posts = quick ? 50 : 300;
  const http = await measureSlackClient(posts, quick ? 2 : 5);
  const clientRows = (figure: 'firstPostMs' | 'perPostMs', scale: number, unit: string) =>
    CLIENTS.map((client) => `${(http[client][figure].median * scale).toFixed(unit === 'ms' ? 1 : 0)} ${unit}`).join(
      ' vs ',
    );
  const importMs = measured(r.importMs);
  const processMs = measured(r.processMs);
  log(`  coldstart: import ${importMs.median.toFixed(1)} ms`);
  return {
    name: 'coldstart',
    command: 'npx tsx bench/coldstart.ts',
    rows: [
      {
        case: 'consumer bundle index.mjs (minified, AWS SDK external)',
        result: `${(r.bundleBytes / 1024).toFixed(1)} KiB`,
        measured: 'one esbuild build of config/example.yml',
      },
      {
        case: 'import of the bundle in a fresh node process',
        result: `${importMs.median.toFixed(1)} ms`,
        measured: spread(importMs, 'ms'),
      },
      {
        case: 'whole node process (start, import, exit)',
        result: `${processMs.median.toFixed(0)} ms`,
        measured: spread(processMs, 'ms', 0),
      },
      {
        case: "Slack client, first post of a process over https (loading the client, TLS handshake, the answer): the consumer's nodeHttpFetch vs Node's fetch",
        result: clientRows('firstPostMs', 1, 'ms'),
        measured: `CPU, median of ${http.fetch.firstPostMs.runs} fresh processes each, alternating`,
      },
      {
        case: `Slack client, CPU per post after the first (${posts} posts of 5.2 KB, one kept-alive connection): nodeHttpFetch vs fetch`,
        result: clientRows('perPostMs', 1000, 'µs'),
        measured: `median of ${http.fetch.perPostMs.runs} processes each`,
      },
    ],
    notes: [
      "Import time is measured inside the child (performance.now around import()), so Node's own start-up is only in the process row. Lambda's init adds its runtime start-up on top.",
      "The Slack client rows: `npx tsx bench/http.ts`; a TLS server (the tests' self-signed certificate) in the parent, the client in a fresh child measuring its own CPU. Lambda gives 256 MB about a seventh of a vCPU, so CPU there is several times as much wall time.",
    ],
    elapsedMs: performance.now() - started,
    data: { ...r, runs, http },
  };
}

/** cdktf synth time and peak memory for 1/4/17 regions × 10/100/500 accounts. */
export function runSynthSuite(quick: boolean, log: Log): BenchReport {
  const started = performance.now();
  const cases: readonly SynthCase[] = quick
    ? [
        { regions: 1, accounts: 10 },
        { regions: 4, accounts: 10 },
      ]
    : SYNTH_CASES;
  const runs = quick ? 1 : 3;
  const samples = new Map<string, SynthSample[]>();
  const key = (c: SynthCase) => `${c.regions}x${c.accounts}`;
  const results = measureSynth(cases, {
    runs,
    sample: (c) => {
      const sample = sampleInChild(c);
      samples.set(key(c), [...(samples.get(key(c)) ?? []), sample]);
      return sample;
    },
    onResult: (r) => log(`  synth ${r.regions} regions × ${r.accounts} accounts: ${Math.round(r.totalMs)} ms`),
  });
  return {
    name: 'synth',
    command: 'npx tsx bench/synth.ts',
    rows: results.map((r) => {
      const runsOf = samples.get(key(r))!;
      const total = measured(runsOf.map((s) => s.buildMs + s.synthMs));
      const rss = measured(runsOf.map((s) => s.peakRssMiB));
      return {
        case: `${r.regions} region${r.regions === 1 ? '' : 's'} × ${r.accounts} accounts (${r.stacks} stacks, ${r.resources.toLocaleString('en-US')} resources)`,
        result: `${(total.median / 1000).toFixed(2)} s build+synth · peak RSS ${rss.median.toFixed(0)} MiB`,
        measured:
          runs <= 1
            ? '1 run, fresh process'
            : `median of ${runs} fresh processes, spread ${(total.min / 1000).toFixed(2)}–${(total.max / 1000).toFixed(2)} s, ${rss.min.toFixed(0)}–${rss.max.toFixed(0)} MiB`,
      };
    }),
    notes: [
      'buildApp + app.synth() in a fresh process per run; the consumer bundle (esbuild, once per process) is timed apart and not included; peak RSS is the whole process.',
    ],
    elapsedMs: performance.now() - started,
    data: { runs, results, samples: Object.fromEntries(samples) },
  };
}

/** Slack messages for a day of re-published findings with and without the state table. */
export async function runRepeatsSuite(quick: boolean, log: Log): Promise<BenchReport> {
  const started = performance.now();
  const findings = quick ? 50 : 200;
  const runs = quick ? 1 : 3;
  const results = [];
  for (let i = 0; i < runs; i += 1) results.push(await benchRepeats({ findings }));
  const r = results[0]!;
  const simulation = measured(results.map((x) => x.elapsedMs));
  log(`  repeats: ${r.messagesWithoutTable} → ${r.messagesWithTable} messages`);
  const reasons = Object.entries(r.byReason)
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ');
  return {
    name: 'repeats',
    command: 'npx tsx bench/repeats.ts',
    rows: [
      {
        case: `one day: ${findings} findings re-published every 15 min, 4 regions`,
        result: `${r.messagesWithoutTable.toLocaleString('en-US')} msgs without the state table → ${r.messagesWithTable.toLocaleString('en-US')} with it (−${(r.reduction * 100).toFixed(1)} %; ${reasons}; ${r.multiRegionMessages} name several regions)`,
        measured: 'deterministic simulation (seed 42), counts identical in every run',
      },
      {
        case: 'repeat gate time for that day (memory store)',
        result: `${simulation.median.toFixed(0)} ms`,
        measured: spread(simulation, 'ms', 0),
      },
    ],
    notes: [
      'Messages counted as the gate decides them (memory store, simulated clock, every message accepted); without the table every received finding is one message.',
    ],
    elapsedMs: performance.now() - started,
    data: { findings, runs, results },
  };
}
