import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `terraform validate` of one synthesized stack with the real hashicorp/aws 5.100.0 provider from
 * the machine's filesystem mirror (`TF_PLUGIN_MIRROR`, default /opt/tf-plugins): the provider's own
 * schema judges the arguments, not the code's idea of them. Works in `.cache/tf-validate/<name>`.
 */

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where the provider mirror is. */
export const PLUGIN_MIRROR = process.env.TF_PLUGIN_MIRROR ?? '/opt/tf-plugins';

/** Result of `terraform validate -json`. */
export interface ValidateResult {
  readonly valid: boolean;
  readonly diagnostics: readonly { readonly severity: string; readonly summary: string; readonly detail?: string }[];
}

/** Validates `stackJson` (a `cdk.tf.json` document); throws when terraform cannot run at all. */
export function terraformValidate(name: string, stackJson: object): ValidateResult {
  if (!existsSync(join(PLUGIN_MIRROR, 'registry.terraform.io/hashicorp/aws'))) {
    throw new Error(`no hashicorp/aws provider under ${PLUGIN_MIRROR}; set TF_PLUGIN_MIRROR to the filesystem mirror`);
  }
  const dir = join(REPO_ROOT, '.cache', 'tf-validate', name);
  mkdirSync(dir, { recursive: true });
  const cliConfig = join(dir, 'cli.tfrc');
  writeFileSync(
    cliConfig,
    `provider_installation {\n  filesystem_mirror { path = "${PLUGIN_MIRROR}" }\n  direct { exclude = ["*/*"] }\n}\n`,
  );
  const text = JSON.stringify(stackJson);
  writeFileSync(join(dir, 'cdk.tf.json'), text);
  // In-memory synthesis archives no assets, but `filebase64sha256` reads each one: give it an empty file.
  for (const [asset] of text.matchAll(/assets\/[\w.-]+\/[\w.-]+\/archive\.zip/g)) {
    mkdirSync(dirname(join(dir, asset)), { recursive: true });
    writeFileSync(join(dir, asset), '');
  }
  const env = { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
  execFileSync('terraform', ['init', '-input=false', '-backend=false', '-no-color'], { cwd: dir, env, stdio: 'pipe' });
  try {
    return JSON.parse(
      execFileSync('terraform', ['validate', '-json', '-no-color'], { cwd: dir, env, stdio: 'pipe' }).toString(),
    ) as ValidateResult;
  } catch (error) {
    const stdout = (error as { stdout?: Buffer }).stdout?.toString() ?? '';
    if (stdout.trim().startsWith('{')) return JSON.parse(stdout) as ValidateResult;
    throw error;
  }
}
