import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DynamoStateStore, RepeatStateError, createRepeatGate } from '../../consumer/repeats/index.ts';
import { localClientConfig } from '../support/aws.ts';
import { describeStateStoreContract } from '../consumer/repeats-store-contract.ts';
import { DEFAULT_REPEATS, T0_MS, makeRouted } from '../consumer/repeats-fixtures.ts';

// The DynamoDB state store against moto on loopback: the same contract as the memory store, with two
// clients (two consumer instances) on one table shaped as the hub stack creates it.
//
// DynamoDB applies each conditional write atomically; moto's threaded server does not (two UpdateItem
// calls on one item can both pass their condition). So the clients here send one request at a time,
// through one shared lock: operations of the two "instances" still interleave as in production (both
// read, then both claim), and each write is atomic, as DynamoDB guarantees.

const endpoint = inject('motoEndpoint');
const REGION = 'us-west-2';
const TABLE = `guardduty-hub-state-repeats-${process.pid}`;
const clients: DynamoDBClient[] = [];
let inFlight: Promise<unknown> = Promise.resolve();

/** Runs `task` after every request sent before it has been answered. */
function oneAtATime<T>(task: () => Promise<T>): Promise<T> {
  const result = inFlight.then(task, task);
  inFlight = result.catch(() => undefined);
  return result;
}

function newClient(): DynamoDBClient {
  const client = new DynamoDBClient(localClientConfig(endpoint, REGION));
  client.middlewareStack.add((next) => (args) => oneAtATime(() => next(args)), {
    step: 'finalizeRequest',
    name: 'oneRequestAtATime',
  });
  clients.push(client);
  return client;
}

/** Creates the table (PAY_PER_REQUEST, hash key `pk`, TTL `expiresAt`) unless it exists. */
async function ensureTable(client: DynamoDBClient): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: TABLE }));
    return;
  } catch (error) {
    if (!(error instanceof Error && error.name === 'ResourceNotFoundException')) throw error;
  }
  try {
    await client.send(
      new CreateTableCommand({
        TableName: TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: TABLE,
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      }),
    );
  } catch (error) {
    if (!(error instanceof Error && error.name === 'ResourceInUseException')) throw error;
  }
}

afterAll(() => {
  for (const client of clients) client.destroy();
});

// Other files reset moto between their tests; each test makes sure the table is there.
describeStateStoreContract('DynamoStateStore on moto', async () => {
  const [first, second] = [newClient(), newClient()];
  await ensureTable(first);
  return {
    stores: [
      new DynamoStateStore({ client: first, tableName: TABLE }),
      new DynamoStateStore({ client: second, tableName: TABLE }),
    ],
  };
});

describe('DynamoStateStore failures', () => {
  it('reports a missing table as a RepeatStateError, and the gate fails open', async () => {
    const store = new DynamoStateStore({ client: newClient(), tableName: `${TABLE}-missing` });
    const gate = createRepeatGate({ settings: DEFAULT_REPEATS, store });
    const routed = makeRouted();

    const result = await gate.filter([routed], T0_MS);

    expect(result.notify.map((group) => group.finding.id)).toEqual([routed.finding.id]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toBeInstanceOf(RepeatStateError);
    expect(result.errors[0]?.operation).toBe('read');
  });
});
