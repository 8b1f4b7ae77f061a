import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CANARY_ATTRIBUTES as A } from '../../shared/canary.ts';
import { canaryKey } from '../state-keys.ts';
import { byRegion, type CanaryCheckFields, type CanaryRecord, type CanaryStore } from './store.ts';

/** What {@link dynamoCanaryStore} needs. */
export interface DynamoCanaryStoreOptions {
  readonly client: Pick<DynamoDBClient, 'send'>;
  /** The state table (hash key `pk`). */
  readonly tableName: string;
}

let sdk: Promise<typeof import('@aws-sdk/client-dynamodb')> | undefined;
const commands = (): Promise<typeof import('@aws-sdk/client-dynamodb')> => {
  sdk ??= import('@aws-sdk/client-dynamodb');
  return sdk;
};

const NUMBER_FIELDS = [A.seenArrivals, A.seenAtMs, A.sentAtMs, A.firstSentAtMs] as const;

/**
 * A {@link CanaryStore} over the state table, one item per region (`pk = canary#<region>`, no expiry).
 * The consumer's `ADD` and the check's `SET` touch different attributes, so they never race.
 */
export function dynamoCanaryStore(options: DynamoCanaryStoreOptions): CanaryStore {
  const { client, tableName: TableName } = options;
  const key = (region: string) => ({ pk: { S: canaryKey(region) } });
  const update = async (region: string, expression: string, values?: Record<string, AttributeValue>) => {
    const { UpdateItemCommand } = await commands();
    await client.send(
      new UpdateItemCommand({
        TableName,
        Key: key(region),
        UpdateExpression: expression,
        ...(values === undefined || Object.keys(values).length === 0 ? {} : { ExpressionAttributeValues: values }),
      }),
    );
  };
  return {
    async arrived(arrivals) {
      for (const [region, { count, atMs, ids }] of byRegion(arrivals)) {
        await update(region, `ADD ${A.arrivals} :n, ${A.toArchive} :ids SET ${A.arrivedAtMs} = :at`, {
          ':n': { N: String(count) },
          ':ids': { SS: ids },
          ':at': { N: String(atMs) },
        });
      }
    },
    async load(region) {
      const { GetItemCommand } = await commands();
      const { Item } = await client.send(new GetItemCommand({ TableName, Key: key(region), ConsistentRead: true }));
      return recordOf(Item ?? {});
    },
    async update(region, fields) {
      const { expression, values } = checkFieldsUpdate(fields);
      if (expression !== '') await update(region, expression, values);
    },
    async archived(region, findingIds) {
      if (findingIds.length > 0)
        await update(region, `DELETE ${A.toArchive} :ids`, { ':ids': { SS: [...findingIds] } });
    },
  };
}

/** A canary item as a {@link CanaryRecord}. */
function recordOf(item: Record<string, AttributeValue>): CanaryRecord {
  const numbers = Object.fromEntries(
    [...NUMBER_FIELDS, A.arrivedAtMs].flatMap((name) =>
      item[name]?.N === undefined ? [] : [[name, Number(item[name].N)]],
    ),
  );
  const sendError = item[A.sendError]?.S;
  return {
    ...numbers,
    arrivals: Number(item[A.arrivals]?.N ?? 0),
    toArchive: item[A.toArchive]?.SS ?? [],
    ...(sendError === undefined ? {} : { sendError }),
  };
}

/** The `SET`/`REMOVE` expression of the check's fields. */
function checkFieldsUpdate(fields: CanaryCheckFields): { expression: string; values: Record<string, AttributeValue> } {
  const values: Record<string, AttributeValue> = {};
  const sets: string[] = [];
  for (const name of NUMBER_FIELDS) {
    const value = fields[name];
    if (value === undefined) continue;
    sets.push(`${name} = :${name}`);
    values[`:${name}`] = { N: String(value) };
  }
  if (typeof fields.sendError === 'string') {
    sets.push(`${A.sendError} = :sendError`);
    values[':sendError'] = { S: fields.sendError };
  }
  const remove = fields.sendError === null ? ` REMOVE ${A.sendError}` : '';
  const expression = `${sets.length > 0 ? `SET ${sets.join(', ')}` : ''}${remove}`.trim();
  return { expression, values };
}
