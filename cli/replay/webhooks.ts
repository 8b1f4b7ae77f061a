import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  BOT_TOKEN,
  routeBatch,
  secretsManagerTokens,
  secretsManagerWebhooks,
  staticTokens,
  staticWebhooks,
  type BotTokenResolver,
  type WebhookResolver,
} from '../../lambdas/consumer/index.ts';
import { destinationTypeOf, isAppDestination, type HubConfig } from '../../shared/index.ts';
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
export function parseWebhookArguments(
  values: readonly string[],
  config: Pick<HubConfig, 'destinations'>,
): Map<string, string> {
  const urls = new Map<string, string>();
  for (const value of values) {
    const [name, url] = nameAndValue(value, '--webhook', 'URL');
    if (!Object.hasOwn(config.destinations, name)) {
      throw new UsageError(
        `--webhook ${name}: not a destination in the config (destinations: ${Object.keys(config.destinations).join(', ')})`,
      );
    }
    let protocol: string;
    try {
      protocol = new URL(url).protocol;
    } catch {
      throw new UsageError(`--webhook ${name}: the URL is not valid`);
    }
    if (protocol !== 'https:' && protocol !== 'http:')
      throw new UsageError(`--webhook ${name}: the URL must start with https://`);
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
  secrets: () => Promise<SecretsManagerClient>,
): { webhooks: WebhookResolver; note: string | undefined } {
  const missing = used.filter((name) => !given.has(name) && destinationTypeOf(config, name) === 'slack-webhook');
  if (missing.length === 0) return { webhooks: staticWebhooks(given), note: undefined };
  if (!hasCredentials(env)) {
    const flags = missing.map((name) => `--webhook ${name}=URL`).join(' ');
    throw new UsageError(
      `no webhook URL for destination${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: pass ${flags}, or set AWS credentials (AWS_PROFILE) to read ${missing.length > 1 ? 'them' : 'it'} from Secrets Manager`,
    );
  }
  const fromSecrets = secretsManagerWebhooks(config.destinations, secretReader(secrets), {
    allowedHosts: config.delivery.allowedWebhookHosts,
  });
  const fromArguments = staticWebhooks(given);
  return {
    webhooks: {
      webhookUrl: (name) => (given.has(name) ? fromArguments.webhookUrl(name) : fromSecrets.webhookUrl(name)),
    },
    note: `reading the webhook URL of ${missing.join(', ')} from Secrets Manager (${missing.map((name) => config.destinations[name]?.webhookSecret).join(', ')})`,
  };
}

/**
 * Parses the `--token NAME=xoxb-…` values: names must be app destinations, values bot tokens. A value
 * is never echoed (it is a secret), only what is wrong with it.
 */
export function parseTokenArguments(
  values: readonly string[],
  config: Pick<HubConfig, 'destinations'>,
): Map<string, string> {
  const tokens = new Map<string, string>();
  for (const value of values) {
    const [name, token] = nameAndValue(value, '--token', 'xoxb-…');
    const apps = Object.keys(config.destinations).filter((destination) => isAppDestination(config, destination));
    if (!isAppDestination(config, name)) {
      throw new UsageError(
        `--token ${name}: not an app destination in the config (app destinations: ${apps.join(', ') || 'none'})`,
      );
    }
    if (!BOT_TOKEN.test(token)) throw new UsageError(`--token ${name}: the value is not a Slack bot token (xoxb-…)`);
    tokens.set(name, token);
  }
  return tokens;
}

/**
 * Bot tokens for a replay: the `--token` ones, and Secrets Manager for the other app destinations the
 * events use when AWS credentials are configured (`note` says so); without credentials, a
 * `UsageError` (exit 2) names the missing ones.
 */
export function replayTokens(
  given: ReadonlyMap<string, string>,
  used: readonly string[],
  config: HubConfig,
  env: NodeJS.ProcessEnv,
  secrets: () => Promise<SecretsManagerClient>,
): { tokens: BotTokenResolver; note: string | undefined } {
  const missing = used.filter((name) => !given.has(name) && isAppDestination(config, name));
  const fromArguments = staticTokens(given);
  if (missing.length === 0) return { tokens: fromArguments, note: undefined };
  if (!hasCredentials(env)) {
    const flags = missing.map((name) => `--token ${name}=xoxb-…`).join(' ');
    throw new UsageError(
      `no bot token for app destination${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: pass ${flags}, or set AWS credentials (AWS_PROFILE) to read it from Secrets Manager`,
    );
  }
  const fromSecrets = secretsManagerTokens(config.destinations, secretReader(secrets));
  return {
    tokens: { botToken: (name) => (given.has(name) ? fromArguments.botToken(name) : fromSecrets.botToken(name)) },
    note: `reading the bot token of ${missing.join(', ')} from Secrets Manager (${missing.map((name) => config.destinations[name]?.app?.botTokenSecret).join(', ')})`,
  };
}

/** Parses `--slack-api-url`: an http(s) URL, without a trailing slash. */
export function parseSlackApiUrl(value: string): string {
  return parseEndpointUrl(value, '--slack-api-url', 'https://slack.com/api').replace(/\/+$/, '');
}

/** Parses `--pagerduty-url`: the Events API v2 endpoint, an http(s) URL. */
export function parsePagerDutyUrl(value: string): string {
  return parseEndpointUrl(value, '--pagerduty-url', 'https://events.pagerduty.com/v2/enqueue');
}

/** Parses the value of an endpoint flag (`--slack-api-url`, `--pagerduty-url`): an http(s) URL, else a {@link UsageError} with `example`. */
export function parseEndpointUrl(value: string, flag: string, example: string): string {
  let protocol: string;
  try {
    protocol = new URL(value).protocol;
  } catch {
    throw new UsageError(`${flag}: ${JSON.stringify(value)} is not a URL (for example ${example})`);
  }
  if (protocol !== 'https:' && protocol !== 'http:')
    throw new UsageError(`${flag}: the URL must start with https:// (or http:// for a local simulator)`);
  return value;
}

/** True when AWS credentials are probably configured (one of {@link CREDENTIAL_HINTS} is set). */
export function hasCredentials(env: NodeJS.ProcessEnv): boolean {
  return CREDENTIAL_HINTS.some((name) => env[name]);
}

/** Reads secrets through the client `secrets` gives; the SDK loads with the first read. */
export function secretReader(
  secrets: () => Promise<SecretsManagerClient>,
): (secretId: string) => Promise<string | undefined> {
  return async (secretId) => {
    const [client, { GetSecretValueCommand }] = await Promise.all([
      secrets(),
      import('@aws-sdk/client-secrets-manager'),
    ]);
    return (await client.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString;
  };
}

/**
 * `NAME=VALUE` of a repeatable flag, both parts trimmed and non-empty. The value is never echoed:
 * without `NAME=` the argument is most likely the secret itself.
 */
export function nameAndValue(argument: string, flag: string, valueLabel: string): [string, string] {
  const at = argument.indexOf('=');
  const name = at > 0 ? argument.slice(0, at).trim() : '';
  const value = at > 0 ? argument.slice(at + 1).trim() : '';
  if (name === '' || value === '') {
    const noValue = ({ URL: 'no URL', KEY: 'no key' } as Readonly<Record<string, string>>)[valueLabel] ?? 'no token';
    throw new UsageError(
      `${flag} must be NAME=${valueLabel} (got ${at > 0 ? `"${name}=" and ${noValue}` : 'no NAME='})`,
    );
  }
  return [name, value];
}
