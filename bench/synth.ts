import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AWS_REGIONS, validateConfig, type HubConfig } from '../shared/index.ts';

/**
 * Synth benchmark: how long `buildApp(config).app.synth()` takes and how much memory it needs, for
 * 1/4/17 regions × 10/100/500 member accounts. Each measurement runs in a fresh child process (so
 * peak RSS is that synth's alone); the median of several runs is reported.
 *
 * `npx tsx bench/synth.ts` prints a table and writes bench/results/synth.json.
 */

/** One benchmark case. */
export interface SynthCase {
  readonly regions: number;
  readonly accounts: number;
}

/** What one child process measured. */
export interface SynthSample {
  /** Building the constructs (`buildApp`), in ms. */
  readonly buildMs: number;
  /** `app.synth()`: resolving and writing the Terraform JSON and assets, in ms. */
  readonly synthMs: number;
  /** Bundling the consumer (esbuild, once per process), in ms. */
  readonly bundleMs: number;
  /** Peak resident set size of the whole child process, in MiB (`process.resourceUsage().maxRSS`). */
  readonly peakRssMiB: number;
  /** Number of stacks and Terraform resources written. */
  readonly stacks: number;
  readonly resources: number;
}

/** The median over runs of one case (each field of the sample is its median). */
export interface SynthResult extends SynthCase, SynthSample {
  readonly runs: number;
  /** Median of build + synth, in ms. */
  readonly totalMs: number;
}

/** The grid docs/tuning.md reports: 1/4/17 regions × 10/100/500 accounts (17 × 500 is the headline). */
export const SYNTH_CASES: readonly SynthCase[] = [1, 4, 17].flatMap((regions) =>
  [10, 100, 500].map((accounts) => ({ regions, accounts })),
);

const HUB_REGION = 'us-west-2';

/**
 * A valid config with `regions` regions (the hub region first) and `accounts` members in invitation
 * mode: every third member limited to the first half of the regions, thresholds and destinations varied.
 */
export function benchConfig({ regions, accounts }: SynthCase): HubConfig {
  const others = AWS_REGIONS.aws.filter((region) => region !== HUB_REGION);
  const regionList = [HUB_REGION, ...others.slice(0, regions - 1)];
  const destinations = Object.fromEntries(
    Array.from({ length: 5 }, (_, i) => [`team-${i}`, { webhookSecret: `guardduty-hub/slack/team-${i}` }]),
  );
  const severities = ['low', 'medium', 'high', 'critical', 5.5] as const;
  const members = Object.fromEntries(
    Array.from({ length: accounts }, (_, i) => {
      const id = String(200_000_000_000 + i);
      const subset =
        i % 3 === 0 && regionList.length > 1 ? { regions: regionList.slice(0, Math.ceil(regionList.length / 2)) } : {};
      return [
        id,
        {
          name: `member-${i}`,
          email: `aws+member-${i}@example.com`,
          minSeverity: severities[i % severities.length],
          destination: `team-${i % 5}`,
          ...subset,
        },
      ];
    }),
  );
  return validateConfig(
    {
      hub: { account: '111111111111', region: HUB_REGION, name: 'guardduty-hub' },
      regions: regionList,
      defaults: { destination: 'team-0', minSeverity: 'medium' },
      accounts: members,
      destinations,
      alarms: { email: 'secops@example.com' },
    },
    `bench ${regions}x${accounts}`,
  );
}

/** Runs one synth in this process and measures it (the child's side). */
export async function sampleSynth(benchCase: SynthCase): Promise<SynthSample> {
  const { buildApp, bundleConsumerIntoGen } = await import('../stacks/index.ts');
  const { readFileSync } = await import('node:fs');
  const config = benchConfig(benchCase);
  const outdir = mkdtempSync(join(tmpdir(), 'guardduty-hub-bench-'));
  try {
    let started = performance.now();
    const bundleDir = bundleConsumerIntoGen(config);
    const bundleMs = performance.now() - started;

    started = performance.now();
    const { app, stacks } = buildApp(config, { outdir, bundleConsumer: () => bundleDir });
    const buildMs = performance.now() - started;

    started = performance.now();
    app.synth();
    const synthMs = performance.now() - started;

    let resources = 0;
    for (const name of stacks.keys()) {
      const json = JSON.parse(readFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8')) as {
        resource?: Record<string, Record<string, unknown>>;
      };
      for (const byType of Object.values(json.resource ?? {})) resources += Object.keys(byType).length;
    }
    // maxRSS is in KiB on Linux and macOS.
    const peakRssMiB = process.resourceUsage().maxRSS / 1024;
    return { buildMs, synthMs, bundleMs, peakRssMiB, stacks: stacks.size, resources };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const THIS_FILE = fileURLToPath(import.meta.url);
const REPO_ROOT = resolve(THIS_FILE, '..', '..');

/** Runs one synth in a fresh Node process and returns its sample. */
export function sampleInChild(benchCase: SynthCase): SynthSample {
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', THIS_FILE, '--child', String(benchCase.regions), String(benchCase.accounts)],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, CHECKPOINT_DISABLE: '1' },
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const line = output.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as SynthSample;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** Options of {@link measureSynth}. */
export interface MeasureSynthOptions {
  /** Runs per case; the median is reported. Default 3. */
  readonly runs?: number;
  /** Called after each case, e.g. to print progress. */
  readonly onResult?: (result: SynthResult) => void;
  /** Measures one run; default a fresh child process. */
  readonly sample?: (benchCase: SynthCase) => SynthSample;
}

/** Measures each case `runs` times, each in a fresh process, and returns the medians. */
export function measureSynth(
  cases: readonly SynthCase[] = SYNTH_CASES,
  options: MeasureSynthOptions = {},
): SynthResult[] {
  const runs = options.runs ?? 3;
  const sample = options.sample ?? sampleInChild;
  return cases.map((benchCase) => {
    const samples = Array.from({ length: runs }, () => sample(benchCase));
    const pick = (key: keyof SynthSample) => median(samples.map((s) => s[key]));
    const result: SynthResult = {
      ...benchCase,
      runs,
      totalMs: median(samples.map((s) => s.buildMs + s.synthMs)),
      buildMs: pick('buildMs'),
      synthMs: pick('synthMs'),
      bundleMs: pick('bundleMs'),
      peakRssMiB: pick('peakRssMiB'),
      stacks: pick('stacks'),
      resources: pick('resources'),
    };
    options.onResult?.(result);
    return result;
  });
}

/** The results as a text table. */
export function formatTable(results: readonly SynthResult[]): string {
  const header = ['regions', 'accounts', 'stacks', 'resources', 'build ms', 'synth ms', 'total ms', 'peak RSS MiB'];
  const rows = results.map((r) =>
    [
      r.regions,
      r.accounts,
      r.stacks,
      r.resources,
      Math.round(r.buildMs),
      Math.round(r.synthMs),
      Math.round(r.totalMs),
      Math.round(r.peakRssMiB),
    ].map(String),
  );
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => cell.padStart(widths[i]!)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Where the results go. */
export const RESULTS_FILE = join(REPO_ROOT, 'bench', 'results', 'synth.json');

async function runAsScript(argv: readonly string[]): Promise<void> {
  if (argv[0] === '--child') {
    const sample = await sampleSynth({ regions: Number(argv[1]), accounts: Number(argv[2]) });
    process.stdout.write(`${JSON.stringify(sample)}\n`);
    return;
  }
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  process.stdout.write(
    `synth benchmark: median of ${runs} runs per case, each in a fresh process (Node ${process.version})\n`,
  );
  const results = measureSynth(SYNTH_CASES, {
    runs,
    onResult: (r) =>
      process.stdout.write(
        `  ${r.regions} regions × ${r.accounts} accounts: ${Math.round(r.totalMs)} ms, ${Math.round(r.peakRssMiB)} MiB\n`,
      ),
  });
  process.stdout.write(`\n${formatTable(results)}\n`);
  mkdirSync(join(REPO_ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(
    RESULTS_FILE,
    `${JSON.stringify({ node: process.version, runs, measuredAt: new Date().toISOString(), results }, null, 2)}\n`,
  );
  process.stdout.write(`\nwrote ${RESULTS_FILE}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await runAsScript(process.argv.slice(2));
}
