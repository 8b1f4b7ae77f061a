import { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { HubConfig } from '../../shared/index.ts';
import { localTargets, terraformRunner, warmPluginCache } from './deploy.ts';
import { writeSandboxConfig } from './env.ts';
import { startLocalAws } from './localaws.ts';
import { acceptInvitations } from './members.ts';
import { SANDBOX_BOT_TOKEN, SANDBOX_SIGNING_SECRET, ensureSlack, sandboxUserGroups } from './slack.ts';
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

/**
 * Starts (or reuses) the local AWS and Slack, applies every stack, accepts the members' invitations
 * as the members, stores the webhooks, the app destinations' bot token and (with `triage:`) the
 * signing secret, and writes the sandbox's copy of the config (see env.ts). Idempotent.
 */
export async function sandboxUp({ dir, config, configPath, progress }: SandboxUpOptions): Promise<SandboxState> {
  const runner = terraformRunner({
    onLine: (stack, line) =>
      /: (Creation complete|Modifications complete|Destruction complete)|^(Apply|Destroy) complete/.test(line) &&
      progress(`${stack}: ${line}`),
  });
  const work = resolve(dir);
  mkdirSync(work, { recursive: true });
  const aws = await startLocalAws(resolve(work, 'localaws'));
  progress(aws.started ? `local AWS started at ${aws.endpoint}` : `local AWS already running at ${aws.endpoint}`);
  const stacks = synthesizeInto(work, config);
  const targets = localTargets(aws.endpoint, config.hub.region);
  await warmPluginCache(runner);
  await applyStacks(stacks, runner, targets);
  for (const { account, region, accepted } of await acceptInvitations(aws.endpoint, config)) {
    if (accepted) progress(`member ${account} accepted the hub's invitation in ${region} (as the member account)`);
  }
  const channels = Object.fromEntries(
    Object.entries(config.destinations).flatMap(([name, d]) => (d.app ? [[name, d.app.channel] as const] : [])),
  );
  const slack = await ensureSlack(work, [...new Set(Object.values(channels))], sandboxUserGroups(config));
  progress(
    slack.started ? `Slack simulator started at ${slack.url}` : `Slack simulator already running at ${slack.url}`,
  );
  const hubKeys = await targets(config.hub.account);
  const secrets = new SecretsManagerClient({ endpoint: aws.endpoint, region: config.hub.region, credentials: hubKeys });
  const store = async (secretId: string, value: string): Promise<void> => {
    const current = await secrets.send(new GetSecretValueCommand({ SecretId: secretId })).catch(() => undefined);
    if (current?.SecretString !== value)
      await secrets.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: value }));
  };
  const webhooks: Record<string, string> = {};
  for (const [destination, { webhookSecret, app }] of Object.entries(config.destinations)) {
    if (app !== undefined) await store(app.botTokenSecret, SANDBOX_BOT_TOKEN);
    if (webhookSecret === undefined) continue;
    webhooks[destination] = `${slack.url}${sandboxWebhookPath(destination)}`;
    await store(webhookSecret, webhooks[destination]);
  }
  if (config.triage !== undefined) await store(config.triage.signingSecret, SANDBOX_SIGNING_SECRET);
  const credentials = Object.fromEntries(
    await Promise.all([...targets.credentials].map(async ([account, keys]) => [account, await keys] as const)),
  );
  const state: SandboxState = {
    endpoint: aws.endpoint,
    account: config.hub.account,
    region: config.hub.region,
    configPath: resolve(configPath),
    credentials,
    slack: { url: slack.url, apiUrl: slack.apiUrl, pid: slack.pid, webhooks, channels },
    stacks: stacks.map(({ name, resources }) => ({ name, resources })),
  };
  writeSandboxState(work, state);
  writeSandboxConfig(work, configPath);
  return state;
}
