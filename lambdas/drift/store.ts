import { driftKey } from '../../core/state-keys.ts';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DriftState } from '../../core/kinds/drift/types.ts';

/** Where the last state of each region is kept (the finding-state table, items `drift#<region>`). */
export interface DriftStateStore {
  load(region: string): Promise<DriftState>;
  save(region: string, state: DriftState): Promise<void>;
}

/** The DynamoDB client the store sends its `GetItem` and `PutItem` commands through. */
export type DynamoLike = Pick<DynamoDBClient, 'send'>;

export { driftKey } from '../../core/state-keys.ts';

/**
 * {@link DriftStateStore} on the finding-state table: one item per region, `pk = drift#<region>`,
 * `subjects` a JSON object of subject → status. No `expiresAt`: drift state must not expire.
 */
export function dynamoDriftStore(options: {
  readonly client: DynamoLike;
  readonly tableName: string;
}): DriftStateStore {
  const sdk = import('@aws-sdk/client-dynamodb');
  return {
    async load(region) {
      const { GetItemCommand } = await sdk;
      const { Item } = await options.client.send(
        new GetItemCommand({
          TableName: options.tableName,
          Key: { pk: { S: driftKey(region) } },
          ConsistentRead: true,
        }),
      );
      const raw = Item?.subjects?.S;
      return new Map(raw === undefined ? [] : Object.entries(JSON.parse(raw) as Record<string, string>));
    },
    async save(region, state) {
      const { PutItemCommand } = await sdk;
      const subjects = JSON.stringify(Object.fromEntries(state));
      await options.client.send(
        new PutItemCommand({
          TableName: options.tableName,
          Item: { pk: { S: driftKey(region) }, subjects: { S: subjects } },
        }),
      );
    },
  };
}

/** An in-memory {@link DriftStateStore}, for tests and dry runs. */
export function memoryDriftStore(): DriftStateStore & { readonly states: Map<string, DriftState> } {
  const states = new Map<string, DriftState>();
  return {
    states,
    load: async (region) => states.get(region) ?? new Map(),
    save: async (region, state) => void states.set(region, new Map(state)),
  };
}
