import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { DynamoStateStore, findingKey } from '../../core/repeats/index.ts';
import { makeFindingEvent, makeHubConfig, makeSqsEvent, makeSqsRecord } from '../factories/index.ts';
import { localClientConfig } from '../support/aws.ts';
import { importLambdaBundle } from '../support/lambda-bundle.ts';
import { webhookPath } from '../support/consumer-harness.ts';
import { startSlackSimulator, type SlackSimulator } from '../../devkit/slack/webhook-simulator.ts';
import { ensureStateTable } from '../integration/repeats-table.ts';
import { linkOf, republish } from './repeats-handler-support.ts';

// The built Lambda bundle end to end: esbuild output and hub-config.json in a temp folder, imported by
// the test, configured only through the Lambda environment. AWS_ENDPOINT_URL points its SDK clients at moto, where the webhook secrets (holding
// Slack simulator URLs) and the repeat state table live. moto's default account: the bundle cannot
// send the account header the other moto tests use, so names here are unique to this run instead.

type BundleHandler = (
  event: SQSEvent,
  context: { getRemainingTimeInMillis(): number; awsRequestId?: string },
) => Promise<SQSBatchResponse>;

const REGION = 'us-west-2';
const endpoint = inject('motoEndpoint');
const run = randomUUID().slice(0, 8);
const TABLE = `guardduty-hub-state-bundle-${run}`;
const secretName = (destination: string) => `guardduty-hub-bundle-${run}/slack/${destination}`;

let bundle: { close(): void } | undefined;
let simulator: SlackSimulator;
let handler: BundleHandler;
const dynamodb = new DynamoDBClient(localClientConfig(endpoint, REGION));
const secrets = new SecretsManagerClient(localClientConfig(endpoint, REGION));

beforeAll(async () => {
  simulator = await startSlackSimulator({ ratePerSecond: 50, burst: 10 });
  const config = makeHubConfig({
    delivery: { messagesPerSecond: 50, burst: 10, allowedWebhookHosts: ['127.0.0.1'] },
    destinations: {
      security: { webhookSecret: secretName('security') },
      'team-a': { webhookSecret: secretName('team-a') },
    },
  });
  for (const destination of Object.keys(config.destinations)) {
    await secrets.send(
      new CreateSecretCommand({ Name: secretName(destination), SecretString: simulator.url(webhookPath(destination)) }),
    );
  }
  await ensureStateTable(dynamodb, TABLE);

  const built = await importLambdaBundle<{ handler: BundleHandler }>(config, {
    endpoint,
    region: REGION,
    env: {
      STATE_TABLE_NAME: TABLE,
      POWERTOOLS_SERVICE_NAME: 'guardduty-hub',
      POWERTOOLS_METRICS_NAMESPACE: 'GuardDutyHub',
      LOG_LEVEL: 'ERROR',
    },
  });
  bundle = built;
  ({ handler } = built.module);
}, 60_000);

afterAll(async () => {
  bundle?.close();
  await simulator?.close();
  dynamodb.destroy();
  secrets.destroy();
});

/** Invokes the bundle's handler with `records`, 20 s left, while keeping its EMF lines off the test output. */
async function invoke(event: SQSEvent): Promise<{ response: SQSBatchResponse; emf: Record<string, unknown>[] }> {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(
      ...String(chunk)
        .split('\n')
        .filter((line) => line.trim() !== ''),
    );
    return true;
  });
  try {
    const deadline = Date.now() + 20_000;
    const response = await handler(event, {
      getRemainingTimeInMillis: () => deadline - Date.now(),
      awsRequestId: randomUUID(),
    });
    return {
      response,
      emf: lines.filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line) as Record<string, unknown>),
    };
  } finally {
    spy.mockRestore();
  }
}

describe('the built consumer bundle', () => {
  it('delivers a finding with webhooks from Secrets Manager and records it in the state table, then skips its repeat', async () => {
    const first = makeFindingEvent();

    const delivered = await invoke(makeSqsEvent([makeSqsRecord(first)]));
    const repeated = await invoke(makeSqsEvent([makeSqsRecord(republish(first, 2))]));

    expect(delivered.response.batchItemFailures).toEqual([]);
    expect(repeated.response.batchItemFailures).toEqual([]);
    const received = simulator.accepted(webhookPath('security'));
    expect(received).toHaveLength(1);
    expect(received[0]!.raw).toContain(linkOf(first));
    expect(delivered.emf[0]).toMatchObject({ FindingsDelivered: 1, SlackMessages: 1, RepeatStoreErrors: 0 });
    expect(repeated.emf[0]).toMatchObject({ FindingsDelivered: 0, FindingsSkipped_repeat: 1, RepeatStoreErrors: 0 });
    const stored = await new DynamoStateStore({ client: dynamodb, tableName: TABLE }).read([findingKey(first.detail)]);
    expect(stored.get(findingKey(first.detail))?.notified).toMatchObject({ count: 1, destination: 'security' });
  });
});
