import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { routeBatch, secretsManagerWebhooks, staticWebhooks, type WebhookResolver } from '../../consumer/index.ts';
import type { HubConfig } from '../../shared/index.ts';
import { UsageError } from '../errors.ts';
import type { ReplayEvent } from './inputs.ts';

/** Environment variables that mean AWS credentials are probably available to the SDK. */
const CREDENTIAL_HINTS = [
  'AWS_ACCESS_KEY_ID',
  'AWS_PROFILE',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
] as const;

/** Parses the `--webhook NAME=URL` values; names must be configured destinations, URLs http(s). */
export function parseWebhookArguments(values: readonly string[], config: Pick<HubConfig, 'destinations'>): Map<string, string> {
  const urls = new Map<string, string>();
  for (const value of values) {
    const at = value.indexOf('=');
    const name = at > 0 ? value.slice(0, at).trim() : '';
    const url = at > 0 ? value.slice(at + 1).trim() : '';
    // The value is never echoed whole: without `NAME=` it is most likely the webhook URL itself, a secret.
    if (name === '' || url === '') {
      const got = at > 0 ? `"${name}=" and no URL` : 'no NAME=';
      throw new UsageError(`--webhook must be NAME=URL (got ${got})`);
    }
    if (!Object.hasOwn(config.destinations, name)) {
      throw new UsageError(`--webhook ${name}: not a destination in the config (destinations: ${Object.keys(config.destinations).join(', ')})`);
    }
    let protocol: string;
    try {
      protocol = new URL(url).protocol;
    } catch {
      throw new UsageError(`--webhook ${name}: the URL is not valid`);
    }
    if (protocol !== 'https:' && protocol !== 'http:') throw new UsageError(`--webhook ${name}: the URL must start with https://`);
    urls.set(name, url);
  }
  return urls;
}

/** The destinations the events would be sent to (before any fallback to the default). */
export function destinationsUsed(events: readonly ReplayEvent[], config: HubConfig): string[] {
  const { routed } = routeBatch(
    events.map((event, i) => ({ messageId: String(i), body: event.body })),
    config,
  );
  return [...new Set(routed.map((r) => r.destination))].sort();
}

/**
 * Webhook URLs for a replay: the `--webhook` ones, and Secrets Manager for the rest when AWS
 * credentials are configured (`note` says so). Without credentials, every destination the events
 * use needs a `--webhook`, else a `UsageError` (exit 2) names the missing ones.
 */
export function replayWebhooks(
  given: ReadonlyMap<string, string>,
  used: readonly string[],
  config: HubConfig,
  env: NodeJS.ProcessEnv,
  secrets: () => SecretsManagerClient,
): { webhooks: WebhookResolver; note: string | undefined } {
  const missing = used.filter((name) => !given.has(name));
  if (missing.length === 0) return { webhooks: staticWebhooks(given), note: undefined };
  if (!CREDENTIAL_HINTS.some((name) => env[name])) {
    const flags = missing.map((name) => `--webhook ${name}=URL`).join(' ');
    throw new UsageError(
      `no webhook URL for destination${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: pass ${flags}, or set AWS credentials (AWS_PROFILE) to read ${missing.length > 1 ? 'them' : 'it'} from Secrets Manager`,
    );
  }
  const fromSecrets = secretsManagerWebhooks(config.destinations, async (secretId) => (await secrets().send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString, {
    allowedHosts: config.delivery.allowedWebhookHosts,
  });
  const fromArguments = staticWebhooks(given);
  return {
    webhooks: { webhookUrl: (name) => (given.has(name) ? fromArguments.webhookUrl(name) : fromSecrets.webhookUrl(name)) },
    note: `reading the webhook URL of ${missing.join(', ')} from Secrets Manager (${missing.map((name) => config.destinations[name]!.webhookSecret).join(', ')})`,
  };
}
