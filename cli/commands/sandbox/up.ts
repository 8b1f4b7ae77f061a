import { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { HubConfig } from '../../../shared/index.ts';
import { localTargets, terraformRunner, warmPluginCache } from './deploy.ts';
import { startLocalAws } from './localaws.ts';
import { ensureSlack } from './slack.ts';
import { applyStacks, synthesizeInto } from './stacks.ts';
import type { SandboxState } from './state.ts';
import { writeSandboxState } from './state.ts';

/** Options of {@link sandboxUp}. */
export interface SandboxUpOptions {
  readonly dir: string;
  readonly config: HubConfig;
  readonly configPath: string;
  /** Progress lines (Terraform's creations, one line each). */
  readonly progress: (line: string) => void;
}

/** The webhook path the sandbox gives a destination on its simulator. */
export function sandboxWebhookPath(destination: string): string {
  return `/services/TSANDBOX/BSANDBOX/${destination}`;
}

/** Starts (or reuses) the local AWS and Slack, applies every stack, stores the webhooks. Idempotent. */
export async function sandboxUp({ dir, config, configPath, progress }: SandboxUpOptions): Promise<SandboxState> {
  const runner = terraformRunner({ onLine: (stack, line) => /: (Creation complete|Modifications complete|Destruction complete)|^(Apply|Destroy) complete/.test(line) && progress(`${stack}: ${line}`) });
  const work = resolve(dir);
  mkdirSync(work, { recursive: true });
  const aws = await startLocalAws(resolve(work, 'localaws'));
  progress(aws.started ? `local AWS started at ${aws.endpoint}` : `local AWS already running at ${aws.endpoint}`);
  const stacks = synthesizeInto(work, config);
  const targets = localTargets(aws.endpoint, config.hub.region);
  await warmPluginCache(runner);
  await applyStacks(stacks, runner, targets);
  const slack = await ensureSlack(work);
  progress(slack.started ? `Slack simulator started at ${slack.url}` : `Slack simulator already running at ${slack.url}`);
  const hubKeys = await targets(config.hub.account);
  const secrets = new SecretsManagerClient({ endpoint: aws.endpoint, region: config.hub.region, credentials: hubKeys });
  const webhooks: Record<string, string> = {};
  for (const [destination, { webhookSecret }] of Object.entries(config.destinations)) {
    webhooks[destination] = `${slack.url}${sandboxWebhookPath(destination)}`;
    const current = await secrets.send(new GetSecretValueCommand({ SecretId: webhookSecret })).catch(() => undefined);
    if (current?.SecretString !== webhooks[destination]) await secrets.send(new PutSecretValueCommand({ SecretId: webhookSecret, SecretString: webhooks[destination] }));
  }
  const credentials = Object.fromEntries(await Promise.all([...targets.credentials].map(async ([account, keys]) => [account, await keys] as const)));
  const state: SandboxState = {
    endpoint: aws.endpoint,
    account: config.hub.account,
    region: config.hub.region,
    configPath: resolve(configPath),
    credentials,
    slack: { url: slack.url, pid: slack.pid, webhooks },
    stacks: stacks.map(({ name, resources }) => ({ name, resources })),
  };
  writeSandboxState(work, state);
  return state;
}
