import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { MissingToolError, TerraformError } from './errors.ts';

/**
 * Terraform as `cdktf deploy` runs it: `terraform init`, `apply`, `plan`, `destroy` in
 * `cdktf.out/stacks/<name>`, offline from a filesystem mirror of the AWS provider, with one shared
 * plugin cache so each init only links the provider.
 */

/** The AWS provider the stacks pin (`@cdktf/provider-aws` 20.1.0 is its cdktf binding). */
export const AWS_PROVIDER = { source: 'registry.terraform.io/hashicorp/aws', version: '5.100.0' } as const;

/** Environment variable naming the provider mirror folder (the one holding `registry.terraform.io/`). */
export const MIRROR_ENV = 'GUARDDUTY_HUB_TF_MIRROR';

/**
 * Where a provider mirror is looked for when {@link MIRROR_ENV} is unset: Terraform's implied local
 * mirror folders (CLI configuration docs, "Implied Local Mirror Directories") and /opt/tf-plugins.
 */
export function mirrorCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = env.HOME ?? homedir();
  const xdg = (env.XDG_DATA_DIRS ?? '/usr/local/share:/usr/share')
    .split(delimiter)
    .map((dir) => join(dir, 'terraform', 'plugins'));
  return [
    join(home, '.terraform.d', 'plugins'),
    join(home, '.local', 'share', 'terraform', 'plugins'),
    ...xdg,
    '/opt/tf-plugins',
  ];
}

/** The mirror that holds {@link AWS_PROVIDER}; throws MissingToolError naming where it looked. */
export function findProviderMirror(env: NodeJS.ProcessEnv = process.env): string {
  const wanted = join('registry.terraform.io', 'hashicorp', 'aws', AWS_PROVIDER.version);
  const candidates = env[MIRROR_ENV] ? [env[MIRROR_ENV]] : mirrorCandidates(env);
  const found = candidates.find((dir) => existsSync(join(dir, wanted)));
  if (found !== undefined) return found;
  throw new MissingToolError(
    'hashicorp/aws 5.100.0',
    `no filesystem mirror holds hashicorp/aws ${AWS_PROVIDER.version} (looked in ${candidates.join(', ')}); ` +
      `set ${MIRROR_ENV} to the folder that contains registry.terraform.io/hashicorp/aws/${AWS_PROVIDER.version}`,
  );
}

/** Writes the project's Terraform CLI configuration under `cacheDir` and returns its path. */
export function writeCliConfig(cacheDir: string, mirror: string): string {
  const pluginCache = join(cacheDir, 'plugin-cache');
  mkdirSync(pluginCache, { recursive: true });
  const file = join(cacheDir, 'terraformrc');
  const text = [
    '# Written by guardduty-hub (devkit/sandbox/terraform.ts): the AWS provider from a local mirror, no registry.',
    `plugin_cache_dir = ${JSON.stringify(pluginCache)}`,
    'provider_installation {',
    `  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["registry.terraform.io/hashicorp/*"]\n  }`,
    '  direct {\n    exclude = ["registry.terraform.io/hashicorp/*"]\n  }',
    '}',
    '',
  ].join('\n');
  writeFileSync(file, text);
  return file;
}

/** Where terraform is: the first `terraform` on PATH; throws MissingToolError saying what to install. */
export function findTerraform(env: NodeJS.ProcessEnv = process.env): string {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'terraform');
    if (dir !== '' && existsSync(candidate)) return candidate;
  }
  throw new MissingToolError(
    'terraform',
    'terraform is not on PATH: install Terraform 1.5 or later (https://developer.hashicorp.com/terraform/install) and try again',
  );
}

/** The credentials, region and endpoint a stack is applied with. */
export interface TerraformTarget {
  /** `http://127.0.0.1:<port>` of the local AWS (AWS_ENDPOINT_URL). */
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** AWS_REGION; each provider block names its own region anyway. */
  readonly region: string;
}

/** How to run terraform: binary, CLI config, and a line sink for progress. */
export interface TerraformRunner {
  readonly binary: string;
  readonly cliConfigFile: string;
  /** Parallelism of apply, plan and destroy (terraform's default is 10). */
  readonly parallelism: number;
  /** Receives each output line, prefixed by nothing; default: dropped. */
  readonly onLine?: (stack: string, line: string) => void;
}

/** The standard environment terraform gets: only the AWS variables, the CLI config, no checkpoint. */
export function terraformEnv(
  runner: TerraformRunner,
  target: TerraformTarget,
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'SSL_CERT_FILE', 'AWS_CA_BUNDLE'];
  return {
    ...Object.fromEntries(keep.filter((key) => base[key] !== undefined).map((key) => [key, base[key]])),
    TF_CLI_CONFIG_FILE: runner.cliConfigFile,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    AWS_ENDPOINT_URL: target.endpoint,
    AWS_ACCESS_KEY_ID: target.accessKeyId,
    AWS_SECRET_ACCESS_KEY: target.secretAccessKey,
    AWS_REGION: target.region,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** One terraform run's exit status and output. */
export interface TerraformResult {
  readonly code: number;
  readonly output: string;
}

/** Runs `terraform <args>` in `dir` (a stack folder); resolves with its exit code and output. */
export function runTerraform(
  runner: TerraformRunner,
  target: TerraformTarget,
  stack: string,
  dir: string,
  args: readonly string[],
): Promise<TerraformResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(runner.binary, [`-chdir=${dir}`, ...args, '-no-color'], {
      env: terraformEnv(runner, target),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: string[] = [];
    let partial = '';
    const take = (data: Buffer): void => {
      const text = partial + data.toString('utf8');
      chunks.push(data.toString('utf8'));
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') runner.onLine?.(stack, line);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output: chunks.join('') }));
  });
}

/** Terraform failures that mean the provider did not start in time, not that anything is wrong. */
const TRANSIENT =
  /Failed to load plugin schemas|timeout while waiting for plugin to start|plugin exited before we could connect/;

/** Runs terraform and throws TerraformError (with the output's tail) unless it exits with one of `ok`. */
export async function terraformOrThrow(
  runner: TerraformRunner,
  target: TerraformTarget,
  stack: string,
  dir: string,
  args: readonly string[],
  ok: readonly number[] = [0],
): Promise<TerraformResult> {
  let result = await runTerraform(runner, target, stack, dir, args);
  // The provider binary (~700 MB) can miss Terraform's plugin start-up deadline on a loaded machine;
  // that failure happens before anything is changed, so one more attempt is safe.
  if (!ok.includes(result.code) && TRANSIENT.test(result.output))
    result = await runTerraform(runner, target, stack, dir, args);
  if (!ok.includes(result.code))
    throw new TerraformError(stack, args[0] ?? '', result.code, result.output.split('\n').slice(-25).join('\n'));
  return result;
}
