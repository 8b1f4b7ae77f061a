import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One `.cpuprofile` (V8's format, as written by `node --cpu-prof`), only the fields read here. */
interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
    readonly hitCount?: number;
  }[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
}

/** Self time of one function in a profile. */
export interface ProfileEntry {
  /** `name (file:line)`, the file relative to the repository (or the package name for node_modules). */
  readonly where: string;
  readonly selfMs: number;
  /** Share of all samples, 0–1. */
  readonly share: number;
}

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The functions with the most self time in a `.cpuprofile`, heaviest first. */
export function topSelfTime(profilePath: string, limit = 15): ProfileEntry[] {
  const profile = JSON.parse(readFileSync(profilePath, 'utf8')) as CpuProfile;
  const totalHits = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0) || 1;
  const msPerHit = (profile.endTime - profile.startTime) / 1000 / totalHits;
  const byWhere = new Map<string, number>();
  for (const node of profile.nodes) {
    if (!node.hitCount) continue;
    const where = describe(node.callFrame);
    byWhere.set(where, (byWhere.get(where) ?? 0) + node.hitCount);
  }
  return [...byWhere]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([where, hits]) => ({ where, selfMs: hits * msPerHit, share: hits / totalHits }));
}

function describe(frame: { functionName: string; url: string; lineNumber: number }): string {
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) return name;
  const path = frame.url.startsWith('file://') ? fileURLToPath(frame.url) : frame.url;
  const modules = path.lastIndexOf('node_modules/');
  const file =
    modules >= 0
      ? path.slice(modules + 'node_modules/'.length)
      : path.startsWith(REPO_ROOT)
        ? relative(REPO_ROOT, path)
        : path;
  return `${name} (${file}:${frame.lineNumber + 1})`;
}

/** The entries as text lines: `  41.2 %   512 ms  name (file:line)`. */
export function formatProfile(entries: readonly ProfileEntry[]): string {
  return entries
    .map((e) => `${(e.share * 100).toFixed(1).padStart(6)} % ${e.selfMs.toFixed(0).padStart(6)} ms  ${e.where}`)
    .join('\n');
}
