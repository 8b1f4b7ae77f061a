import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg, release, totalmem, type } from 'node:os';
import { fileURLToPath } from 'node:url';

/** Where the figures were measured: printed above every table and stored in every results file. */
export interface MachineInfo {
  readonly cpuModel: string;
  /** Logical CPUs (`os.availableParallelism()`). */
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  /** `os.type()` and `os.release()`, e.g. `Linux 6.8.0`. */
  readonly os: string;
  /** 1-minute load average when the run started: other work on the machine slows every figure. */
  readonly loadAverage1m: number;
  /** ISO time the run started. */
  readonly date: string;
  /** `git rev-parse --short HEAD`, with `+dirty` when the work tree has uncommitted changes. */
  readonly commit: string;
}

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Describes this machine and checkout. */
export function machineInfo(now: Date = new Date()): MachineInfo {
  return {
    cpuModel: cpus()[0]?.model.trim() || 'unknown CPU',
    cores: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${type()} ${release()}`,
    loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
    date: now.toISOString(),
    commit: gitCommit(),
  };
}

/** One line: `Intel Xeon … · 2 cores · 23.4 GiB · Node v20.20.2 · Linux 6.8 · load 5.6 · 2026-…Z · abc1234`. */
export function formatMachine(m: MachineInfo): string {
  return [
    m.cpuModel,
    `${m.cores} cores`,
    `${m.memoryGiB} GiB`,
    `Node ${m.node}`,
    m.os,
    `load ${m.loadAverage1m.toFixed(1)} at start`,
    m.date.replace(/\.\d+Z$/, 'Z'),
    `commit ${m.commit}`,
  ].join(' · ');
}

function gitCommit(): string {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const head = git('rev-parse', '--short', 'HEAD');
    return git('status', '--porcelain', '--untracked-files=no').length > 0 ? `${head}+dirty` : head;
  } catch {
    return 'unknown';
  }
}
