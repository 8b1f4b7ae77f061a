import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './stacks.ts';
import { accountCredentials, type AccountCredentials } from './localaws.ts';
import {
  AWS_PROVIDER,
  findProviderMirror,
  findTerraform,
  terraformOrThrow,
  writeCliConfig,
  type TerraformRunner,
} from './terraform.ts';
import { withInitLock, type TargetFor } from './stacks.ts';

/** Shared by `sandbox` and the deploy tests: a Terraform runner and per-account local credentials. */

/** The project's Terraform cache (CLI config and plugin cache): `.cache/terraform`. */
export const TERRAFORM_CACHE_DIR = join(REPO_ROOT, '.cache', 'terraform');

/** Options of {@link terraformRunner}. */
export interface TerraformRunnerOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Default {@link TERRAFORM_CACHE_DIR}. */
  readonly cacheDir?: string;
  /** Parallelism per terraform command; default 20 (the local AWS answers at once; the provider waits). */
  readonly parallelism?: number;
  readonly onLine?: TerraformRunner['onLine'];
}

/** Finds terraform and the provider mirror, writes the CLI config; throws MissingToolError naming what is missing. */
export function terraformRunner(options: TerraformRunnerOptions = {}): TerraformRunner {
  const env = options.env ?? process.env;
  const binary = findTerraform(env);
  const cliConfigFile = writeCliConfig(options.cacheDir ?? TERRAFORM_CACHE_DIR, findProviderMirror(env));
  return {
    binary,
    cliConfigFile,
    parallelism: options.parallelism ?? 20,
    ...(options.onLine ? { onLine: options.onLine } : {}),
  };
}

/**
 * Fills the plugin cache with the AWS provider by one `terraform init` of an empty configuration.
 * Terraform's plugin cache is not safe for concurrent first installs; once it holds the provider,
 * parallel inits only link it. Call before initializing stacks in parallel (idempotent, ~1 s).
 */
export async function warmPluginCache(runner: TerraformRunner, cacheDir: string = TERRAFORM_CACHE_DIR): Promise<void> {
  const dir = join(cacheDir, 'warm');
  mkdirSync(dir, { recursive: true });
  const required = {
    terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: AWS_PROVIDER.version } } },
  };
  writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(required, null, 2));
  const none = { endpoint: 'http://127.0.0.1:9', region: 'us-east-1', accessKeyId: 'none', secretAccessKey: 'none' };
  await withInitLock(runner, () =>
    terraformOrThrow(runner, none, 'plugin-cache', dir, ['init', '-input=false', '-backend=false']),
  );
}

/** Credentials for each account on the local AWS at `endpoint`, created once per account. */
export function localTargets(
  endpoint: string,
  region: string,
): TargetFor & { readonly credentials: Map<string, Promise<AccountCredentials>> } {
  const credentials = new Map<string, Promise<AccountCredentials>>();
  const targetFor = async (account: string) => {
    const pending = credentials.get(account) ?? accountCredentials(endpoint, account);
    credentials.set(account, pending);
    const { accessKeyId, secretAccessKey } = await pending;
    return { endpoint, region, accessKeyId, secretAccessKey };
  };
  return Object.assign(targetFor, { credentials });
}
