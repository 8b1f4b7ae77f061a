import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * The package as a user gets it: `npm pack` of this repository (which runs `prepack`, the build),
 * installed into an empty folder with `npm ci --offline`. The folder's lockfile is derived from the
 * repository's (every non-dev package, at the version and integrity the repository locks), so the
 * install reads only npm's local cache and never the registry.
 */

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

/** What a child process printed, and how it ended. */
export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command; never throws for a non-zero exit. */
export async function runIn(
  cwd: string,
  file: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<RunResult> {
  try {
    const { stdout, stderr } = await run(file, [...args], {
      cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof failed.code === 'number' ? failed.code : -1,
      stdout: failed.stdout ?? '',
      stderr: failed.stderr ?? '',
    };
  }
}

/** Top-level entries of the repository that the pack does not need (and must not disturb). */
const NOT_STAGED = new Set([
  '.git',
  '.ci',
  'node_modules',
  'dist',
  '.cache',
  '.gen',
  'cdktf.out',
  'test',
  'bench',
  'docs',
]);

/**
 * `npm pack` into `dir`; returns the tarball's path. It packs a copy of the repository (with its
 * node_modules linked), so that `prepack`'s build of `dist/` runs as for a release without
 * replacing the `dist/` that other tests' `bin/guardduty-hub.mjs` runs meanwhile.
 */
export async function packInto(dir: string): Promise<string> {
  const staging = join(dir, 'repo');
  mkdirSync(staging);
  for (const entry of readdirSync(REPO_ROOT)) {
    if (!NOT_STAGED.has(entry)) cpSync(join(REPO_ROOT, entry), join(staging, entry), { recursive: true });
  }
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(staging, 'node_modules'));
  const packed = await runIn(staging, 'npm', ['pack', '--json', '--pack-destination', dir]);
  if (packed.code !== 0) throw new Error(`npm pack failed:\n${packed.stderr}`);
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { filename: string }[];
  return join(dir, info!.filename);
}

type LockEntry = Record<string, unknown> & { dev?: boolean; link?: boolean };

/** A lockfile for an app whose only dependency is the tarball. */
function appLockfile(tarball: string): object {
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const root = lock.packages['']!;
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  const own = Object.fromEntries(
    ['version', 'license', 'dependencies', 'peerDependencies', 'peerDependenciesMeta', 'bin', 'engines']
      .filter((key) => key in root)
      .map((key) => [key, root[key]]),
  );
  const packages: Record<string, unknown> = {
    '': { name: 'app', dependencies: { 'guardduty-hub': `file:${tarball}` } },
    'node_modules/guardduty-hub': { ...own, resolved: `file:${tarball}`, integrity },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path !== '' && !entry.dev && !entry.link) packages[path] = entry;
  }
  return { name: 'app', lockfileVersion: 3, requires: true, packages };
}

/** Installs the tarball into the empty folder `appDir` from npm's cache only. */
export async function installOffline(tarball: string, appDir: string): Promise<void> {
  writeFileSync(
    join(appDir, 'package.json'),
    JSON.stringify({
      name: 'app',
      private: true,
      type: 'module',
      dependencies: { 'guardduty-hub': `file:${tarball}` },
    }),
  );
  writeFileSync(join(appDir, 'package-lock.json'), JSON.stringify(appLockfile(tarball)));
  const installed = await runIn(appDir, 'npm', ['ci', '--offline', '--no-audit', '--no-fund']);
  if (installed.code !== 0) throw new Error(`npm ci --offline of the packed tarball failed:\n${installed.stderr}`);
}

/** Every file in the tarball's package folder after install, relative to it. */
export function installedFiles(appDir: string): string[] {
  const root = join(appDir, 'node_modules', 'guardduty-hub');
  return readdirSync(root, { recursive: true, encoding: 'utf8' }).sort();
}
