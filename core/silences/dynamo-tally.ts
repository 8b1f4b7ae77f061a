import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { MAX_SILENCE_DAYS } from '../../shared/silences.ts';
import { silenceTallyKey } from '../state-keys.ts';
import { SilenceStoreError } from './errors.ts';
import { RECAP_CLAIM_MS, type KeptTally } from './store.ts';
import { addToTally, tallyFrom } from './tally.ts';
import { EMPTY_TALLY, type SilenceTally, type TallyBatch } from './tally-types.ts';

/**
 * Silence tallies in the state table: one item per silence, `pk = silence-tally#<id>`, with `tally` (S,
 * JSON, bounded by `tally.ts`), `version` (N, bumped by every tally write), `recappedAt` (N, epoch ms,
 * the drift check's claim on the recap), `recapSentAt` (N, epoch ms, once the hub queue took it) and the
 * TTL `expiresAt`. A tally is read, added to and written
 * back on condition that its version is still the one read; a writer that lost the race reads again.
 */

/** Writes a tally tries before it gives up (each a read and a conditional write). */
export const TALLY_WRITE_ATTEMPTS = 5;

/** How long a tally item is kept after its last write, in days: past the longest silence, with room for its recap. */
export const TALLY_KEEP_DAYS = MAX_SILENCE_DAYS + 30;

/** The client, table and clock the tally functions use. */
export interface TallyTable {
  readonly client: Pick<DynamoDBClient, 'send'>;
  readonly tableName: string;
  readonly now: () => number;
}

let sdk: Promise<typeof import('@aws-sdk/client-dynamodb')> | undefined;
const commands = (): Promise<typeof import('@aws-sdk/client-dynamodb')> => {
  sdk ??= import('@aws-sdk/client-dynamodb');
  return sdk;
};

const keyOf = (id: string) => ({ pk: { S: silenceTallyKey(id) } });
const expiresAt = (table: TallyTable) => ({ N: String(Math.floor(table.now() / 1000) + TALLY_KEEP_DAYS * 86_400) });

/** The tally of `id` with its version (0 when there is none yet). */
async function readTally(table: TallyTable, id: string): Promise<KeptTally & { readonly version: number }> {
  const { GetItemCommand } = await commands();
  const { Item: item } = await table.client.send(
    new GetItemCommand({ TableName: table.tableName, Key: keyOf(id), ConsistentRead: true }),
  );
  const recapped = item?.recappedAt?.N;
  const sent = item?.recapSentAt?.N;
  return {
    tally: parseTally(item?.tally?.S),
    version: Number(item?.version?.N ?? 0),
    ...(recapped === undefined ? {} : { recappedAtMs: Number(recapped) }),
    ...(sent === undefined ? {} : { recapSentAtMs: Number(sent) }),
  };
}

/** The tally of `id`. */
export async function tallyOf(table: TallyTable, id: string): Promise<KeptTally> {
  const { version: _version, ...kept } = await readTally(table, id);
  return kept;
}

/**
 * One `UpdateItem` of the tally item of `id` on a condition: true when it was made, false when the
 * condition did not hold (someone else wrote first); any other error is thrown.
 */
async function updateIf(
  table: TallyTable,
  id: string,
  update: { readonly set: string; readonly condition: string; readonly values: Record<string, AttributeValue> },
): Promise<boolean> {
  const { UpdateItemCommand } = await commands();
  try {
    await table.client.send(
      new UpdateItemCommand({
        TableName: table.tableName,
        Key: keyOf(id),
        UpdateExpression: update.set,
        ConditionExpression: update.condition,
        ExpressionAttributeValues: update.values,
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/** Adds `batch` to the tally of `id`; throws {@link SilenceStoreError} after {@link TALLY_WRITE_ATTEMPTS} lost races. */
export async function addTally(table: TallyTable, id: string, batch: TallyBatch): Promise<void> {
  for (let attempt = 0; attempt < TALLY_WRITE_ATTEMPTS; attempt += 1) {
    const { tally, version } = await readTally(table, id);
    const written = await updateIf(table, id, {
      set: 'SET tally = :tally, version = :next, expiresAt = :expiresAt',
      condition: 'attribute_not_exists(version) OR version = :read',
      values: {
        ':tally': { S: JSON.stringify(addToTally(tally, batch)) },
        ':next': { N: String(version + 1) },
        ':read': { N: String(version) },
        ':expiresAt': expiresAt(table),
      },
    });
    if (written) return;
  }
  throw new SilenceStoreError(`the tally of ${id} changed under ${TALLY_WRITE_ATTEMPTS} writes in a row`);
}

/**
 * Sets `recappedAt` of `id` unless the recap was sent or another claim is younger than
 * {@link RECAP_CLAIM_MS}: true when this call set it.
 */
export function claimRecapOf(table: TallyTable, id: string, atMs: number): Promise<boolean> {
  return updateIf(table, id, {
    set: 'SET recappedAt = :at, expiresAt = if_not_exists(expiresAt, :expiresAt)',
    condition: 'attribute_not_exists(recapSentAt) AND (attribute_not_exists(recappedAt) OR recappedAt <= :stale)',
    values: {
      ':at': { N: String(atMs) },
      ':stale': { N: String(atMs - RECAP_CLAIM_MS) },
      ':expiresAt': expiresAt(table),
    },
  });
}

/** Sets `recapSentAt` of `id`: the hub queue took its recap. */
export async function recapSentOf(table: TallyTable, id: string, atMs: number): Promise<void> {
  await updateIf(table, id, {
    set: 'SET recapSentAt = :at',
    condition: 'attribute_exists(pk)',
    values: { ':at': { N: String(atMs) } },
  });
}

/** Removes `recappedAt` of `id` when it is still `atMs`. */
export async function releaseRecapOf(table: TallyTable, id: string, atMs: number): Promise<void> {
  await updateIf(table, id, {
    set: 'REMOVE recappedAt',
    condition: 'recappedAt = :at',
    values: { ':at': { N: String(atMs) } },
  });
}

/** A tally from its JSON; an empty one for anything else (a record written by hand, say). */
export function parseTally(text: string | undefined): SilenceTally {
  if (text === undefined) return EMPTY_TALLY;
  try {
    return tallyFrom(JSON.parse(text));
  } catch {
    return EMPTY_TALLY;
  }
}
