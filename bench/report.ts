import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatMachine, type MachineInfo } from './machine.ts';

/** The benchmarks `bench/run.ts` knows, in the order they run and print. */
export const BENCHMARKS = ['cpu', 'cli', 'coldstart', 'synth', 'repeats', 'faults', 'storm'] as const;
/** One benchmark's name. */
export type BenchmarkName = (typeof BENCHMARKS)[number];

/** One line of the table. */
export interface Row {
  /** What was measured (the case). */
  readonly case: string;
  /** The figures, medians where there were several runs. */
  readonly result: string;
  /** How: runs, spread (min–max), what the figure includes. */
  readonly measured: string;
}

/** What one benchmark reports: rows for the table, notes below it, the command that reproduces it. */
export interface BenchReport {
  readonly name: BenchmarkName;
  /** One command that reproduces every figure of this benchmark. */
  readonly command: string;
  readonly rows: readonly Row[];
  /** Said below the table (what was left out and why, caveats). */
  readonly notes: readonly string[];
  /** Wall-clock time the benchmark took, in ms. */
  readonly elapsedMs: number;
  /** Raw figures (per run) for the results file. */
  readonly data: unknown;
}

/** A results file: `bench/results/<name>.json`. */
export interface ResultsFile extends BenchReport {
  readonly machine: MachineInfo;
  /** True when measured with `--quick` (small sizes; never in the docs). */
  readonly quick: boolean;
}

export const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));
/** Where `--quick` writes, so a smoke run never replaces the full figures. */
export const QUICK_RESULTS_DIR = join(RESULTS_DIR, 'quick');

/** Writes `<dir>/<name>.json` for each report and `<dir>/latest.json` with all of them. */
export function writeResults(
  reports: readonly BenchReport[],
  machine: MachineInfo,
  quick: boolean,
  totalMs: number,
  argv: readonly string[],
): string[] {
  const dir = quick ? QUICK_RESULTS_DIR : RESULTS_DIR;
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const report of reports) {
    const file = join(dir, `${report.name}.json`);
    writeFileSync(file, `${JSON.stringify({ ...report, machine, quick } satisfies ResultsFile, null, 2)}\n`);
    written.push(file);
  }
  const latest = join(dir, 'latest.json');
  const command = `npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`;
  writeFileSync(
    latest,
    `${JSON.stringify({ command, machine, quick, totalMs, benchmarks: reports.map((r) => ({ ...r, machine, quick })) }, null, 2)}\n`,
  );
  written.push(latest);
  return written;
}

/** The stored full-size results of a benchmark, if any. */
export function readStoredResults(name: BenchmarkName): ResultsFile | undefined {
  const file = join(RESULTS_DIR, `${name}.json`);
  if (!existsSync(file)) return undefined;
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<ResultsFile>;
    return Array.isArray(stored.rows) && stored.machine && !stored.quick ? (stored as ResultsFile) : undefined;
  } catch {
    return undefined;
  }
}

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** Every report as one Markdown table (readable as plain text too), with the notes and commands below. */
export function formatReport(
  reports: readonly (BenchReport & { machine?: MachineInfo })[],
  machine: MachineInfo,
): string {
  const lines = [
    `Machine: ${formatMachine(machine)}`,
    '',
    '| benchmark | case | result | how measured |',
    '| --- | --- | --- | --- |',
  ];
  for (const report of reports) {
    for (const row of report.rows)
      lines.push(`| ${report.name} | ${cell(row.case)} | ${cell(row.result)} | ${cell(row.measured)} |`);
  }
  lines.push('');
  for (const report of reports) {
    const other =
      report.machine && report.machine.date !== machine.date
        ? ` (measured ${report.machine.date.slice(0, 10)}, commit ${report.machine.commit})`
        : '';
    lines.push(`- **${report.name}**${other}: \`${report.command}\` (took ${(report.elapsedMs / 1000).toFixed(0)} s)`);
    for (const note of report.notes) lines.push(`  - ${note}`);
  }
  return lines.join('\n');
}

const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

/** Replaces the text between the bench markers of `page` (docs/tuning.md) with `block`. */
export function replaceBenchBlock(page: string, block: string): string {
  const start = page.indexOf(START);
  const end = page.indexOf(END);
  if (start < 0 || end < start) throw new Error(`the page has no ${START} … ${END} block`);
  return `${page.slice(0, start + START.length)}\n${block.trim()}\n${page.slice(end)}`;
}
