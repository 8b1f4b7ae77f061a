import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { FINDING_HISTORY_INDEX } from '../../shared/index.ts';
import { FINDING_HISTORY_PROJECTION } from '../../stacks/hub/state-table.ts';
import { actAs, localClientConfig } from '../support/aws.ts';

/**
 * The repeat state table on moto, for the tests of the DynamoDB state store and of the handler over it.
 *
 * DynamoDB applies each conditional write atomically; moto's threaded server does not (two UpdateItem
 * calls on one item can both pass their condition). So every client made here sends one request at a
 * time through one shared lock: operations of two "instances" still interleave as in production (both
 * read, then both claim), and each write is atomic, as DynamoDB guarantees.
 */
export interface StateTableClients {
  /** A new client (one consumer instance's), serialized with every other client of this set. */
  client(): DynamoDBClient;
  /** Closes every client made. */
  destroy(): void;
}

/** Clients for `endpoint` in `region`, acting as `accountId` when given (moto keeps accounts apart). */
export function stateTableClients(endpoint: string, region: string, accountId?: string): StateTableClients {
  const made: DynamoDBClient[] = [];
  let inFlight: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(task: () => Promise<T>): Promise<T> => {
    const result = inFlight.then(task, task);
    inFlight = result.catch(() => undefined);
    return result;
  };
  return {
    client() {
      const client = new DynamoDBClient(localClientConfig(endpoint, region));
      if (accountId !== undefined) actAs(client, accountId);
      client.middlewareStack.add((next) => (args) => oneAtATime(() => next(args)), {
        step: 'finalizeRequest',
        name: 'oneRequestAtATime',
      });
      made.push(client);
      return client;
    },
    destroy: () => {
      for (const client of made) client.destroy();
    },
  };
}

/** Creates the table as the hub stack does (PAY_PER_REQUEST, hash key `pk` (S), the finding-history index, TTL `expiresAt`) unless it exists. */
export async function ensureStateTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (error) {
    if (!(error instanceof Error && error.name === 'ResourceNotFoundException')) throw error;
  }
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: FINDING_HISTORY_INDEX.hashKey, AttributeType: 'S' },
          { AttributeName: FINDING_HISTORY_INDEX.rangeKey, AttributeType: 'N' },
        ],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [
          {
            IndexName: FINDING_HISTORY_INDEX.name,
            KeySchema: [
              { AttributeName: FINDING_HISTORY_INDEX.hashKey, KeyType: 'HASH' },
              { AttributeName: FINDING_HISTORY_INDEX.rangeKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...FINDING_HISTORY_PROJECTION] },
          },
        ],
      }),
    );
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      }),
    );
  } catch (error) {
    if (!(error instanceof Error && error.name === 'ResourceInUseException')) throw error;
  }
}
