import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetSecretValueCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { ChangeMessageVisibilityBatchCommand, ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, inject } from 'vitest';
import type { HubConfig } from '../../shared/index.ts';
import { createHandler, type ConsumerHandler, type HandlerOptions } from '../../lambdas/consumer/handler.ts';
import { secretsManagerWebhooks } from '../../destinations/slack-webhook/index.ts';
import { DynamoStateStore, claimSecondsFor, createRepeatGate } from '../../core/repeats/index.ts';
import { dynamoCanaryStore } from '../../core/canary/index.ts';
import { makeHubConfig } from '../factories/index.ts';
import { uniqueAccountId, type AwsClients } from '../support/aws.ts';
import { EventSourcePoller, type EventSourcePollerOptions } from '../support/event-source-poller.ts';
import { capturePowertools, type CapturedPowertools } from '../support/powertools-capture.ts';
import { provision, type Provisioned, type StackDocument } from '../support/provision.ts';
import { startSlackSimulator, type SlackSimulator } from '../../devkit/slack/webhook-simulator.ts';
import { synthApp } from '../support/synth.ts';

/**
 * The hub deployed into moto from its synthesized stacks, with the few things the tests do on top:
 * publish findings on a region's default bus, read a queue, run the consumer over the hub queue.
 */

/** The hub region and the member region the tests publish findings in. */
export const HUB_REGION = 'us-west-2';
export const MEMBER_REGION = 'us-east-1';

/** Accounts of the integration config (see {@link integrationConfig}). */
export const ACCOUNTS = { member1: '222222222222', member2: '333333333333', unlisted: '444444444444' } as const;

/**
 * A config that keeps the suite fast and makes both thresholds observable: the forwarders drop
 * everything below Medium (the lowest threshold of any route), and the consumer drops member2's
 * findings below High. Batches of up to 10 records without a batching window.
 */
export function integrationConfig(overrides: Record<string, unknown> = {}): HubConfig {
  return makeHubConfig({
    regions: [MEMBER_REGION, HUB_REGION],
    defaults: { destination: 'security', minSeverity: 'medium' },
    accounts: {
      [ACCOUNTS.member1]: { name: 'member1', minSeverity: 'medium', destination: 'team-a' },
      [ACCOUNTS.member2]: { name: 'member2', minSeverity: 'high' },
    },
    delivery: { batchSize: 10, maxBatchingWindowSeconds: 0, messagesPerSecond: 50, burst: 20 },
    consumer: { timeoutSeconds: 1 },
    queue: {
      visibilityTimeoutSeconds: 6,
      maxReceiveCount: 3,
      redeliveryBaseSeconds: 1,
      redeliveryMaxSeconds: 1,
      retentionDays: 4,
      dlqRetentionDays: 14,
    },
    ...overrides,
  });
}

/** The stacks users deploy for `config`: the hub first, then every region (synthesized in memory). */
export function synthesizedStacks(config: HubConfig): StackDocument[] {
  const app = synthApp(config);
  return app.names.filter((name) => name !== 'org').map((name) => ({ name, json: app.stack(name) }));
}

/** What a deployed hub offers the tests. */
export interface DeployedHub {
  readonly config: HubConfig;
  /** Clients of one region, acting as the hub account. */
  clients(region: string): AwsClients;
  readonly hub: AwsClients;
  readonly queue: { readonly url: string; readonly arn: string };
  readonly dlq: { readonly url: string; readonly arn: string };
  /** The synthesized event source mapping and function settings the poller copies. */
  readonly mapping: Pick<
    EventSourcePollerOptions,
    'batchSize' | 'maximumBatchingWindowSeconds' | 'reportBatchItemFailures' | 'functionTimeoutMs'
  >;
  /** The consumer function's environment, references resolved to the moto resources. */
  readonly environment: Readonly<Record<string, string>>;
}

/** A hub created by the hand-written provisioner (test/support/provision.ts). */
export interface ProvisionedHub extends DeployedHub {
  readonly provisioned: Provisioned;
}

/** Provisions `stacks` in moto and finds the hub's queue, DLQ, mapping settings and function environment. */
export async function deployHub(
  endpoint: string,
  config: HubConfig,
  stacks = synthesizedStacks(config),
): Promise<ProvisionedHub> {
  const provisioned = await provision(stacks, { endpoint, accountId: config.hub.account });
  const outputs = provisioned.outputs('hub');
  const [mapping] = provisioned.argumentsOf('hub', 'aws_lambda_event_source_mapping');
  const [fn] = provisioned.argumentsOf('hub', 'aws_lambda_function');
  if (mapping === undefined || fn === undefined)
    throw new Error('the hub stack has no consumer function or event source mapping');
  return {
    config,
    provisioned,
    clients: (region) => provisioned.clients(region),
    hub: provisioned.clients(config.hub.region),
    queue: { url: outputs.hub_queue_url!, arn: outputs.hub_queue_arn! },
    dlq: { url: outputs.dlq_url!, arn: outputs.dlq_arn! },
    mapping: {
      batchSize: Number(mapping.batch_size ?? 10),
      maximumBatchingWindowSeconds: Number(mapping.maximum_batching_window_in_seconds ?? 0),
      reportBatchItemFailures: ((mapping.function_response_types as string[] | undefined) ?? []).includes(
        'ReportBatchItemFailures',
      ),
      functionTimeoutMs: Number(fn.timeout ?? 3) * 1000,
    },
    environment: ((fn.environment as { variables?: Record<string, string> } | undefined)?.variables ?? {}) as Record<
      string,
      string
    >,
  };
}

/** Publishes findings on `region`'s default bus as GuardDuty does (source `aws.guardduty`, detail-type `GuardDuty Finding`). */
export async function publishFindings(
  deployed: DeployedHub,
  region: string,
  details: readonly object[],
): Promise<void> {
  const events = deployed.clients(region).events;
  for (let i = 0; i < details.length; i += 10) {
    const entries = details
      .slice(i, i + 10)
      .map((detail) => ({ Source: 'aws.guardduty', DetailType: 'GuardDuty Finding', Detail: JSON.stringify(detail) }));
    const result = await events.send(new PutEventsCommand({ Entries: entries }));
    if ((result.FailedEntryCount ?? 0) > 0)
      throw new Error(`PutEvents refused entries: ${JSON.stringify(result.Entries)}`);
  }
}

/** Receives (and leaves in flight) every visible message of a queue. */
export async function receiveAll(sqs: AwsClients['sqs'], queueUrl: string): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 30,
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) return all;
    all.push(...Messages);
  }
}

/** Reads every visible message of a queue and makes them visible again at once (a look that leaves them in place). */
export async function peekAll(sqs: AwsClients['sqs'], queueUrl: string): Promise<Message[]> {
  const messages = await receiveAll(sqs, queueUrl);
  for (let i = 0; i < messages.length; i += 10) {
    const entries = messages
      .slice(i, i + 10)
      .map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 }));
    await sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
  }
  return messages;
}

/** The `detail.id` of each EventBridge event in `messages`, sorted. */
export function findingIdsOf(messages: readonly Message[]): string[] {
  return messages
    .map((message) => (JSON.parse(message.Body ?? '{}') as { detail?: { id?: string } }).detail?.id ?? '?')
    .sort();
}

/** Stores each destination's simulator URL in its webhook secret (the operator's `secrets set`). */
export async function storeWebhooks(deployed: DeployedHub, slack: SlackSimulator): Promise<Record<string, string>> {
  const paths: Record<string, string> = {};
  for (const [destination, { webhookSecret }] of Object.entries(deployed.config.destinations)) {
    paths[destination] = `/services/T000/B000/${destination}`;
    await deployed.hub.secrets.send(
      new PutSecretValueCommand({ SecretId: webhookSecret, SecretString: slack.url(paths[destination]) }),
    );
  }
  return paths;
}

/**
 * The consumer wired as in Lambda: webhooks from Secrets Manager, repeat state in the deployed
 * table (`STATE_TABLE_NAME` of the function environment), visibility changes on the hub queue.
 */
export interface RunningConsumer {
  readonly handler: ConsumerHandler;
  readonly poller: EventSourcePoller;
  readonly powertools: CapturedPowertools;
}

/**
 * The consumer (`createHandler`) over a queue, driven by the event source poller with the
 * synthesized mapping settings. `queue` defaults to the hub queue; `sqs` to the moto hub clients.
 * Visibility timeouts are shortened to 1 s so that retries and the DLQ take seconds.
 */
export function startConsumer(
  deployed: DeployedHub,
  options: {
    readonly queue?: { url: string; arn: string };
    readonly dlqUrl?: string;
    readonly sqs?: AwsClients['sqs'];
    /** The poller's receive visibility, in seconds. Default 1 (retries in seconds); longer than an invocation keeps a record from being received twice. */
    readonly visibilityTimeoutSeconds?: number;
    /** The silences the consumer applies. Default: the handler's own (the config's). */
    readonly silences?: HandlerOptions['silences'];
  } = {},
): RunningConsumer {
  const queue = options.queue ?? deployed.queue;
  const sqs = options.sqs ?? deployed.hub.sqs;
  const powertools = capturePowertools();
  const handler = createHandler({
    config: deployed.config,
    webhooks: secretsManagerWebhooks(
      deployed.config.destinations,
      async (secretId) => {
        return (await deployed.hub.secrets.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString;
      },
      { allowedHosts: ['127.0.0.1'] },
    ), // the Slack simulator: plain http, allowed only to a listed loopback host
    sqs,
    queueUrl: queue.url,
    deadLetterQueueUrl: options.dlqUrl ?? deployed.dlq.url,
    repeats: createRepeatGate({
      settings: deployed.config.repeats,
      store: new DynamoStateStore({ client: deployed.hub.dynamodb, tableName: deployed.environment.STATE_TABLE_NAME! }),
      claimSeconds: claimSecondsFor(deployed.config),
    }),
    canaries: dynamoCanaryStore({ client: deployed.hub.dynamodb, tableName: deployed.environment.STATE_TABLE_NAME! }),
    logger: powertools.logger,
    metrics: powertools.metrics,
    instanceShare: 1,
    safetyMarginMs: 300,
    minVisibilitySeconds: 1,
    ...(options.silences === undefined ? {} : { silences: options.silences }),
  });
  const poller = new EventSourcePoller({
    sqs,
    queueUrl: queue.url,
    queueArn: queue.arn,
    awsRegion: deployed.config.hub.region,
    handler,
    ...deployed.mapping,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 1,
    idleDelayMs: 50,
  });
  return { handler, poller, powertools };
}

/** The hub deployed afresh in moto for each test, with a Slack simulator; see {@link useDeployedHub}. */
export interface HubTestContext {
  /** This test's config: {@link integrationConfig} in an account of its own. */
  readonly config: HubConfig;
  readonly stacks: StackDocument[];
  readonly deployed: ProvisionedHub;
  readonly slack: SlackSimulator;
}

/**
 * Registers the hooks of an integration test file. Before each test: a config in a fresh account
 * (moto keeps accounts apart, so tests in parallel files never see each other and nothing needs a
 * reset), its stacks synthesized (~0.1 s) and provisioned, and a Slack simulator (50 messages/s, so
 * Slack's own rate never slows a test). After it, both are closed. Read the fields inside tests and hooks.
 */
export function useDeployedHub(overrides: Record<string, unknown> = {}): HubTestContext {
  const endpoint = inject('motoEndpoint');
  let current: HubTestContext | undefined;
  beforeEach(async () => {
    const config = integrationConfig({ hub: { account: uniqueAccountId(), region: HUB_REGION }, ...overrides });
    const stacks = synthesizedStacks(config);
    const deployed = await deployHub(endpoint, config, stacks);
    current = { config, stacks, deployed, slack: await startSlackSimulator({ ratePerSecond: 50, burst: 20 }) };
  });
  afterEach(async () => {
    current?.deployed.provisioned.destroy();
    await current?.slack.close();
    current = undefined;
  });
  const ready = (): HubTestContext => {
    if (current === undefined) throw new Error('useDeployedHub: read the context inside tests and hooks');
    return current;
  };
  return {
    get config() {
      return ready().config;
    },
    get stacks() {
      return ready().stacks;
    },
    get deployed() {
      return ready().deployed;
    },
    get slack() {
      return ready().slack;
    },
  };
}

/** Of `ids`, those found in a request Slack accepted on `path` (every rendering links to its finding), sorted. */
export function deliveredIds(slack: SlackSimulator, path: string, ids: readonly string[]): string[] {
  const bodies = slack.accepted(path).map((request) => request.raw);
  return ids.filter((id) => bodies.some((raw) => raw.includes(id))).sort();
}
