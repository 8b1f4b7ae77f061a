import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import type { HubConfig } from '../../shared/index.ts';
import { buildApp, type BuildAppOptions } from '../../stacks/index.ts';

/** A synthesized resource body (Terraform JSON, snake_case keys). */
export type ResourceBody = Record<string, unknown>;

/** One stack's Terraform JSON. */
export interface StackJson {
  readonly resource?: Record<string, Record<string, ResourceBody>>;
  readonly provider?: Record<string, ResourceBody[]>;
  readonly terraform?: { readonly backend?: Record<string, ResourceBody> } & Record<string, unknown>;
  readonly output?: Record<string, { readonly value: unknown }>;
}

/** Every stack of an app, synthesized in memory. */
export interface SynthesizedApp {
  /** Stack names in creation order. */
  readonly names: readonly string[];
  /** One stack's JSON; throws for an unknown name. */
  stack(name: string): StackJson;
  /** The resources of one type in one stack, as `[logicalId, body]` pairs. */
  resources(stack: string, type: string): [string, ResourceBody][];
  /** The only resource of one type in a stack; throws unless there is exactly one. */
  only(stack: string, type: string): ResourceBody;
  /** Every stack's JSON as text, for scanning. */
  readonly text: string;
}

/**
 * A stand-in consumer bundle for tests about infrastructure: the stacks only need a folder to
 * archive. Tests of the real bundle use `buildConsumerBundle` (see test/synth/app.test.ts).
 */
export function stubConsumerBundle(): string {
  const dir = join(tmpdir(), 'guardduty-hub-tests', 'consumer-stub');
  const file = join(dir, 'index.mjs');
  const code = 'export const handler = async () => ({ batchItemFailures: [] });\n';
  // Test files run in parallel workers: write only when missing, so nobody reads a half-written file.
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${file}.${process.pid}.tmp`, code);
    renameSync(`${file}.${process.pid}.tmp`, file);
  }
  return dir;
}

/**
 * Builds the app for `config` and synthesizes each stack in memory (`Testing.synth`: no files
 * written, no assets archived). The consumer bundle is the stub unless `options.bundleConsumer` says otherwise.
 */
export function synthApp(config: HubConfig, options: BuildAppOptions = {}): SynthesizedApp {
  // Stacks are pure functions of the config: synthesize each config once per test file.
  const key = Object.keys(options).length === 0 ? JSON.stringify(config) : undefined;
  const cached = key === undefined ? undefined : synthesized.get(key);
  if (cached !== undefined) return cached;
  const app = synthUncached(config, options);
  if (key !== undefined) synthesized.set(key, app);
  return app;
}

const synthesized = new Map<string, SynthesizedApp>();

function synthUncached(config: HubConfig, options: BuildAppOptions): SynthesizedApp {
  const outdir = join(tmpdir(), 'guardduty-hub-tests', 'cdktf.out');
  mkdirSync(outdir, { recursive: true });
  const stub = options.bundleConsumer === undefined ? stubConsumerBundle() : undefined;
  const { stacks } = buildApp(config, { bundleConsumer: () => stub as string, ...options, outdir });
  const json = new Map([...stacks].map(([name, stack]) => [name, JSON.parse(Testing.synth(stack)) as StackJson]));

  const stack = (name: string): StackJson => {
    const found = json.get(name);
    if (found === undefined) throw new Error(`no stack ${name} (stacks: ${[...json.keys()].join(', ')})`);
    return found;
  };
  const resources = (name: string, type: string): [string, ResourceBody][] =>
    Object.entries(stack(name).resource?.[type] ?? {});
  return {
    names: [...json.keys()],
    stack,
    resources,
    only(name, type) {
      const found = resources(name, type);
      if (found.length !== 1) throw new Error(`expected one ${type} in ${name}, found ${found.length}`);
      return found[0]![1];
    },
    text: [...json.values()].map((value) => JSON.stringify(value)).join('\n'),
  };
}

/**
 * The Terraform reference (`${aws_sqs_queue.Queues_Queue_E3D8A25A.arn}`) to a resource of `type` in
 * `stack`: the only one, or the one whose `name` (or `function_name`, …) is `named`.
 */
export function reference(app: SynthesizedApp, stack: string, type: string, attribute: string, named?: string): string {
  const found = app
    .resources(stack, type)
    .filter(
      ([, body]) =>
        named === undefined || Object.entries(body).some(([key, value]) => /(^|_)name$/.test(key) && value === named),
    );
  if (found.length !== 1)
    throw new Error(`expected one ${type}${named ? ` named ${named}` : ''} in ${stack}, found ${found.length}`);
  return `\${${type}.${found[0]![0]}.${attribute}}`;
}
