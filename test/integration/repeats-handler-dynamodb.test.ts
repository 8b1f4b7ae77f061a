import { afterAll, beforeAll, describe, inject, it } from 'vitest';
import { DynamoStateStore } from '../../core/repeats/index.ts';
import { uniqueAccountId } from '../support/aws.ts';
import { expectOneMessageFromRacingInstances } from '../consumer/repeats-handler-support.ts';
import { ensureStateTable, stateTableClients } from './repeats-table.ts';

// Two consumer handlers, each with its own repeat gate and its own DynamoDB client, sharing one state
// table on moto (shaped as the hub stack creates it), race on one finding: Slack gets one message.

const REGION = 'us-west-2';
const TABLE = 'guardduty-hub-state';
const clients = stateTableClients(inject('motoEndpoint'), REGION, uniqueAccountId());

beforeAll(async () => {
  await ensureStateTable(clients.client(), TABLE);
});
afterAll(() => clients.destroy());

describe('repeat gate over DynamoDB (moto) in the consumer handler', () => {
  it('lets exactly one of two racing instances notify a finding both received at once', async () => {
    const stores = [
      new DynamoStateStore({ client: clients.client(), tableName: TABLE }),
      new DynamoStateStore({ client: clients.client(), tableName: TABLE }),
    ] as const;

    await expectOneMessageFromRacingInstances(stores);
  });
});
