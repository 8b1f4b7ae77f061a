import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoStateStore, NO_METRICS, SILENT_LOGGER, claimSecondsFor, createHandler, createRepeatGate, secretsManagerWebhooks } from '../../../consumer/index.ts';
import { dlqName, hubQueueName, loadConfig, stateTableName, type HubConfig } from '../../../shared/index.ts';
import { readReplayEvents } from '../../replay/index.ts';
import { UsageError } from '../../errors.ts';
import { drainQueue } from './drain.ts';
import { sandboxWebhookPath } from './up.ts';
import { slackRequests } from './slack.ts';
import type { SandboxState } from './state.ts';

/** What `sandbox publish` did and what each destination received. */
export interface PublishReport {
  /** Events put on a default bus, by region. */
  readonly published: Readonly<Record<string, number>>;
  /** Events not published, with the reason. */
  readonly skipped: readonly { readonly source: string; readonly reason: string }[];
  /** Consumer invocations over the hub queue. */
  readonly invocations: number;
  /** Per destination: the Slack messages it received during this publish (their `text`). */
  readonly received: Readonly<Record<string, readonly string[]>>;
  readonly attention: readonly string[];
}

interface ParsedEvent {
  readonly detail?: { readonly region?: string };
  readonly region?: string;
}

/** Puts each event on its region's default bus, drains the hub queue with the consumer, reports Slack. */
export async function sandboxPublish(dir: string, state: SandboxState, paths: readonly string[]): Promise<PublishReport> {
  const config = loadConfig(state.configPath);
  const credentials = state.credentials[state.account];
  if (credentials === undefined) throw new UsageError('the sandbox state has no credentials for the hub account: run sandbox up again');
  const client = { endpoint: state.endpoint, credentials, maxAttempts: 1 };
  const events = await readReplayEvents(paths);
  const before = slackRequests(dir).length;
  const published: Record<string, number> = {};
  const skipped: { source: string; reason: string }[] = [];
  for (const event of events) {
    const parsed = JSON.parse(event.body) as ParsedEvent;
    const region = parsed.detail?.region ?? parsed.region;
    if (region === undefined || !config.regions.includes(region)) {
      skipped.push({ source: event.source, reason: `region ${region ?? '(none)'} is not in the config's regions (${config.regions.join(', ')})` });
      continue;
    }
    const bus = new EventBridgeClient({ ...client, region });
    const detail = (parsed as { detail?: unknown }).detail ?? parsed;
    const result = await bus.send(new PutEventsCommand({ Entries: [{ Source: 'aws.guardduty', DetailType: 'GuardDuty Finding', Detail: JSON.stringify(detail) }] }));
    if ((result.FailedEntryCount ?? 0) > 0) skipped.push({ source: event.source, reason: `PutEvents refused it: ${result.Entries?.[0]?.ErrorMessage ?? 'unknown'}` });
    else published[region] = (published[region] ?? 0) + 1;
  }
  const drained = await runConsumer(config, state, client);
  // The Slack daemon writes what it received every 100 ms (slack-daemon.ts): let three writes pass.
  await new Promise((resolve) => setTimeout(resolve, DAEMON_FLUSHES_MS));
  const received = receivedSince(dir, before, config);
  const attention = drained.failedRecords > 0 ? [`${drained.failedRecords} record(s) were handed back for a retry; they stay in the hub queue (see 'guardduty-hub status') and reach the DLQ after queue.maxReceiveCount receives`] : [];
  return { published, skipped, invocations: drained.invocations, received, attention };
}

async function runConsumer(config: HubConfig, state: SandboxState, client: { endpoint: string; credentials: { accessKeyId: string; secretAccessKey: string }; maxAttempts: number }) {
  const region = config.hub.region;
  const sqs = new SQSClient({ ...client, region });
  const secrets = new SecretsManagerClient({ ...client, region });
  const names = { queue: hubQueueName(config), dlq: dlqName(config), stateTable: stateTableName(config) };
  const queueUrl = `${state.endpoint}/${config.hub.account}/${names.queue}`;
  // The destinations' secrets hold the sandbox's own Slack simulator, on loopback (http): allowed here.
  const allowedHosts = [...config.delivery.allowedWebhookHosts, '127.0.0.1'];
  const handler = createHandler({
    config,
    webhooks: secretsManagerWebhooks(config.destinations, async (id) => (await secrets.send(new GetSecretValueCommand({ SecretId: id }))).SecretString, {
      allowedHosts,
    }),
    sqs,
    queueUrl,
    deadLetterQueueUrl: `${state.endpoint}/${config.hub.account}/${names.dlq}`,
    instanceShare: 1,
    repeats: createRepeatGate({
      settings: config.repeats,
      store: new DynamoStateStore({ client: new DynamoDBClient({ ...client, region }), tableName: names.stateTable }),
      claimSeconds: claimSecondsFor(config),
    }),
    logger: SILENT_LOGGER,
    metrics: NO_METRICS,
  });
  return drainQueue({
    sqs,
    queueUrl,
    queueArn: `arn:aws:sqs:${region}:${config.hub.account}:${names.queue}`,
    region,
    handler,
    batchSize: config.delivery.batchSize,
    functionTimeoutMs: config.consumer.timeoutSeconds * 1000,
  });
}

/** Three of the Slack daemon's 100 ms writes of what it received. */
const DAEMON_FLUSHES_MS = 300;

function receivedSince(dir: string, before: number, config: HubConfig): Record<string, string[]> {
  const requests = slackRequests(dir).slice(before).filter((r) => r.status === 200);
  return Object.fromEntries(
    Object.keys(config.destinations).map((destination) => [
      destination,
      requests.filter((r) => r.path === sandboxWebhookPath(destination)).map((r) => String((JSON.parse(r.raw) as { text?: string }).text ?? '')),
    ]),
  );
}
