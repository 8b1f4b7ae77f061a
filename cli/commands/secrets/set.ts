import { CreateSecretCommand, PutSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { destinationSecret, destinationTypeOf, type HubConfig } from '../../../shared/index.ts';
import { awsErrorName, toCliError } from '../../aws/index.ts';
import { ResourceMissingError, UsageError } from '../../errors.ts';
import { EXPECTED_ROUTING_KEY_FORM, checkRoutingKey } from './routing-key.ts';
import { EXPECTED_SIGNING_SECRET_FORM, checkSigningSecret, signingSecretName } from './signing-secret.ts';
import {
  EXPECTED_BOT_TOKEN_FORM,
  EXPECTED_WEBHOOK_FORMS,
  checkBotToken,
  checkWebhookUrlFor,
  type WebhookKind,
} from './webhook-url.ts';
import { EXPECTED_WORKFLOW_URL_FORM, checkWorkflowUrl } from './workflow-url.ts';

/** What `secrets set` stored. */
export interface StoredWebhook {
  readonly destination: string;
  readonly secret: string;
  readonly versionId: string;
  /** True when the secret was created (`--create`), false when a new version was put. */
  readonly created: boolean;
  /**
   * What was stored: a webhook URL's kind, `bot-token` for an app destination, `routing-key` for
   * PagerDuty, `teams-workflow` for a Teams one.
   */
  readonly kind: WebhookKind | 'bot-token' | 'routing-key' | 'teams-workflow';
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

/** What a destination's secret holds, how it is checked, and what a refusal says it should be. */
interface SecretKind {
  /** For messages: `webhook URL`, `bot token`, `routing key`, `Workflows URL`. */
  readonly what: string;
  readonly check: (text: string) => { ok: true; kind: StoredWebhook['kind'] } | { ok: false; problem: string };
  /** `is not a Slack webhook: … expected …`. */
  readonly refusal: (problem: string) => string;
  /** The secret's description when `--create` makes it. */
  readonly description: string;
}

/** What the secret of `destination` holds, by its type. */
export function secretKindOf(config: HubConfig, destination: string): SecretKind {
  const type = destinationTypeOf(config, destination);
  if (type === 'pagerduty')
    return {
      what: 'routing key',
      check: checkRoutingKey,
      refusal: (problem) =>
        `the routing key for ${destination} is not a PagerDuty routing key: ${problem}; expected ${EXPECTED_ROUTING_KEY_FORM}`,
      description: `PagerDuty routing key of guardduty-hub destination ${destination}`,
    };
  if (type === 'teams')
    return {
      what: 'Workflows URL',
      check: (text) => checkWorkflowUrl(text, config.delivery.allowedWebhookHosts),
      refusal: (problem) =>
        `the Workflows URL for ${destination} is not one the hub posts to: ${problem}; expected ${EXPECTED_WORKFLOW_URL_FORM}`,
      description: `Teams Workflows webhook URL of guardduty-hub destination ${destination}`,
    };
  if (type === 'slack-app')
    return {
      what: 'bot token',
      check: checkBotToken,
      refusal: (problem) =>
        `the bot token for ${destination} is not a Slack bot token: ${problem}; expected ${EXPECTED_BOT_TOKEN_FORM}`,
      description: `Slack bot token of guardduty-hub destination ${destination}`,
    };
  return {
    what: 'webhook URL',
    check: (text) => checkWebhookUrlFor(text, config.delivery.allowedWebhookHosts),
    refusal: (problem) =>
      `the webhook URL for ${destination} is not a Slack webhook: ${problem}; expected ${EXPECTED_WEBHOOK_FORMS}`,
    description: `Slack webhook URL of guardduty-hub destination ${destination}`,
  };
}

/**
 * Checks `input` (trimmed) and stores it as the destination's webhook URL (an app destination's bot
 * token, a PagerDuty destination's routing key, a Teams destination's Workflows URL): `PutSecretValue` on the secret the hub stack created,
 * or `CreateSecret` when it does not exist and `create` is set.
 * No message, error or return value ever contains the value.
 */
export async function storeWebhook(
  secrets: SecretsManagerClient,
  config: HubConfig,
  destination: string,
  input: string,
  create: boolean,
): Promise<StoredWebhook> {
  const secret = secretOf(config, destination);
  const value = input.trim();
  const kind = secretKindOf(config, destination);
  const check = kind.check(value);
  if (!check.ok) throw new UsageError(kind.refusal(check.problem));
  const stored = await putOrCreate(secrets, {
    name: secret,
    value,
    create,
    description: kind.description,
    owner: `for destination ${destination}`,
    region: config.hub.region,
  });
  return { destination, secret, ...stored, kind: check.kind };
}

/** What `secrets set --signing-secret` stored. */
export interface StoredSigningSecret {
  readonly secret: string;
  readonly versionId: string;
  readonly created: boolean;
  readonly kind: 'signing-secret';
}

/**
 * Checks `input` (trimmed) and stores it as the triage endpoint's Slack signing secret, in the secret
 * `triage.signingSecret` names. No message, error or return value ever contains the value.
 */
export async function storeSigningSecret(
  secrets: SecretsManagerClient,
  config: HubConfig,
  input: string,
  create: boolean,
): Promise<StoredSigningSecret> {
  const secret = signingSecretName(config);
  const value = input.trim();
  const check = checkSigningSecret(value);
  if (!check.ok)
    throw new UsageError(
      `the input is not a Slack signing secret: ${check.problem}; expected ${EXPECTED_SIGNING_SECRET_FORM}`,
    );
  const stored = await putOrCreate(secrets, {
    name: secret,
    value,
    create,
    description: 'Slack app signing secret of the guardduty-hub triage endpoint',
    owner: 'for triage',
    region: config.hub.region,
  });
  return { secret, ...stored, kind: 'signing-secret' };
}

/** One value to store by {@link putOrCreate}. */
interface SecretWrite {
  readonly name: string;
  readonly value: string;
  /** Create the secret when it does not exist (normally the hub stack made it). */
  readonly create: boolean;
  /** Description of a secret created here. */
  readonly description: string;
  /** Who the secret is for, in the "does not exist" message (`for destination team-a`). */
  readonly owner: string;
  readonly region: string;
}

/** `PutSecretValue` on the existing secret, else (with `create`) `CreateSecret`; a missing secret without `create` is a {@link ResourceMissingError}. */
async function putOrCreate(
  secrets: SecretsManagerClient,
  write: SecretWrite,
): Promise<{ versionId: string; created: boolean }> {
  try {
    const put = await secrets.send(new PutSecretValueCommand({ SecretId: write.name, SecretString: write.value }));
    return { versionId: put.VersionId ?? '?', created: false };
  } catch (error) {
    if (awsErrorName(error) !== 'ResourceNotFoundException') throw toCliError('PutSecretValue', error);
    if (!write.create) {
      throw new ResourceMissingError(
        `secret ${write.name} ${write.owner} does not exist in ${write.region}: deploy the hub stack first (cdktf deploy hub), or pass --create to create it`,
        write.name,
        { cause: error },
      );
    }
  }
  try {
    const created = await secrets.send(
      new CreateSecretCommand({ Name: write.name, SecretString: write.value, Description: write.description }),
    );
    return { versionId: created.VersionId ?? '?', created: true };
  } catch (error) {
    throw toCliError('CreateSecret', error);
  }
}
