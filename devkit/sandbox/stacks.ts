import { mkdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { HubConfig } from '../../shared/index.ts';
// The sandbox runs the cdktf app itself: this module is the one place in cli/ that imports it (the
// layers test names it), and it is loaded only with the sandbox command.
import { synthesize } from '../../scripts/synth.ts';
import { REPO_ROOT } from '../../stacks/bundle/index.ts';
import type { BuildAppOptions } from '../../stacks/index.ts';

export { REPO_ROOT };
import { TerraformError } from './errors.ts';
import { terraformOrThrow, type TerraformRunner, type TerraformTarget } from './terraform.ts';

/**
 * Every synthesized stack applied, planned and destroyed with Terraform, in the order users deploy
 * them: `org` first (organization mode), then `hub` and the region stacks side by side (they name
 * each other by ARN, never by Terraform reference), and the reverse to destroy. Which account a
 * stack runs in is read from its provider's `allowed_account_ids`, so nothing here knows the stacks.
 */

/** A stack synthesized into `<workDir>/cdktf.out/stacks/<name>`. */
export interface DeployableStack {
  readonly name: string;
  /** The stack folder (where `cdktf deploy` runs terraform). */
  readonly dir: string;
  /** The account its providers may act in. */
  readonly account: string;
  /** Resources in the synthesized JSON. */
  readonly resources: number;
}

/** Stacks that must be applied before the others (and destroyed after them). */
const FIRST = ['org'] as const;

/**
 * Synthesizes the app into `<workDir>/cdktf.out` with `workDir` as the working directory, so each
 * stack's local state is `<workDir>/terraform.<stack>.tfstate` (cdktf's LocalBackend default).
 */
export function synthesizeInto(
  workDir: string,
  config: HubConfig,
  options: Omit<BuildAppOptions, 'outdir'> = {},
): DeployableStack[] {
  const previous = process.cwd();
  process.chdir(workDir);
  try {
    return synthesize({ config, ...options, outdir: join(workDir, 'cdktf.out') }).map(({ file, summary }) => ({
      name: summary.stack,
      dir: dirname(file),
      account: providerAccount(file),
      resources: summary.total,
    }));
  } finally {
    process.chdir(previous);
  }
}

function providerAccount(file: string): string {
  const json = JSON.parse(readFileSync(file, 'utf8')) as { provider?: { aws?: { allowed_account_ids?: string[] }[] } };
  const account = json.provider?.aws?.[0]?.allowed_account_ids?.[0];
  if (account === undefined) throw new Error(`${file} has no aws provider with allowed_account_ids`);
  return account;
}

/** The credentials to run a stack with, by the account it acts in. */
export type TargetFor = (account: string) => TerraformTarget | Promise<TerraformTarget>;

/** Stacks in waves: those in {@link FIRST}, then all others at once. */
export function waves(stacks: readonly DeployableStack[]): DeployableStack[][] {
  const first = stacks.filter((s) => (FIRST as readonly string[]).includes(s.name));
  const rest = stacks.filter((s) => !first.includes(s));
  return [first, rest].filter((wave) => wave.length > 0);
}

async function eachWave(ordered: DeployableStack[][], run: (stack: DeployableStack) => Promise<void>): Promise<void> {
  for (const wave of ordered) {
    const results = await Promise.allSettled(wave.map(run));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }
}

/**
 * `terraform init` one at a time, in this process and across processes (a lock folder beside the
 * CLI config): Terraform's plugin cache is not safe for concurrent inits (parallel ones fail with
 * "failed to create directory"); each takes ~1 s.
 */
let initQueue: Promise<unknown> = Promise.resolve();

function initStack(runner: TerraformRunner, target: TerraformTarget, stack: DeployableStack): Promise<unknown> {
  const next = initQueue.then(() =>
    withInitLock(runner, () => terraformOrThrow(runner, target, stack.name, stack.dir, ['init', '-input=false'])),
  );
  initQueue = next.catch(() => undefined);
  return next;
}

/** A lock older than this is taken to be left by a crashed process. */
const STALE_LOCK_MS = 120_000;

/** Runs `work` holding `<cache>/init.lock` (mkdir is atomic). */
export async function withInitLock<T>(runner: TerraformRunner, work: () => Promise<T>): Promise<T> {
  const lock = join(dirname(runner.cliConfigFile), 'init.lock');
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  // The first init copies the ~700 MB provider into the cache, which can outlast STALE_LOCK_MS on a
  // loaded machine: keep the lock fresh while holding it, so a waiter never takes it as abandoned.
  const heartbeat = setInterval(() => {
    const now = new Date();
    try {
      utimesSync(lock, now, now);
    } catch {
      // removed under us: nothing to refresh
    }
  }, 5_000);
  try {
    return await work();
  } finally {
    clearInterval(heartbeat);
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Terraform's words for a provider that init should have linked into `.terraform/providers`. */
const PROVIDER_MISSING =
  /Required plugins are not installed|could not read package directory|no package for .* cached in/;

/** `terraform init` and `apply` of every stack, wave by wave. */
export async function applyStacks(
  stacks: readonly DeployableStack[],
  runner: TerraformRunner,
  targetFor: TargetFor,
): Promise<void> {
  await eachWave(waves(stacks), async (stack) => {
    const target = await targetFor(stack.account);
    await initStack(runner, target, stack);
    const apply = ['apply', '-auto-approve', '-input=false', `-parallelism=${runner.parallelism}`];
    try {
      await terraformOrThrow(runner, target, stack.name, stack.dir, apply);
    } catch (error) {
      // A provider link into the shared plugin cache can be missing after a first, concurrent fill of
      // the cache (seen on fresh machines): init again, which changes nothing else, and apply once more.
      if (!(error instanceof TerraformError && PROVIDER_MISSING.test(error.message))) throw error;
      await initStack(runner, target, stack);
      await terraformOrThrow(runner, target, stack.name, stack.dir, apply);
    }
  });
}

/** The stacks whose `terraform plan -detailed-exitcode` shows changes, with the plan's text. */
export async function plannedChanges(
  stacks: readonly DeployableStack[],
  runner: TerraformRunner,
  targetFor: TargetFor,
): Promise<Record<string, string>> {
  const changes: Record<string, string> = {};
  await eachWave([[...stacks]], async (stack) => {
    const args = ['plan', '-detailed-exitcode', '-input=false', '-lock=false', `-parallelism=${runner.parallelism}`];
    const result = await terraformOrThrow(runner, await targetFor(stack.account), stack.name, stack.dir, args, [0, 2]);
    if (result.code === 2) changes[stack.name] = result.output;
  });
  return changes;
}

/** `terraform destroy` of every stack, in the reverse waves. */
export async function destroyStacks(
  stacks: readonly DeployableStack[],
  runner: TerraformRunner,
  targetFor: TargetFor,
): Promise<void> {
  await eachWave(waves(stacks).reverse(), async (stack) => {
    const args = ['destroy', '-auto-approve', '-input=false', `-parallelism=${runner.parallelism}`];
    await terraformOrThrow(runner, await targetFor(stack.account), stack.name, stack.dir, args);
  });
}

/** A stack's outputs (`terraform output -json`), values only. */
export async function stackOutputs(
  stack: DeployableStack,
  runner: TerraformRunner,
  target: TerraformTarget,
): Promise<Record<string, string>> {
  const { output } = await terraformOrThrow(runner, target, stack.name, stack.dir, ['output', '-json']);
  const parsed = JSON.parse(output) as Record<string, { value: unknown }>;
  return Object.fromEntries(Object.entries(parsed).map(([key, { value }]) => [key, String(value)]));
}

/** The resources in a stack's state (`terraform state list`). */
export async function stateAddresses(
  stack: DeployableStack,
  runner: TerraformRunner,
  target: TerraformTarget,
): Promise<string[]> {
  const { output } = await terraformOrThrow(runner, target, stack.name, stack.dir, ['state', 'list']);
  return output.split('\n').filter((line) => line.trim() !== '');
}
