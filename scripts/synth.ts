import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { configPathFromEnv, loadConfig, type HubConfig } from '../shared/index.ts';
import {
  buildApp,
  formatSummary,
  formatCanary,
  formatSuppressPlacement,
  summarizeStack,
  type BuildAppOptions,
  type StackSummary,
} from '../stacks/index.ts';
import { REPO_ROOT, reportSynthError } from '../stacks/bundle/index.ts';
import { isEntryPoint } from './entry.ts';

/**
 * `npm run synth`: synthesizes every stack to Terraform JSON with the cdktf App directly, so it needs
 * neither the terraform binary nor the network, then says where each stack went and what it holds.
 */

/** Where cdktf.json expects the output. */
export const DEFAULT_OUTDIR = join(REPO_ROOT, 'cdktf.out');

/** One synthesized stack. */
export interface SynthesizedStack {
  /** Path of its `cdk.tf.json`. */
  readonly file: string;
  readonly summary: StackSummary;
}

/** Options of {@link synthesize}. */
export interface SynthesizeOptions extends Omit<BuildAppOptions, 'outdir'> {
  /** The validated config. */
  readonly config: HubConfig;
  /** Output folder; `cdktf.out` at the repository root by default. */
  readonly outdir?: string;
}

/** Builds and synthesizes the app; returns each stack's file and resource counts. */
export function synthesize(options: SynthesizeOptions): SynthesizedStack[] {
  const outdir = options.outdir ?? DEFAULT_OUTDIR;
  const { app, stacks } = buildApp(options.config, { ...options, outdir });
  app.synth();
  return [...stacks.keys()].map((name) => {
    const file = join(outdir, 'stacks', name, 'cdk.tf.json');
    return { file, summary: summarizeStack(name, JSON.parse(readFileSync(file, 'utf8'))) };
  });
}

/** I/O of {@link main}. */
export interface MainOptions {
  /** Environment (`HUB_CONFIG`). Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Output folder. Default {@link DEFAULT_OUTDIR}. */
  readonly outdir?: string;
  readonly stdout?: NodeJS.WritableStream;
  readonly stderr?: NodeJS.WritableStream;
}

/** Runs the script: exit code 0, 2 on a config error, 1 on a bundling error (message on stderr). */
export function main(options: MainOptions = {}): number {
  const out = options.stdout ?? process.stdout;
  const err = options.stderr ?? process.stderr;
  try {
    const configPath = configPathFromEnv(options.env);
    const config = loadConfig(configPath);
    const started = performance.now();
    const stacks = synthesize({ config, ...(options.outdir === undefined ? {} : { outdir: options.outdir }) });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const from = relative(process.cwd(), configPath) || configPath;
    out.write(`Synthesized ${stacks.length} stacks from ${from} in ${seconds} s (no terraform, no network):\n`);
    for (const stack of stacks) out.write(`  ${relative(process.cwd(), stack.file)}\n`);
    out.write('\n');
    for (const stack of stacks) out.write(`${formatSummary(stack.summary)}\n`);
    out.write(`\n${formatSuppressPlacement(config).join('\n')}\n`);
    out.write(`${formatCanary(config)}\n`);
    return 0;
  } catch (error) {
    return reportSynthError(error, err);
  }
}

if (isEntryPoint(import.meta.url)) {
  process.exitCode = main();
}
