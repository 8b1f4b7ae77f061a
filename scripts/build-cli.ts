import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { BUNDLE_FILES, REPO_ROOT, consumerBuildOptions } from '../stacks/bundle/index.ts';
import { isEntryPoint } from './entry.ts';
import { namedDynamicImports } from './named-dynamic-imports.ts';

/**
 * `npm run build`: the package's JavaScript under `dist/`, so nothing compiles TypeScript at run time.
 *
 * - `dist/cli/main.mjs`: the `guardduty-hub` command (bin/guardduty-hub.mjs runs it), split into one
 *   chunk per command, npm packages bundled in; `dist/cli/inputs.json` lists its source files, so that the bin in a clone can
 *   tell a stale build from a current one.
 * - `dist/stacks/index.mjs`: the `guardduty-hub/stacks` entry (stacks/package.ts).
 * - `dist/consumer/index.mjs`: the consumer Lambda code, prebuilt, which the stacks entry copies
 *   beside each config (the code does not depend on the config).
 * - `dist/types/`: declarations of the stacks entry (tsc), with `--types` only (it takes ~10 s).
 *
 * Each bundle sits two folders below the package root, as its source does, so that paths resolved
 * from `import.meta.url` (`config/example.yml`) find the same files.
 */

/** The build output folder. */
export const DIST_DIR = join(REPO_ROOT, 'dist');

/** What the build writes, relative to {@link DIST_DIR}. */
export const DIST_FILES = {
  cli: 'cli/main.mjs',
  cliInputs: 'cli/inputs.json',
  stacks: 'stacks/index.mjs',
  consumer: `consumer/${BUNDLE_FILES.code}`,
  types: 'types/stacks/package.d.ts',
} as const;

/** A `require` for the CommonJS packages bundled into ESM (esbuild's shim needs a real one). */
const REQUIRE_BANNER =
  "import { createRequire as __gdhCreateRequire } from 'node:module'; const require = __gdhCreateRequire(import.meta.url);";

/** The build failed; the message says which part. */
export class BuildError extends Error {
  override readonly name = 'BuildError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** esbuild settings shared by the CLI and the stacks entry: ESM for Node 20, npm packages external. */
function libraryOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [join(REPO_ROOT, entry)],
    outfile,
    chunkNames: '[name]-[hash]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    legalComments: 'none',
    logLevel: 'silent',
    metafile: true,
  };
}

/** What {@link buildCli} built. */
export interface CliBuild {
  /** The project's source files the bundle holds. */
  readonly inputs: string[];
  /** esbuild's account of every output chunk, its inputs and its imports. */
  readonly metafile: Metafile;
}

/** Bundles the CLI and records its inputs. */
export async function buildCli(distDir: string = DIST_DIR): Promise<CliBuild> {
  // Split, so that each command's dynamic import loads only its own chunk (see COMMANDS in cli/main.ts).
  // npm packages are bundled too: resolving and loading ~1,000 package files (the AWS SDK, zod,
  // Powertools) took more CPU than a replay of 1,000 findings (`bench/cli.ts --profile`).
  const {
    outfile: _outfile,
    packages: _external,
    ...options
  } = libraryOptions('cli/main.ts', join(distDir, DIST_FILES.cli));
  const result = await build({
    ...options,
    outdir: join(distDir, 'cli'),
    entryNames: '[name]',
    outExtension: { '.js': '.mjs' },
    splitting: true,
    banner: { js: REQUIRE_BANNER },
    // esbuild and the cdktf app stay packages: esbuild finds its binary through its own __filename
    // (the sandbox bundles the consumer with it), and cdktf loads providers from its package folder.
    external: ['esbuild', 'cdktf', 'constructs', '@cdktf/*'],
    // Split chunks give a dynamically imported CommonJS package only `default`; keep its names.
    plugins: [namedDynamicImports()],
  });
  const { metafile } = result;
  if (metafile === undefined) throw new BuildError('esbuild wrote no metafile for the CLI');
  const inputs = sourceInputs(metafile);
  writeFileSync(join(distDir, DIST_FILES.cliInputs), `${JSON.stringify(inputs, null, 1)}\n`);
  return { inputs, metafile };
}

/** The project's own files among a bundle's inputs, relative to the repository root. */
function sourceInputs(metafile: Metafile): string[] {
  return Object.keys(metafile.inputs)
    .filter((path) => !path.includes('node_modules/'))
    .map((path) => relative(REPO_ROOT, join(process.cwd(), path)))
    .sort();
}

/** Bundles the stacks entry and the prebuilt consumer. */
async function buildStacksAndConsumer(distDir: string): Promise<void> {
  await build(libraryOptions('stacks/package.ts', join(distDir, DIST_FILES.stacks)));
  await build({ ...consumerBuildOptions(), write: true, outfile: join(distDir, DIST_FILES.consumer) });
}

/** Declarations of the stacks entry, through tsc (tsconfig.types.json). */
function buildTypes(): void {
  const typesDir = join(DIST_DIR, 'types');
  const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(REPO_ROOT, 'tsconfig.types.json')], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (result.status !== 0)
    throw new BuildError(`tsc could not write the declarations:\n${result.stdout}${result.stderr}`);
  for (const file of readdirSync(typesDir, { recursive: true, encoding: 'utf8' })) {
    if (file.endsWith('.d.ts')) rewriteSpecifiers(join(typesDir, file));
  }
}

/**
 * tsc keeps the sources' `.ts` import specifiers in declarations; a project without
 * `allowImportingTsExtensions` resolves `.js` ones to the `.d.ts` beside them.
 */
function rewriteSpecifiers(path: string): void {
  const text = readFileSync(path, 'utf8');
  const rewritten = text
    .replace(/(from '\.{1,2}\/[^']*)\.ts'/g, "$1.js'")
    .replace(/(import\('\.{1,2}\/[^']*)\.ts'\)/g, "$1.js')");
  if (rewritten !== text) writeFileSync(path, rewritten);
}

/** Options of {@link buildPackage}. */
export interface BuildPackageOptions {
  /** Only the CLI (what the bin and its tests need). Default false. */
  readonly cliOnly?: boolean;
  /** Also write the declarations (slow). Default false. */
  readonly types?: boolean;
}

/** Builds `dist/` afresh; returns what it wrote, relative to the repository root. */
export async function buildPackage(options: BuildPackageOptions = {}): Promise<string[]> {
  const written: string[] = [DIST_FILES.cli];
  rmSync(options.cliOnly ? join(DIST_DIR, 'cli') : DIST_DIR, { recursive: true, force: true });
  mkdirSync(join(DIST_DIR, 'cli'), { recursive: true });
  try {
    await buildCli();
    if (!options.cliOnly) {
      await buildStacksAndConsumer(DIST_DIR);
      written.push(DIST_FILES.stacks, DIST_FILES.consumer);
    }
  } catch (cause) {
    throw new BuildError(`esbuild failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  if (options.types) {
    buildTypes();
    written.push(DIST_FILES.types);
  }
  return written.map((file) => relative(REPO_ROOT, join(DIST_DIR, file)));
}

async function runAsScript(argv: readonly string[]): Promise<number> {
  const started = performance.now();
  try {
    const written = await buildPackage({ cliOnly: argv.includes('--cli'), types: argv.includes('--types') });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(`built ${written.join(', ')} in ${seconds} s\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof BuildError)) throw error;
    process.stderr.write(`guardduty-hub build: ${error.message}\n`);
    return 1;
  }
}

if (isEntryPoint(import.meta.url)) {
  process.exitCode = await runAsScript(process.argv.slice(2));
}
