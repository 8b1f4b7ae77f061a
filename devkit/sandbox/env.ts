import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { LOOPBACK_WEBHOOK_HOST } from './slack.ts';
import { UsageError } from '../../cli/errors.ts';
import type { SandboxState } from './state.ts';

/**
 * Pointing the operator commands (`status`, `dlq`, `secrets`, `smoke`, …) at the sandbox: the
 * standard AWS variables for the local AWS as the hub account, and `HUB_CONFIG` naming the sandbox's
 * copy of the config (the one `up` was given, with the simulators' loopback host added to
 * `delivery.allowedWebhookHosts`, so the sandbox's webhook and Workflows URLs are what the consumer takes).
 */

/** The sandbox's copy of the config, in the sandbox folder. */
export const SANDBOX_CONFIG_FILE = 'hub.yml';

/** Writes the sandbox's copy of `configPath` into `dir` (comments kept); returns its path. */
export function writeSandboxConfig(dir: string, configPath: string): string {
  const document = parseDocument(readFileSync(configPath, 'utf8'));
  const listed = document.getIn(['delivery', 'allowedWebhookHosts']) as { toJSON(): unknown } | undefined;
  const hosts = (listed?.toJSON() as string[] | undefined) ?? [];
  if (!hosts.includes(LOOPBACK_WEBHOOK_HOST))
    document.setIn(['delivery', 'allowedWebhookHosts'], [...hosts, LOOPBACK_WEBHOOK_HOST]);
  document.commentBefore = ` The sandbox's copy of ${resolve(configPath)} (written by 'guardduty-hub sandbox up'):\n the same, with the sandbox's simulators (${LOOPBACK_WEBHOOK_HOST}) in delivery.allowedWebhookHosts.`;
  const path = resolve(dir, SANDBOX_CONFIG_FILE);
  writeFileSync(path, document.toString());
  return path;
}

/** The environment that makes every operator command talk to the sandbox. */
export function sandboxEnvironment(dir: string, state: SandboxState): Record<string, string> {
  const keys = state.credentials[state.account];
  if (keys === undefined)
    throw new UsageError(
      `the sandbox in ${dir} has no credentials for the hub account: run 'guardduty-hub sandbox up' again`,
    );
  const config = resolve(dir, SANDBOX_CONFIG_FILE);
  return {
    AWS_ENDPOINT_URL: state.endpoint,
    AWS_REGION: state.region,
    AWS_ACCESS_KEY_ID: keys.accessKeyId,
    AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
    HUB_CONFIG: existsSync(config) ? config : state.configPath,
  };
}

/** Variables a shell must drop so that the SDK takes the sandbox's keys (a profile or session token would mix in). */
export const UNSET_FOR_SANDBOX = ['AWS_PROFILE', 'AWS_SESSION_TOKEN'] as const;

const quote = (value: string): string => `'${value.replaceAll("'", `'\\''`)}'`;

/** The environment as POSIX shell lines, for `eval "$(guardduty-hub sandbox env)"`. */
export function shellExports(environment: Readonly<Record<string, string>>): string {
  const exports = Object.entries(environment).map(([name, value]) => `export ${name}=${quote(value)}`);
  return [
    `# eval "$(npx guardduty-hub sandbox env)": the operator commands then talk to the sandbox`,
    `unset ${UNSET_FOR_SANDBOX.join(' ')}`,
    ...exports,
    '',
  ].join('\n');
}
