import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync, type BuildOptions } from 'esbuild';
import { ConfigError, type HubConfig } from '../../shared/index.ts';
import { StacksError } from '../errors.ts';

/**
 * Bundles the Lambda functions: `lambdas/bundle.ts` → `index.mjs` (ESM, Node 22, minified, AWS SDK v3
 * left to the Lambda runtime) beside `hub-config.json`, the validated config the handler reads. It lives
 * under `stacks/` because the hub stack needs the bundle; `main.ts` and `scripts/` import it from here.
 */

/** The repository root (this file lives in `stacks/bundle/`). */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The consumer's entry point. */
export const CONSUMER_ENTRY = join(REPO_ROOT, 'lambdas', 'bundle.ts');

/** Where generated, gitignored build output goes. */
export const GEN_DIR = join(REPO_ROOT, '.gen');

/** File names inside a bundle folder (the Lambda handler is `index.handler`). */
export const BUNDLE_FILES = { code: 'index.mjs', config: 'hub-config.json' } as const;

/** esbuild could not bundle the consumer. */
export class ConsumerBundleError extends StacksError {
  override readonly name = 'ConsumerBundleError';
  /** The entry point that failed. */
  readonly entryPoint: string;

  constructor(entryPoint: string, options?: { cause?: unknown }) {
    const reason = options?.cause instanceof Error ? options.cause.message : String(options?.cause);
    super(`cannot bundle the consumer from ${entryPoint}: ${reason}`, options);
    this.entryPoint = entryPoint;
  }
}

/**
 * How the synth entry points (`main.ts`, `npm run synth`, `npm run build:consumer`) end on an error:
 * a config or bundling error prints its message (which lists every problem); a config error gives
 * exit code 2, as every CLI command does for one, a bundling error 1. Anything else is a bug and is
 * rethrown.
 */
export function reportSynthError(error: unknown, stderr: { write(text: string): unknown }): 1 | 2 {
  if (!(error instanceof ConfigError || error instanceof ConsumerBundleError)) throw error;
  stderr.write(`${error.message}\n`);
  return error instanceof ConfigError ? 2 : 1;
}

/** Options of {@link buildConsumerBundle}. */
export interface BuildConsumerOptions {
  /** The validated config, written beside the code as `hub-config.json`. */
  readonly config: HubConfig;
  /** Folder to write `index.mjs` and `hub-config.json` to; created when missing. */
  readonly outDir: string;
  /** Entry point; `lambdas/bundle.ts` by default. */
  readonly entryPoint?: string;
  /** Rebuild even when this process bundled the entry point before. Default false. */
  readonly fresh?: boolean;
}

/** What {@link buildConsumerBundle} wrote. */
export interface ConsumerBundle {
  /** The folder holding the bundle. */
  readonly outDir: string;
  /** Size of `index.mjs` in bytes. */
  readonly codeBytes: number;
  /** Size of `hub-config.json` in bytes. */
  readonly configBytes: number;
}

/**
 * Loads CommonJS dependencies from the ESM bundle: esbuild's `require` shim needs a real `require`.
 * The alias keeps the banner's import from colliding with names in the bundle.
 */
const REQUIRE_BANNER =
  "import { createRequire as __gdhCreateRequire } from 'node:module'; const require = __gdhCreateRequire(import.meta.url);";

/** esbuild settings for the Lambda (`nodejs22.x`, which ships AWS SDK v3). */
export function consumerBuildOptions(entryPoint: string = CONSUMER_ENTRY): BuildOptions {
  return {
    entryPoints: [entryPoint],
    outfile: BUNDLE_FILES.code,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minify: true,
    external: ['@aws-sdk/*'],
    banner: { js: REQUIRE_BANNER },
    legalComments: 'none',
    logLevel: 'silent',
    write: false,
  };
}

/** Bundled code by entry point: esbuild runs once per process and entry point unless asked to rebuild. */
const bundled = new Map<string, Uint8Array>();

function bundleCode(entryPoint: string, fresh: boolean): Uint8Array {
  const cached = bundled.get(entryPoint);
  if (cached !== undefined && !fresh) return cached;
  let code: Uint8Array | undefined;
  try {
    code = buildSync(consumerBuildOptions(entryPoint)).outputFiles?.[0]?.contents;
  } catch (cause) {
    throw new ConsumerBundleError(entryPoint, { cause });
  }
  if (code === undefined) throw new ConsumerBundleError(entryPoint, { cause: 'esbuild produced no output' });
  bundled.set(entryPoint, code);
  return code;
}

/** Writes `index.mjs` and `hub-config.json` into `outDir`. Returns their sizes. */
export function buildConsumerBundle(options: BuildConsumerOptions): ConsumerBundle {
  const code = bundleCode(options.entryPoint ?? CONSUMER_ENTRY, options.fresh ?? false);
  const configJson = JSON.stringify(options.config);
  mkdirSync(options.outDir, { recursive: true });
  writeIfChanged(join(options.outDir, BUNDLE_FILES.code), code);
  writeIfChanged(join(options.outDir, BUNDLE_FILES.config), configJson);
  return { outDir: options.outDir, codeBytes: code.byteLength, configBytes: Buffer.byteLength(configJson) };
}

/** A short, stable digest of a config, to give each config its own bundle folder. */
export function configDigest(config: HubConfig): string {
  return createHash('sha256').update(JSON.stringify(config)).digest('hex').slice(0, 16);
}

/** The bundle folder for a config under `.gen/`: one per config, so that parallel synths never share one. */
export function consumerBundleDir(config: HubConfig, genDir: string = GEN_DIR): string {
  return join(genDir, 'consumer-bundles', configDigest(config));
}

/**
 * Writes a file only when its content differs, through a temporary file and a rename, so that a
 * concurrent reader (another synth) never sees half a file and unchanged bundles keep their hash.
 */
function writeIfChanged(path: string, content: Uint8Array | string): void {
  const bytes =
    typeof content === 'string'
      ? Buffer.from(content)
      : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  try {
    if (readFileSync(path).equals(bytes)) return;
  } catch {
    // missing: write it
  }
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temporary, bytes);
  renameSync(temporary, path);
}
