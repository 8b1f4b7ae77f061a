import { CreateSecretCommand, PutSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { destinationSecret, isAppDestination, type HubConfig } from '../../../shared/index.ts';
import { awsErrorName, toCliError } from '../../aws/index.ts';
import { ResourceMissingError, UsageError } from '../../errors.ts';
import { EXPECTED_BOT_TOKEN_FORM, EXPECTED_WEBHOOK_FORMS, checkBotToken, checkWebhookUrl, type WebhookKind } from './webhook-url.ts';

/** What `secrets set` stored. */
export interface StoredWebhook {
  readonly destination: string;
  readonly secret: string;
  readonly versionId: string;
  /** True when the secret was created (`--create`), false when a new version was put. */
  readonly created: boolean;
  /** What was stored: a webhook URL's kind, or `bot-token` for an app destination. */
  readonly kind: WebhookKind | 'bot-token';
}

/** The destination's secret name; {@link UsageError} listing the known destinations for an unknown one. */
export function secretOf(config: HubConfig, destination: string): string {
  const entry = Object.hasOwn(config.destinations, destination) ? config.destinations[destination] : undefined;
  if (entry === undefined) {
    const known = Object.keys(config.destinations).join(', ');
    throw new UsageError(`unknown destination ${JSON.stringify(destination)}: the config defines ${known}`);
  }
  return destinationSecret(entry);
}

/**
 * Checks `input` (trimmed) and stores it as the destination's webhook URL: `PutSecretValue` on the
 * secret the hub stack created, or `CreateSecret` when it does not exist and `create` is set.
 * No message, error or return value ever contains the URL.
 */
export async function storeWebhook(
  secrets: SecretsManagerClient,
  config: HubConfig,
  destination: string,
  input: string,
  create: boolean,
): Promise<StoredWebhook> {
  const secret = secretOf(config, destination);
  const url = input.trim();
  const app = isAppDestination(config, destination);
  const check = app ? checkBotToken(url) : checkWebhookUrl(url);
  if (!check.ok) {
    throw new UsageError(
      app
        ? `the bot token for ${destination} is not a Slack bot token: ${check.problem}; expected ${EXPECTED_BOT_TOKEN_FORM}`
        : `the webhook URL for ${destination} is not a Slack webhook: ${check.problem}; expected ${EXPECTED_WEBHOOK_FORMS}`,
    );
  }
  try {
    const put = await secrets.send(new PutSecretValueCommand({ SecretId: secret, SecretString: url }));
    return { destination, secret, versionId: put.VersionId ?? '?', created: false, kind: check.kind };
  } catch (error) {
    if (awsErrorName(error) !== 'ResourceNotFoundException') throw toCliError('PutSecretValue', error);
    if (!create) {
      throw new ResourceMissingError(
        `secret ${secret} for destination ${destination} does not exist in ${config.hub.region}: deploy the hub stack first (cdktf deploy hub), or pass --create to create it`,
        secret,
        { cause: error },
      );
    }
  }
  try {
    const created = await secrets.send(
      new CreateSecretCommand({ Name: secret, SecretString: url, Description: `${app ? 'Slack bot token' : 'Slack webhook URL'} of guardduty-hub destination ${destination}` }),
    );
    return { destination, secret, versionId: created.VersionId ?? '?', created: true, kind: check.kind };
  } catch (error) {
    throw toCliError('CreateSecret', error);
  }
}
