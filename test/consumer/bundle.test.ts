import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { DynamoStateStore, findingKey } from '../../consumer/repeats/index.ts';
import { BUNDLE_FILES, REPO_ROOT, buildConsumerBundle } from '../../stacks/bundle/index.ts';
import { makeFindingEvent, makeHubConfig, makeSqsEvent, makeSqsRecord } from '../factories/index.ts';
import { FAKE_CREDENTIALS, localClientConfig } from '../support/aws.ts';
import { webhookPath } from '../support/consumer-harness.ts';
import { startSlackSimulator, type SlackSimulator } from '../support/slack-simulator.ts';
import { ensureStateTable } from '../integration/repeats-table.ts';
import { linkOf, republish } from './repeats-handler-support.ts';

// The built Lambda bundle end to end: esbuild output and hub-config.json in a temp folder, imported by
// the test, configured only through the Lambda environment. AWS_ENDPOINT_URL points its SDK clients at moto, where the webhook secrets (holding
// Slack simulator URLs) and the repeat state table live. moto's default account: the bundle cannot
// send the account header the other moto tests use, so names here are unique to this run instead.

type BundleHandler = (event: SQSEvent, context: { getRemainingTimeInMillis(): number; awsRequestId?: string }) => Promise<SQSBatchResponse>;

const REGION = 'us-west-2';
const endpoint = inject('motoEndpoint');
const run = randomUUID().slice(0, 8);
const TABLE = `guardduty-hub-state-bundle-${run}`;
const secretName = (destination: string) => `guardduty-hub-bundle-${run}/slack/${destination}`;

const importBundle = (url: string) => import(/* @vite-ignore */ url) as Promise<{ handler: BundleHandler }>;

let dir: string;
let simulator: SlackSimulator;
let handler: BundleHandler;
const dynamodb = new DynamoDBClient(localClientConfig(endpoint, REGION));
const secrets = new SecretsManagerClient(localClientConfig(endpoint, REGION));

beforeAll(async () => {
  simulator = await startSlackSimulator({ ratePerSecond: 50, burst: 10 });
  const config = makeHubConfig({
    delivery: { messagesPerSecond: 50, burst: 10, allowedWebhookHosts: ['127.0.0.1'] },
    destinations: { security: { webhookSecret: secretName('security') }, 'team-a': { webhookSecret: secretName('team-a') } },
  });
  for (const destination of Object.keys(config.destinations)) {
    await secrets.send(new CreateSecretCommand({ Name: secretName(destination), SecretString: simulator.url(webhookPath(destination)) }));
  }
  await ensureStateTable(dynamodb, TABLE);

  dir = mkdtempSync(join(tmpdir(), 'consumer-bundle-'));
  buildConsumerBundle({ config, outDir: dir });
  // The Lambda runtime provides the AWS SDK, which the bundle leaves out; here it comes from the repo.
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');

  vi.stubEnv('AWS_ENDPOINT_URL', endpoint);
  vi.stubEnv('AWS_REGION', REGION);
  vi.stubEnv('AWS_ACCESS_KEY_ID', FAKE_CREDENTIALS.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', FAKE_CREDENTIALS.secretAccessKey);
  vi.stubEnv('STATE_TABLE_NAME', TABLE);
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'guardduty-hub');
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'GuardDutyHub');
  vi.stubEnv('LOG_LEVEL', 'ERROR');
  ({ handler } = await importBundle(pathToFileURL(join(dir, BUNDLE_FILES.code)).href));
}, 60_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  await simulator?.close();
  dynamodb.destroy();
  secrets.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Invokes the bundle's handler with `records`, 20 s left, while keeping its EMF lines off the test output. */
async function invoke(event: SQSEvent): Promise<{ response: SQSBatchResponse; emf: Record<string, unknown>[] }> {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(...String(chunk).split('\n').filter((line) => line.trim() !== ''));
    return true;
  });
  try {
    const deadline = Date.now() + 20_000;
    const response = await handler(event, { getRemainingTimeInMillis: () => deadline - Date.now(), awsRequestId: randomUUID() });
    return { response, emf: lines.filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line) as Record<string, unknown>) };
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
    expect(repeated.emf[0]).toMatchObject({ FindingsDelivered: 0, 'FindingsSkipped_repeat': 1, RepeatStoreErrors: 0 });
    const stored = await new DynamoStateStore({ client: dynamodb, tableName: TABLE }).read([findingKey(first.detail)]);
    expect(stored.get(findingKey(first.detail))?.notified).toMatchObject({ count: 1, destination: 'security' });
  });
});
