import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import pLimit from 'p-limit';
import type { NotifiedState } from './decide.ts';
import { RepeatStateError } from './errors.ts';
import { fromItem, messageValues, notifiedValues } from './dynamo-item.ts';
import { factsUpdate } from './history.ts';
import type {
  Claim,
  MessageRef,
  StateRecord,
  StateStore,
  TriageSlot,
  TriageSlotStore,
  VersionGuard,
  WriteOutcome,
} from './store.ts';

/** Options for {@link DynamoStateStore}. */
export interface DynamoStateStoreOptions {
  /** The client (inject one pointed at moto in tests). */
  readonly client: DynamoDBClient;
  /** The table: hash key `pk` (S), TTL attribute `expiresAt`; `STATE_TABLE_NAME` in the Lambda. */
  readonly tableName: string;
  /** Rounds of retrying `UnprocessedKeys` in a batch read. Default 5. */
  readonly maxReadRounds?: number;
  /** Pause between those rounds, in ms (doubled each round). Default 50. */
  readonly readRetryDelayMs?: number;
  /**
   * DynamoDB requests in flight at once, across everything that uses this store (the repeat gate,
   * app destinations' parent messages, triage). Default 16.
   */
  readonly concurrency?: number;
}

let sdk: Promise<typeof import('@aws-sdk/client-dynamodb')> | undefined;

/**
 * The SDK's command classes, loaded on first use: a static import would be hoisted to the top of the
 * Lambda bundle and loaded on every cold start, even with `repeats.enabled: false`.
 */
function commands(): Promise<typeof import('@aws-sdk/client-dynamodb')> {
  sdk ??= import('@aws-sdk/client-dynamodb');
  return sdk;
}

/** BatchGetItem reads at most 100 keys at a time. */
const BATCH_GET_LIMIT = 100;

/** "Unchanged since read, or absent, and no live claim": the guard every competing write uses. */
const GUARD_CONDITION =
  '(attribute_not_exists(version) OR version = :version) AND (attribute_not_exists(claimUntil) OR claimUntil <= :now)';

const SET_NOTIFIED =
  'notifiedAt = :notifiedAt, band = :band, severity = :severity, #count = :count, destination = :destination, ' +
  'regions = :regions, expiresAt = :expiresAt, version = if_not_exists(version, :zero) + :one';

const REMOVE_CLAIM = 'REMOVE claimToken, claimUntil, claimBand, claimSeverity, claimCount';

/**
 * The repeat state in DynamoDB (`PAY_PER_REQUEST`, hash key `pk`, TTL `expiresAt`). Every write is a
 * conditional UpdateItem; a lost condition is an answer (`ok: false`), any other failure a
 * {@link RepeatStateError}. Reads are strongly consistent.
 */
export class DynamoStateStore implements StateStore, TriageSlotStore {
  readonly #client: DynamoDBClient;
  readonly #table: string;
  readonly #maxReadRounds: number;
  readonly #readRetryDelayMs: number;
  readonly #limit: ReturnType<typeof pLimit>;

  constructor(options: DynamoStateStoreOptions) {
    this.#client = options.client;
    this.#table = options.tableName;
    this.#maxReadRounds = options.maxReadRounds ?? 5;
    this.#readRetryDelayMs = options.readRetryDelayMs ?? 50;
    this.#limit = pLimit(options.concurrency ?? 16);
  }

  async read(keys: readonly string[]): Promise<ReadonlyMap<string, StateRecord>> {
    const found = new Map<string, StateRecord>();
    const unique = [...new Set(keys)];
    for (let start = 0; start < unique.length; start += BATCH_GET_LIMIT) {
      await this.#readChunk(unique.slice(start, start + BATCH_GET_LIMIT), found);
    }
    return found;
  }

  async claim(key: string, claim: Claim, guard: VersionGuard, expiresAtSeconds: number): Promise<WriteOutcome> {
    const won = await this.#update('claim', key, {
      UpdateExpression:
        'SET claimToken = :token, claimUntil = :until, claimBand = :claimBand, claimSeverity = :claimSeverity, ' +
        'claimCount = :claimCount, version = if_not_exists(version, :zero), expiresAt = if_not_exists(expiresAt, :expiresAt)',
      ConditionExpression: GUARD_CONDITION,
      ExpressionAttributeValues: {
        ...guardValues(guard),
        ':token': { S: claim.token },
        ':until': { N: String(claim.untilMs) },
        ':claimBand': { S: claim.band },
        ':claimSeverity': { N: String(claim.severity) },
        ':claimCount': { N: String(claim.count) },
        ':zero': { N: '0' },
        ':expiresAt': { N: String(expiresAtSeconds) },
      },
    });
    return won ? { ok: true } : { ok: false, current: await this.#get(key) };
  }

  async finalize(key: string, state: NotifiedState, token: string, expiresAtSeconds: number): Promise<boolean> {
    const facts = state.facts === undefined ? undefined : factsUpdate(state.facts);
    return this.#update('finalize', key, {
      UpdateExpression: `SET ${SET_NOTIFIED}${facts === undefined ? '' : `, ${facts.set}`} ${REMOVE_CLAIM}`,
      ConditionExpression: 'claimToken = :token',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: {
        ...notifiedValues(state, expiresAtSeconds),
        ...facts?.values,
        ':token': { S: token },
      },
    });
  }

  async record(key: string, state: NotifiedState, guard: VersionGuard, expiresAtSeconds: number): Promise<boolean> {
    return this.#update('record', key, {
      UpdateExpression: `SET ${SET_NOTIFIED} ${REMOVE_CLAIM}`,
      ConditionExpression: GUARD_CONDITION,
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ...notifiedValues(state, expiresAtSeconds), ...guardValues(guard) },
    });
  }

  async addRegions(key: string, regions: readonly string[], notifiedAtMs: number): Promise<boolean> {
    if (regions.length === 0) return true;
    return this.#update('addRegions', key, {
      UpdateExpression: 'ADD regions :regions',
      ConditionExpression: 'notifiedAt = :notifiedAt',
      ExpressionAttributeValues: {
        ':regions': { SS: [...new Set(regions)] },
        ':notifiedAt': { N: String(notifiedAtMs) },
      },
    });
  }

  async setMessage(key: string, message: MessageRef, expiresAtSeconds: number): Promise<void> {
    await this.#update('setMessage', key, {
      UpdateExpression:
        'SET messageDestination = :messageDestination, messageChannel = :messageChannel, messageTs = :messageTs, ' +
        'messageArchived = :messageArchived, messageSummary = :messageSummary, expiresAt = if_not_exists(expiresAt, :expiresAt), version = if_not_exists(version, :zero)',
      ExpressionAttributeValues: { ...messageValues(message, expiresAtSeconds), ':zero': { N: '0' } },
    });
  }

  async readTriage(key: string): Promise<TriageSlot | undefined> {
    return (await this.#get(key))?.triage;
  }

  async writeTriage(key: string, text: string, expectedVersion: number, expiresAtSeconds: number): Promise<boolean> {
    return this.#update('writeTriage', key, {
      UpdateExpression:
        'SET triage = :triage, triageVersion = :next, expiresAt = if_not_exists(expiresAt, :expiresAt), version = if_not_exists(version, :zero)',
      ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(triageVersion)' : 'triageVersion = :expected',
      ExpressionAttributeValues: {
        ':triage': { S: text },
        ':next': { N: String(expectedVersion + 1) },
        ':expiresAt': { N: String(expiresAtSeconds) },
        ':zero': { N: '0' },
        ...(expectedVersion === 0 ? {} : { ':expected': { N: String(expectedVersion) } }),
      },
    });
  }

  async release(key: string, token: string): Promise<void> {
    const values = { ':token': { S: token } };
    const { DeleteItemCommand } = await commands();
    const deleted = await this.#conditional('release', key, () =>
      this.#limit(() =>
        this.#client.send(
          new DeleteItemCommand({
            TableName: this.#table,
            Key: { pk: { S: key } },
            ConditionExpression:
              'claimToken = :token AND attribute_not_exists(notifiedAt) AND attribute_not_exists(messageTs) AND attribute_not_exists(triageVersion)',
            ExpressionAttributeValues: values,
          }),
        ),
      ),
    );
    if (deleted) return;
    await this.#update('release', key, {
      UpdateExpression: REMOVE_CLAIM,
      ConditionExpression: 'claimToken = :token',
      ExpressionAttributeValues: values,
    });
  }

  async #readChunk(keys: readonly string[], found: Map<string, StateRecord>): Promise<void> {
    const { BatchGetItemCommand } = await commands();
    let pending: Record<string, AttributeValue>[] = keys.map((key) => ({ pk: { S: key } }));
    for (let round = 0; pending.length > 0; round += 1) {
      if (round >= this.#maxReadRounds) {
        throw new RepeatStateError('read', pending[0]?.pk?.S ?? '?', { cause: new Error('unprocessed keys remain') });
      }
      if (round > 0) await delay(this.#readRetryDelayMs * 2 ** (round - 1));
      const request = { [this.#table]: { Keys: pending, ConsistentRead: true } };
      const send = () => this.#client.send(new BatchGetItemCommand({ RequestItems: request }));
      const output = await this.#limit(send).catch((cause: unknown) => {
        throw new RepeatStateError('read', keys[0] ?? '?', { cause });
      });
      for (const item of output.Responses?.[this.#table] ?? []) {
        const record = fromItem(item);
        found.set(record.key, record);
      }
      pending = output.UnprocessedKeys?.[this.#table]?.Keys ?? [];
    }
  }

  async #get(key: string): Promise<StateRecord | undefined> {
    const { GetItemCommand } = await commands();
    try {
      const output = await this.#limit(() =>
        this.#client.send(
          new GetItemCommand({ TableName: this.#table, Key: { pk: { S: key } }, ConsistentRead: true }),
        ),
      );
      return output.Item === undefined ? undefined : fromItem(output.Item);
    } catch (cause) {
      throw new RepeatStateError('read', key, { cause });
    }
  }

  async #update(
    operation: string,
    key: string,
    input: {
      UpdateExpression: string;
      ConditionExpression?: string;
      ExpressionAttributeNames?: Record<string, string>;
      ExpressionAttributeValues: Record<string, AttributeValue>;
    },
  ): Promise<boolean> {
    const { UpdateItemCommand } = await commands();
    return this.#conditional(operation, key, () =>
      this.#limit(() =>
        this.#client.send(new UpdateItemCommand({ TableName: this.#table, Key: { pk: { S: key } }, ...input })),
      ),
    );
  }

  /** Runs a conditional write: true if it applied, false if its condition failed. */
  async #conditional(operation: string, key: string, write: () => Promise<unknown>): Promise<boolean> {
    try {
      await write();
      return true;
    } catch (cause) {
      if (cause instanceof Error && cause.name === 'ConditionalCheckFailedException') return false;
      throw new RepeatStateError(operation, key, { cause });
    }
  }
}

function guardValues(guard: VersionGuard): Record<string, AttributeValue> {
  return { ':version': { N: String(guard.version) }, ':now': { N: String(guard.nowMs) } };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
