import { readFile } from 'node:fs/promises';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DLQ_URL_ENV, QUEUE_URL_ENV, type HubConfig } from '../shared/index.ts';
import { secretsManagerTokens, type BotTokenResolver } from '../destinations/slack-app/index.ts';
import {
  secretsManagerWebhooks,
  type SecretReader,
  type SqsLike,
  type WebhookResolver,
} from '../destinations/slack-webhook/index.ts';
import { ConsumerError } from '../core/errors.ts';
import type { ConsumerLogger } from '../core/log.ts';
import { DynamoSilenceStore, type SilenceStore } from '../core/silences/index.ts';
import { dynamoCanaryStore, type CanaryStore } from '../core/canary/index.ts';
import {
  DynamoStateStore,
  MemoryStateStore,
  claimSecondsFor,
  createRepeatGate,
  passThroughGate,
  type RepeatGate,
  type StateStore,
} from '../core/repeats/index.ts';

/**
 * Cold-start wiring of the Lambda: the config bundled beside the code, and AWS SDK clients. The SDK
 * modules ship with the `nodejs22.x` runtime and are loaded on first use, keeping the import cheap.
 */

/** `hub-config.json` beside the bundle (`index.mjs`): the config validated at synth time. */
export const BUNDLED_CONFIG_URL = new URL('./hub-config.json', import.meta.url);

/** The bundled config is missing or not a hub config. */
export class BundledConfigError extends ConsumerError {
  override readonly name = 'BundledConfigError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * Reads the bundled config. It was validated (and defaulted) by zod at synth time; here only its
 * shape is checked, so the bundle carries no schema library.
 */
export async function loadBundledConfig(url: URL = BUNDLED_CONFIG_URL): Promise<HubConfig> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(url, 'utf8'));
  } catch (cause) {
    throw new BundledConfigError(`cannot read the bundled config ${url.pathname}`, { cause });
  }
  const config = raw as Partial<HubConfig> | null;
  const missing = (
    ['defaults', 'destinations', 'delivery', 'queue', 'accounts', 'colors', 'repeats', 'consumer'] as const
  ).filter((key) => config === null || typeof config !== 'object' || typeof config[key] !== 'object');
  if (missing.length > 0) throw new BundledConfigError(`the bundled config has no ${missing.join(', ')}`);
  return config as HubConfig;
}

/**
 * Webhook URLs read from Secrets Manager (`GetSecretValue`), cached for the life of the instance;
 * only https to Slack's webhook hosts and `delivery.allowedWebhookHosts` are accepted.
 */
export function secretsManagerResolver(config: Pick<HubConfig, 'destinations' | 'delivery'>): WebhookResolver {
  return secretsManagerWebhooks(config.destinations, lazySecretReader(), {
    allowedHosts: config.delivery.allowedWebhookHosts ?? [],
  });
}

/** Bot tokens of app destinations read from Secrets Manager (`GetSecretValue`), cached for the life of the instance. */
export function secretsManagerTokenResolver(config: Pick<HubConfig, 'destinations'>): BotTokenResolver {
  return secretsManagerTokens(config.destinations, lazySecretReader());
}

/** `GetSecretValue` through a Secrets Manager client created on first use. */
export function lazySecretReader(): SecretReader {
  let client: Promise<SecretReader> | undefined;
  const reader = async (): Promise<SecretReader> => {
    const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
    const sdk = new SecretsManagerClient({});
    return async (secretId: string) => (await sdk.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString;
  };
  return async (secretId) => {
    client ??= reader();
    return (await client)(secretId);
  };
}

/** An SQS client created on first use. */
export function lazySqsClient(): SqsLike {
  let client: Promise<SqsLike> | undefined;
  return {
    async send(command) {
      client ??= import('@aws-sdk/client-sqs').then(({ SQSClient }) => new SQSClient({}));
      return (await client).send(command);
    },
  };
}

/**
 * The Lambda's repeat gate: `config.repeats` over the DynamoDB table `STATE_TABLE_NAME`, with the
 * claim lease from the consumer and queue timeouts. The DynamoDB SDK is loaded here, on the first
 * invocation. Without `STATE_TABLE_NAME` (a local run) the state lives in this instance's memory, with
 * a warning: other instances do not see it. A pass-through gate when `repeats.enabled` is false.
 */
export async function defaultRepeatGate(
  config: Pick<HubConfig, 'repeats' | 'consumer' | 'queue'>,
  logger: Pick<ConsumerLogger, 'warn'>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RepeatGate> {
  return (await defaultRepeatState(config, logger, env)).gate;
}

/**
 * The repeat gate of {@link defaultRepeatGate} and the state store under it, which also keeps the
 * parent messages of app destinations (an instance-local memory store when repeats are off).
 */
export async function defaultRepeatState(
  config: Pick<HubConfig, 'repeats' | 'consumer' | 'queue'>,
  logger: Pick<ConsumerLogger, 'warn'>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ readonly gate: RepeatGate; readonly store: StateStore }> {
  if (!config.repeats.enabled) return { gate: passThroughGate(), store: new MemoryStateStore() };
  const claimSeconds = claimSecondsFor(config);
  const tableName = env.STATE_TABLE_NAME;
  if (!tableName) {
    logger.warn('STATE_TABLE_NAME is not set: repeat suppression remembers findings in this instance only');
    const store = new MemoryStateStore();
    return { gate: createRepeatGate({ settings: config.repeats, store, claimSeconds }), store };
  }
  const store = new DynamoStateStore({ client: await stateTableClient(), tableName });
  return { gate: createRepeatGate({ settings: config.repeats, store, claimSeconds }), store };
}

/** The silences kept in the state table (`STATE_TABLE_NAME`); undefined without one (a local run). */
export async function defaultSilenceStore(env: NodeJS.ProcessEnv = process.env): Promise<SilenceStore | undefined> {
  const tableName = env.STATE_TABLE_NAME;
  if (!tableName) return undefined;
  return new DynamoSilenceStore({ client: await stateTableClient(), tableName });
}

/** The canary items in the state table (`STATE_TABLE_NAME`); undefined without one (a local run counts no canary). */
export async function defaultCanaryStore(env: NodeJS.ProcessEnv = process.env): Promise<CanaryStore | undefined> {
  const tableName = env.STATE_TABLE_NAME;
  if (!tableName) return undefined;
  return dynamoCanaryStore({ client: await stateTableClient(), tableName });
}

let stateClient: Promise<DynamoDBClient> | undefined;

/** One DynamoDB client per instance for the state table (repeat state, parents, silences, canaries), made on first use. */
function stateTableClient(): Promise<DynamoDBClient> {
  stateClient ??= import('@aws-sdk/client-dynamodb').then(({ DynamoDBClient }) => new DynamoDBClient({}));
  return stateClient;
}

/** The queues' URLs the hub stack gives the Lambda in its environment. */
export interface QueueUrls {
  /** The hub queue (`HUB_QUEUE_URL`), for `ChangeMessageVisibility`; unset in a local run. */
  readonly queueUrl: string | undefined;
  /** The hub DLQ (`HUB_DLQ_URL`), where the consumer moves records it gives up on; unset in a local run. */
  readonly deadLetterQueueUrl: string | undefined;
}

/** Reads {@link QueueUrls} from the environment; an empty value counts as unset. */
export function queueUrlsFromEnv(env: NodeJS.ProcessEnv = process.env): QueueUrls {
  return { queueUrl: env[QUEUE_URL_ENV] || undefined, deadLetterQueueUrl: env[DLQ_URL_ENV] || undefined };
}

/** The real defaults of the handler's config, webhooks, bot tokens and SQS client. */
export interface RuntimeDefaults {
  readonly config: HubConfig;
  readonly webhooks: WebhookResolver;
  readonly botTokens: BotTokenResolver;
  readonly sqs: SqsLike;
}

/** The real defaults of the handler's options: the bundled config, Secrets Manager (webhooks and bot tokens), an SQS client. */
export async function runtimeDefaults(): Promise<RuntimeDefaults> {
  const config = await loadBundledConfig();
  return {
    config,
    webhooks: secretsManagerResolver(config),
    botTokens: secretsManagerTokenResolver(config),
    sqs: lazySqsClient(),
  };
}
