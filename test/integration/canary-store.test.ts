import { afterAll, describe, expect, inject, it } from 'vitest';
import { dynamoCanaryStore, memoryCanaryStore, type CanaryStore } from '../../core/canary/index.ts';
import { ensureStateTable, stateTableClients } from './repeats-table.ts';

// The canary store's contract, run against the memory store and the DynamoDB store on moto (a table
// shaped as the hub stack creates it): the consumer's additions and the check's fields never overwrite
// each other, archived ids leave `toArchive`, a cleared send error is gone.

const endpoint = inject('motoEndpoint');
const TABLE = `guardduty-hub-state-canary-${process.pid}`;
const clients = stateTableClients(endpoint, 'us-west-2');
afterAll(() => clients.destroy());

const stores: [string, () => Promise<CanaryStore>][] = [
  ['memory', async () => memoryCanaryStore()],
  [
    'DynamoDB on moto',
    async () => {
      const client = clients.client();
      await ensureStateTable(client, TABLE);
      return dynamoCanaryStore({ client, tableName: TABLE });
    },
  ],
];

describe.each(stores)('the canary store (%s)', (_name, make) => {
  it('adds arrivals per region, keeps the check’s fields beside them, and forgets archived ids and cleared errors', async () => {
    const store = await make();
    const region = `eu-west-${Math.random().toString(36).slice(2, 8)}`;

    const empty = await store.load(region);
    await store.update(region, { sentAtMs: 1_000, firstSentAtMs: 1_000, sendError: 'refused' });
    await store.arrived([
      { region, findingId: 'a', atMs: 2_000 },
      { region, findingId: 'b', atMs: 3_000 },
      { region: `${region}-other`, findingId: 'c', atMs: 3_000 },
    ]);
    await store.arrived([{ region, findingId: 'a', atMs: 4_000 }]);
    await store.update(region, { seenArrivals: 3, seenAtMs: 5_000, sendError: null });
    await store.archived(region, ['a']);

    expect(empty).toEqual({ arrivals: 0, toArchive: [] });
    const record = await store.load(region);
    expect({ ...record, toArchive: [...record.toArchive].sort() }).toEqual({
      arrivals: 3,
      arrivedAtMs: 4_000,
      toArchive: ['b'],
      sentAtMs: 1_000,
      firstSentAtMs: 1_000,
      seenArrivals: 3,
      seenAtMs: 5_000,
    });
    expect(await store.load(`${region}-other`)).toMatchObject({ arrivals: 1, toArchive: ['c'] });
  });
});
