import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildPackage } from '../scripts/build-cli.ts';
import { formatProfile, topSelfTime } from './profile.ts';
import { formatMarginal, measureReplayFixedCpu, measureReplayMarginal, sampleReplayCpu } from './replay-cpu.ts';
import { measured, type Measured } from './stats.ts';

/**
 * The operator CLI as users run it, built (`npm run build:cli`):
 *
 * - start-up: wall time of a fresh `node bin/guardduty-hub.mjs --help` against a bare `node -e 0`;
 * - replay CPU: the marginal CPU of `replay --json` per 1,000 findings against its floor (parsing
 *   the same events once and posting the same messages with bare `node:http`), side by side, with
 *   their ratio (see `replay-cpu.ts`).
 *
 * `npx tsx bench/cli.ts [warm] [small] [large] [groups]` (default 2000 10000 30000 3; `--quick`: 1000 2000 5000 1);
 * `npx tsx bench/cli.ts --profile [findings]` prints where the replay child spends its CPU
 * (`node --cpu-prof`), and `--jit [findings]` the replay CPU with TurboFan off beside the default:
 * the share a short run spends compiling its hot path and never earns back.
 */

const THIS_FILE = fileURLToPath(import.meta.url);
const REPO_ROOT = resolve(THIS_FILE, '..', '..');
const BIN = join(REPO_ROOT, 'bin', 'guardduty-hub.mjs');

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
    process.stdout.write(
      `replay ${findings}: ${median(runs.default)} ms CPU; with TurboFan off (node --no-opt) ${median(runs['--no-opt'])} ms (medians of 3)\n`,
    );
  } else if (argv[0] === '--profile') {
    await buildForBench();
    const dir = mkdtempSync(join(tmpdir(), 'guardduty-hub-replay-prof-'));
    const sample = await sampleReplayCpu(Number(argv[1] ?? 5000), ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
    const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'))!;
    process.stdout.write(
      `replay ${sample.findings}: ${sample.replayCpuMs.toFixed(0)} ms CPU\n${formatProfile(topSelfTime(join(dir, file), 30))}\nprofile: ${join(dir, file)}\n`,
    );
  } else {
    await buildForBench();
    const startup = measureStartup();
    process.stdout.write(
      `start-up: guardduty-hub --help ${startup.helpMs.median.toFixed(0)} ms, node -e 0 ${startup.bareNodeMs.median.toFixed(0)} ms (${(startup.helpMs.median / startup.bareNodeMs.median).toFixed(1)}×)\n`,
    );
    const quick = argv[0] === '--quick';
    const [
      warm = quick ? 1000 : 2000,
      small = quick ? 2000 : 10_000,
      large = quick ? 5000 : 30_000,
      pairs = quick ? 1 : 3,
    ] = quick ? [] : argv.map(Number);
    const replay = await measureReplayMarginal({
      sizes: [warm, small, large],
      pairs,
      onSample: (s) =>
        process.stdout.write(
          `  replay ${s.findings}: ${s.replayCpuMs.toFixed(0)} ms CPU, ${s.slackMessages} posts; floor: posts ${s.floor?.postCpuMs.toFixed(0)} ms, JSON.parse ${s.floor?.parseCpuMs.toFixed(1)} ms\n`,
        ),
    });
    const fixed = await measureReplayFixedCpu(quick ? 1 : 3);
    process.stdout.write(`${formatMarginal(replay)}\na replay of 1 finding: ${fixed.median.toFixed(0)} ms\n`);
  }
}
