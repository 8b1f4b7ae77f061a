import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GEN_DIR, buildConsumerBundle } from '../stacks/bundle/index.ts';
import { loadConfig } from '../shared/index.ts';

/**
 * Consumer cold start: builds the minified Lambda bundle (esbuild, ESM, node22, AWS SDK external),
 * prints its size, and the time a fresh `node` process takes to import it (median of 7, with spread).
 * The import time is measured inside the process, so Node's own start-up is reported separately.
 *
 * `npx tsx bench/coldstart.ts`
 */

/** The figures. */
export interface ColdStartResult {
  readonly bundleBytes: number;
  /** Import of `index.mjs` inside a fresh process, each run, in milliseconds. */
  readonly importMs: readonly number[];
  /** Whole `node` process (start, import, exit), each run, in milliseconds. */
  readonly processMs: readonly number[];
}

/** Builds the bundle and imports it `runs` times, each in a fresh process. */
export function measureColdStart(runs = 7): ColdStartResult {
  const outDir = join(GEN_DIR, 'bench-coldstart');
  const bundle = buildConsumerBundle({ config: loadConfig(), outDir, fresh: true });
  const url = pathToFileURL(join(outDir, 'index.mjs')).href;
  const script = `const t = performance.now(); const m = await import(${JSON.stringify(url)}); if (typeof m.handler !== 'function') process.exit(3); process.stdout.write(String(performance.now() - t));`;
  const importMs: number[] = [];
  const processMs: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      cwd: outDir,
    });
    processMs.push(performance.now() - started);
    importMs.push(Number(out));
  }
  return { bundleBytes: bundle.codeBytes, importMs, processMs };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The figures as text. */
export function formatColdStart(result: ColdStartResult): string {
  const spread = (values: readonly number[]) =>
    `${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)} ms`;
  return [
    `bundle index.mjs    ${(result.bundleBytes / 1024).toFixed(1)} KiB`,
    `import (median)     ${median(result.importMs).toFixed(1)} ms   (spread ${spread(result.importMs)}, ${result.importMs.length} runs)`,
    `process (median)    ${median(result.processMs).toFixed(1)} ms   (spread ${spread(result.processMs)})`,
  ].join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.stdout.write(`Consumer cold start (node ${process.version})\n${formatColdStart(measureColdStart())}\n`);
}
