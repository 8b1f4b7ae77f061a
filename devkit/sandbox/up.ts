import { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { destinationTypeOf, type DestinationConfig, type DestinationType, type HubConfig } from '../../shared/index.ts';
import { localTargets, terraformRunner, warmPluginCache } from './deploy.ts';
import { writeSandboxConfig } from './env.ts';
import { startLocalAws } from './localaws.ts';
import { acceptInvitations } from './members.ts';
import { SANDBOX_ROUTING_KEY, sandboxWorkflowUrl } from './pagerduty-teams.ts';
import { ensureSimulators } from './simulators.ts';
import { SANDBOX_BOT_TOKEN, SANDBOX_SIGNING_SECRET, sandboxUserGroups } from './slack.ts';
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
 * What `up` stores in a destination's secret, by the destination's kind: its webhook on the Slack
 * simulator, the sandbox bot token, the sandbox routing key, or its workflow on the Teams simulator.
 * Undefined for a destination of a kind the sandbox does not serve.
 */
function sandboxSecret(
  destination: string,
  { webhookSecret, app, routingKeySecret, workflowUrlSecret }: DestinationConfig,
  simulators: { readonly url: string; readonly teamsUrl: string },
): { readonly secretId: string; readonly value: string } | undefined {
  if (webhookSecret !== undefined)
    return { secretId: webhookSecret, value: `${simulators.url}${sandboxWebhookPath(destination)}` };
  if (app !== undefined) return { secretId: app.botTokenSecret, value: SANDBOX_BOT_TOKEN };
  if (routingKeySecret !== undefined) return { secretId: routingKeySecret, value: SANDBOX_ROUTING_KEY };
  if (workflowUrlSecret !== undefined)
    return { secretId: workflowUrlSecret, value: sandboxWorkflowUrl(simulators.teamsUrl, destination) };
  return undefined;
}

/** The names of the destinations of `type` (`pagerduty`, `teams`). */
function destinationsOfType(config: HubConfig, type: DestinationType): string[] {
  return Object.keys(config.destinations).filter((name) => destinationTypeOf(config, name) === type);
}

/**
 * Starts (or reuses) the local AWS and the simulators (Slack, PagerDuty, Teams), applies every stack,
 * accepts the members' invitations as the members, stores in each destination's secret what reaches
 * its simulator (webhook URL, bot token, routing key, Workflows URL) and with `triage:` the signing
 * secret, and writes the sandbox's copy of the config (see env.ts). Idempotent.
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
  const simulators = await ensureSimulators(work, {
    channels: [...new Set(Object.values(channels))],
    userGroups: sandboxUserGroups(config),
  });
  progress(
    `${simulators.started ? 'simulators started' : 'simulators already running'}: Slack ${simulators.url}, PagerDuty ${simulators.pagerDutyUrl}, Teams ${simulators.teamsUrl}`,
  );
  const hubKeys = await targets(config.hub.account);
  const secrets = new SecretsManagerClient({ endpoint: aws.endpoint, region: config.hub.region, credentials: hubKeys });
  const store = async (secretId: string, value: string): Promise<void> => {
    const current = await secrets.send(new GetSecretValueCommand({ SecretId: secretId })).catch(() => undefined);
    if (current?.SecretString !== value)
      await secrets.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: value }));
  };
  const webhooks: Record<string, string> = {};
  for (const [destination, settings] of Object.entries(config.destinations)) {
    const secret = sandboxSecret(destination, settings, simulators);
    if (secret === undefined) continue;
    await store(secret.secretId, secret.value);
    if (settings.webhookSecret !== undefined) webhooks[destination] = secret.value;
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
    slack: { url: simulators.url, apiUrl: simulators.apiUrl, pid: simulators.pid, webhooks, channels },
    pagerDuty: { url: simulators.pagerDutyUrl, destinations: destinationsOfType(config, 'pagerduty') },
    teams: { url: simulators.teamsUrl, destinations: destinationsOfType(config, 'teams') },
    stacks: stacks.map(({ name, resources }) => ({ name, resources })),
  };
  writeSandboxState(work, state);
  writeSandboxConfig(work, configPath);
  return state;
}
