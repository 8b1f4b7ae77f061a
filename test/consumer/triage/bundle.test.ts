import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { requestKey } from '../../../lambdas/triage/index.ts';
import { DynamoStateStore } from '../../../core/repeats/index.ts';
import { localClientConfig } from '../../support/aws.ts';
import { importLambdaBundle } from '../../support/lambda-bundle.ts';
import { formBody, slackHeaders, urlEvent } from '../../../devkit/slack/interactivity.ts';
import { ensureStateTable } from '../../integration/repeats-table.ts';
import { SIGNING_SECRET, triageConfig } from './triage-support.ts';

// The built bundle's `triageHandler` (the stack's `index.triageHandler`) with its real wiring: the
// signing secret from Secrets Manager and the replay marks in the state table, both on moto. Only the
// front is driven (a click on no triage button is answered and handed nowhere), so nothing here calls
// Slack: the worker needs Slack's real Web API, which tests never reach.

type TriageBundleHandler = (event: object) => Promise<{ statusCode: number } | string | undefined>;

const REGION = 'us-west-2';
const endpoint = inject('motoEndpoint');
const run = randomUUID().slice(0, 8);
const TABLE = `guardduty-hub-state-triage-bundle-${run}`;
const SECRET = `guardduty-hub-triage-bundle-${run}/signing-secret`;
const dynamodb = new DynamoDBClient(localClientConfig(endpoint, REGION));
const secrets = new SecretsManagerClient(localClientConfig(endpoint, REGION));
let bundle: { close(): void } | undefined;
let triageHandler: TriageBundleHandler;

beforeAll(async () => {
  const config = triageConfig({ triage: { signingSecret: SECRET, allow: { archive: ['U0ALICE001'] } } });
  await secrets.send(
    new CreateSecretCommand({ Name: SECRET, SecretString: JSON.stringify({ signingSecret: SIGNING_SECRET }) }),
  );
  await ensureStateTable(dynamodb, TABLE);
  const built = await importLambdaBundle<{ triageHandler: TriageBundleHandler }>(config, {
    endpoint,
    region: REGION,
    env: { STATE_TABLE_NAME: TABLE, LOG_LEVEL: 'SILENT' },
  });
  bundle = built;
  ({ triageHandler } = built.module);
}, 60_000);

afterAll(() => {
  bundle?.close();
  dynamodb.destroy();
  secrets.destroy();
});

describe('the bundled triage function', () => {
  it('verifies with the signing secret from Secrets Manager and marks each request in the state table, refusing its replay', async () => {
    const body = formBody({
      type: 'block_actions',
      user: { id: 'U0ALICE001' },
      channel: { id: 'C0ALERTS01' },
      message: { ts: '1700000000.000100', text: 'x' },
      response_url: 'https://hooks.slack.com/actions/T0/1/x',
      actions: [{ type: 'button', action_id: 'not-a-triage-button', value: 'x' }],
    });
    const headers = slackHeaders(body, SIGNING_SECRET, Math.floor(Date.now() / 1000));

    const first = await triageHandler(urlEvent(body, headers));
    const replay = await triageHandler(urlEvent(body, headers));
    const forged = await triageHandler(
      urlEvent(body, slackHeaders(body, 'e'.repeat(32), Math.floor(Date.now() / 1000))),
    );

    expect([first, replay, forged]).toMatchObject([{ statusCode: 200 }, { statusCode: 401 }, { statusCode: 401 }]);
    const marks = await new DynamoStateStore({ client: dynamodb, tableName: TABLE }).read([
      requestKey(headers['x-slack-signature']!),
    ]);
    expect(marks.size).toBe(1);
  });
});
