import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { machineInfo } from './machine.ts';
import {
  BENCHMARKS,
  formatReport,
  readStoredResults,
  replaceBenchBlock,
  writeResults,
  type BenchReport,
  type BenchmarkName,
} from './report.ts';
import { runFaultsSuite } from './faults.ts';
import { runStormSuite } from './storm-suite.ts';
import { runCliSuite, runColdStartSuite, runCpuSuite, runRepeatsSuite, runSynthSuite } from './suites.ts';

/**
 * `npm run bench`: runs every benchmark (or `--only` some), prints one table with the machine's
 * details, writes `bench/results/<name>.json` and `bench/results/latest.json`, and with
 * `--update-docs` rewrites the block between the bench markers of docs/tuning.md.
 */

const HELP = `Usage: npm run bench -- [options]

Runs guardduty-hub's benchmarks and prints one table with the machine's details.
Writes bench/results/<name>.json and bench/results/latest.json (--quick: bench/results/quick/).

Benchmarks: ${BENCHMARKS.join(', ')}
  cpu        consumer handler time and memory for 10,000 findings, Slack answering at once
  coldstart  consumer bundle size and import time in a fresh node process; its Slack client's CPU against Node's fetch
  synth      cdktf synth time and peak memory, 1/4/17 regions × 10/100/500 accounts
  repeats    Slack messages for a day of re-published findings, with and without the state table
  faults     the fault matrix: delivered, dead-lettered, duplicates, recovery to drained, per fault
  storm      findings storms through the real handler into the Slack simulator at 1 message/s,
             and to one Slack app destination through the Web API simulator

Options:
  --only a,b        run only these benchmarks
  --quick           small sizes and few runs: a smoke run in under a minute (never written to the docs)
  --full            storm: also the cases predicted to take longer than 10 minutes
  --update-docs     rewrite the block between <!-- bench:start --> and <!-- bench:end --> of docs/tuning.md
                    (benchmarks not run keep their stored figures from bench/results/);
                    --update-readme, its former name, does the same
  -h, --help        this text

A full run takes about 15 minutes on 2 cores (the storm waits on Slack's rate).`;

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The page holding the benchmark figures between the bench markers. */
const BENCH_DOC = `${REPO_ROOT}docs/tuning.md`;

/** Parsed command line. */
interface RunOptions {
  readonly only: readonly BenchmarkName[];
  readonly quick: boolean;
  readonly full: boolean;
  readonly updateDocs: boolean;
}

function parseOptions(argv: readonly string[]): RunOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      full: { type: 'boolean', default: false },
      'update-docs': { type: 'boolean', default: false },
      'update-readme': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  const only =
    values.only === undefined
      ? [...BENCHMARKS]
      : values.only
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean);
  const unknown = only.filter((name) => !(BENCHMARKS as readonly string[]).includes(name));
  if (unknown.length > 0)
    throw new Error(`unknown benchmark ${unknown.join(', ')}: choose from ${BENCHMARKS.join(', ')}`);
  const updateDocs = values['update-docs'] || values['update-readme'];
  if (values.quick && updateDocs) throw new Error('--update-docs takes full-size figures only: drop --quick');
  return { only: only as BenchmarkName[], quick: values.quick, full: values.full, updateDocs };
}

async function runOne(name: BenchmarkName, options: RunOptions, log: (line: string) => void): Promise<BenchReport> {
  switch (name) {
    case 'cpu':
      return runCpuSuite(options.quick, log);
    case 'cli':
      return runCliSuite(options.quick, log);
    case 'coldstart':
      return runColdStartSuite(options.quick, log);
    case 'synth':
      return runSynthSuite(options.quick, log);
    case 'repeats':
      return runRepeatsSuite(options.quick, log);
    case 'faults':
      return runFaultsSuite(log);
    case 'storm':
      return runStormSuite({ quick: options.quick, full: options.full, log });
  }
}

async function main(argv: readonly string[]): Promise<void> {
  let options: RunOptions | 'help';
  try {
    options = parseOptions(argv);
  } catch (error) {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n\n${HELP}\n`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const machine = machineInfo();
  const log = (line: string) => process.stdout.write(`${line}\n`);
  log(
    `guardduty-hub benchmarks${options.quick ? ' (--quick: small sizes, not for the docs)' : ''}: ${options.only.join(', ')}`,
  );
  const started = performance.now();
  const reports: BenchReport[] = [];
  // In BENCHMARKS order: the CPU-bound ones first, the storm (wall clock, waiting on Slack) last.
  for (const name of BENCHMARKS.filter((b) => options.only.includes(b))) {
    log(`${name} …`);
    reports.push(await runOne(name, options, log));
  }
  const totalMs = performance.now() - started;
  const written = writeResults(reports, machine, options.quick, totalMs, argv);
  log(
    `\n${formatReport(reports, machine)}\n\nTotal ${(totalMs / 60_000).toFixed(1)} min. Wrote ${written.map((f) => f.replace(REPO_ROOT, '')).join(', ')}`,
  );

  if (options.updateDocs) {
    const all = BENCHMARKS.flatMap((name) => reports.find((r) => r.name === name) ?? readStoredResults(name) ?? []);
    const block = [
      `Measured with \`npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}\` on ${machine.date.slice(0, 10)} (total ${(totalMs / 60_000).toFixed(1)} min)` +
        (options.only.length < BENCHMARKS.length
          ? `; the other benchmarks' rows are from their last run (bench/results/<name>.json).`
          : '.'),
      '',
      formatReport(all, machine),
    ].join('\n');
    writeFileSync(BENCH_DOC, replaceBenchBlock(readFileSync(BENCH_DOC, 'utf8'), block));
    log('Updated the block between <!-- bench:start --> and <!-- bench:end --> of docs/tuning.md.');
  }
}

await main(process.argv.slice(2));
