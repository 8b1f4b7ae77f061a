import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BundledConfigError,
  lazySqsClient,
  loadBundledConfig,
  queueUrlsFromEnv,
  secretsManagerResolver,
} from '../../lambdas/runtime.ts';
import { makeHubConfig } from '../factories/index.ts';

const secrets = mockClient(SecretsManagerClient);
const sqs = mockClient(SQSClient);
let dir: string | undefined;
afterEach(() => {
  secrets.reset();
  sqs.reset();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('consumer runtime wiring', () => {
  it('reads hub-config.json beside the bundle', async () => {
    dir = mkdtempSync(join(tmpdir(), 'bundle-'));
    const config = makeHubConfig();
    writeFileSync(join(dir, 'hub-config.json'), JSON.stringify(config));

    const loaded = await loadBundledConfig(pathToFileURL(join(dir, 'hub-config.json')));

    expect(loaded).toEqual(config);
  });

  it('refuses a missing or foreign bundled config', async () => {
    dir = mkdtempSync(join(tmpdir(), 'bundle-'));
    writeFileSync(join(dir, 'hub-config.json'), JSON.stringify({ hello: 'world' }));

    await expect(loadBundledConfig(pathToFileURL(join(dir, 'missing.json')))).rejects.toBeInstanceOf(
      BundledConfigError,
    );
    await expect(loadBundledConfig(pathToFileURL(join(dir, 'hub-config.json')))).rejects.toThrow(
      /has no defaults, destinations/,
    );
  });

  it('reads a destination webhook from its Secrets Manager secret once per instance', async () => {
    secrets
      .on(GetSecretValueCommand, { SecretId: 'guardduty-hub/slack/team-a' })
      .resolves({ SecretString: 'https://hooks.slack.com/services/T0/B0/x' });
    const webhooks = secretsManagerResolver(makeHubConfig());

    const first = await webhooks.webhookUrl('team-a');
    const second = await webhooks.webhookUrl('team-a');

    expect(first).toBe('https://hooks.slack.com/services/T0/B0/x');
    expect(second).toBe(first);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('accepts a host from a secret only when delivery.allowedWebhookHosts names it', async () => {
    secrets
      .on(GetSecretValueCommand, { SecretId: 'guardduty-hub/slack/team-a' })
      .resolves({ SecretString: 'https://hooks.example.test/services/T0/B0/x' });

    const strict = secretsManagerResolver(makeHubConfig()).webhookUrl('team-a');
    const allowing = secretsManagerResolver(
      makeHubConfig({ delivery: { allowedWebhookHosts: ['hooks.example.test'] } }),
    ).webhookUrl('team-a');

    await expect(strict).rejects.toMatchObject({ name: 'WebhookRefusedError', permanent: true, destination: 'team-a' });
    await expect(allowing).resolves.toBe('https://hooks.example.test/services/T0/B0/x');
  });

  it('sends ChangeMessageVisibility through a lazily created SQS client', async () => {
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
    const client = lazySqsClient();

    await client.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: 'https://q', ReceiptHandle: 'r', VisibilityTimeout: 30 }),
    );

    expect(sqs.commandCalls(ChangeMessageVisibilityCommand)[0]!.args[0].input).toMatchObject({ VisibilityTimeout: 30 });
  });
});

describe('queue URLs from the Lambda environment', () => {
  it('reads the hub queue from HUB_QUEUE_URL and the DLQ from HUB_DLQ_URL, the variables the hub stack sets', () => {
    const env = { HUB_QUEUE_URL: 'http://127.0.0.1:1/q', HUB_DLQ_URL: 'http://127.0.0.1:1/dlq' };

    const urls = queueUrlsFromEnv(env);

    expect(urls).toEqual({ queueUrl: 'http://127.0.0.1:1/q', deadLetterQueueUrl: 'http://127.0.0.1:1/dlq' });
  });

  it('treats an empty or missing variable as unset', () => {
    const urls = queueUrlsFromEnv({ HUB_QUEUE_URL: '' });

    expect(urls).toEqual({ queueUrl: undefined, deadLetterQueueUrl: undefined });
  });
});
