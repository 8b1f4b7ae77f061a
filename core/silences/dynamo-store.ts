import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { isSilence, type Silence } from '../../shared/silences.ts';
import { SILENCES_KEY } from '../state-keys.ts';
import { endedAt } from './memory-store.ts';
import { addTally, claimRecapOf, recapSentOf, releaseRecapOf, tallyOf, type TallyTable } from './dynamo-tally.ts';
import type { KeptSilence, KeptTally, SilenceStore } from './store.ts';
import type { TallyBatch } from './tally-types.ts';

/**
 * Silences in the state table: one record (`pk = silences`) whose map `silences` holds each silence made
 * with the CLI as JSON, by id, and whose map `held` counts the findings each silence (config ones too)
 * has held. A record of a few hundred silences is a few tens of KiB, one read per consumer instance a
 * minute; counts are added in place, so concurrent instances never lose one. Each silence's tally (what
 * it held by type, account and band, for its recap) is an item of its own (see `dynamo-tally.ts`).
 */

/** What {@link DynamoSilenceStore} needs. */
export interface DynamoSilenceStoreOptions {
  readonly client: DynamoDBClient;
  /** The state table (hash key `pk`). */
  readonly tableName: string;
  /** Clock of the tallies' TTL. Default `Date.now`. */
  readonly now?: () => number;
}

let sdk: Promise<typeof import('@aws-sdk/client-dynamodb')> | undefined;

/** The SDK's command classes, loaded on first use (most invocations never write a count). */
function commands(): Promise<typeof import('@aws-sdk/client-dynamodb')> {
  sdk ??= import('@aws-sdk/client-dynamodb');
  return sdk;
}

const KEY = { pk: { S: SILENCES_KEY } };

/** A {@link SilenceStore} over the state table. */
export class DynamoSilenceStore implements SilenceStore {
  readonly #client: DynamoDBClient;
  readonly #table: string;
  readonly #tallies: TallyTable;

  constructor(options: DynamoSilenceStoreOptions) {
    this.#client = options.client;
    this.#table = options.tableName;
    this.#tallies = { client: options.client, tableName: options.tableName, now: options.now ?? Date.now };
  }

  tally(id: string): Promise<KeptTally> {
    return tallyOf(this.#tallies, id);
  }

  async addTallies(batches: ReadonlyMap<string, TallyBatch>): Promise<void> {
    for (const [id, batch] of batches) await addTally(this.#tallies, id, batch);
  }

  claimRecap(id: string, atMs: number): Promise<boolean> {
    return claimRecapOf(this.#tallies, id, atMs);
  }

  recapSent(id: string, atMs: number): Promise<void> {
    return recapSentOf(this.#tallies, id, atMs);
  }

  releaseRecap(id: string, atMs: number): Promise<void> {
    return releaseRecapOf(this.#tallies, id, atMs);
  }

  async list(): Promise<{ silences: KeptSilence[]; held: ReadonlyMap<string, number> }> {
    const { GetItemCommand } = await commands();
    const { Item: item } = await this.#client.send(
      new GetItemCommand({ TableName: this.#table, Key: KEY, ConsistentRead: true }),
    );
    const held = new Map(Object.entries(item?.held?.M ?? {}).map(([id, value]) => [id, Number(value.N ?? 0)] as const));
    const silences = Object.values(item?.silences?.M ?? {}).flatMap((value) => {
      const silence = parseKept(value.S);
      return silence === undefined ? [] : [{ ...silence, held: held.get(silence.id) ?? 0 }];
    });
    return { silences: silences.sort((a, b) => a.startsAtMs - b.startsAtMs), held };
  }

  async add(silence: Silence): Promise<void> {
    await this.#ensureMaps();
    await this.#update(
      'SET silences.#id = :silence',
      { '#id': silence.id },
      { ':silence': { S: JSON.stringify(silence) } },
    );
  }

  async expire(id: string, atMs: number): Promise<KeptSilence | undefined> {
    const kept = (await this.list()).silences.find((silence) => silence.id === id);
    if (kept === undefined) return undefined;
    const { held, ...silence } = endedAt(kept, atMs);
    await this.#update('SET silences.#id = :silence', { '#id': id }, { ':silence': { S: JSON.stringify(silence) } });
    return { ...silence, held };
  }

  async addHeld(counts: ReadonlyMap<string, number>): Promise<void> {
    if (counts.size === 0) return;
    await this.#ensureMaps();
    const entries = [...counts];
    const names = Object.fromEntries(entries.map(([id], i) => [`#s${i}`, id]));
    const values: Record<string, AttributeValue> = { ':zero': { N: '0' } };
    for (const [i, [, n]] of entries.entries()) values[`:n${i}`] = { N: String(n) };
    const sets = entries.map((_, i) => `held.#s${i} = if_not_exists(held.#s${i}, :zero) + :n${i}`);
    await this.#update(`SET ${sets.join(', ')}`, names, values);
  }

  /** Makes the record and its two maps when they are not there yet (a nested path needs its map). */
  async #ensureMaps(): Promise<void> {
    await this.#update(
      'SET silences = if_not_exists(silences, :empty), held = if_not_exists(held, :empty)',
      undefined,
      { ':empty': { M: {} } },
    );
  }

  async #update(
    expression: string,
    names: Record<string, string> | undefined,
    values: Record<string, AttributeValue>,
  ): Promise<void> {
    const { UpdateItemCommand } = await commands();
    await this.#client.send(
      new UpdateItemCommand({
        TableName: this.#table,
        Key: KEY,
        UpdateExpression: expression,
        ...(names === undefined ? {} : { ExpressionAttributeNames: names }),
        ExpressionAttributeValues: values,
      }),
    );
  }
}

/** A kept silence from its JSON; undefined for anything else (a record written by hand, say). */
function parseKept(text: string | undefined): Omit<KeptSilence, 'held'> | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isSilence(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
