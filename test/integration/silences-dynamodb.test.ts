import { afterAll, describe, expect, inject, it } from 'vitest';
import { DynamoSilenceStore } from '../../core/silences/index.ts';
import { recapEndedSilences } from '../../lambdas/drift/index.ts';
import { describeSilenceStoreContract } from '../consumer/silences-store-contract.ts';
import { ensureStateTable, stateTableClients } from './repeats-table.ts';

// The DynamoDB silence store against moto on loopback: the same contract as the memory store, with
// two clients (a consumer instance and the drift check, say) on one table shaped as the hub stack
// creates it. The clients send one request at a time (see repeats-table.ts: moto's conditional writes
// are not atomic), so two writers still interleave their reads and conditional writes.

const endpoint = inject('motoEndpoint');
const TABLE = `guardduty-hub-state-silences-${process.pid}`;
const clients = stateTableClients(endpoint, 'us-west-2');

afterAll(() => clients.destroy());

describeSilenceStoreContract('DynamoSilenceStore on moto', async () => {
  const [first, second] = [clients.client(), clients.client()];
  await ensureStateTable(first, TABLE);
  return {
    stores: [
      new DynamoSilenceStore({ client: first, tableName: TABLE }),
      new DynamoSilenceStore({ client: second, tableName: TABLE }),
    ],
  };
});

describe('the drift check’s silence step on moto', () => {
  it('sends the recap of an ended silence once, however many runs race, and again after a failed send', async () => {
    const [first, second] = [clients.client(), clients.client()];
    await ensureStateTable(first, TABLE);
    const endsAtMs = Date.UTC(2026, 0, 15, 12);
    const id = `sil-moto-${process.pid}-${Date.now()}`;
    const stores = [first, second].map((client) => new DynamoSilenceStore({ client, tableName: TABLE }));
    await stores[0]!.add({
      id,
      matchers: { accounts: ['222222222222'] },
      author: 'bob@example.com',
      reason: 'maintenance',
      startsAtMs: endsAtMs - 3_600_000,
      endsAtMs,
      origin: 'cli',
    });
    await stores[0]!.addHeld(new Map([[id, 2]]));
    const config = { hub: { account: '111111111111', region: 'us-west-2', name: 'guardduty-hub' }, silences: [] };
    const sent: string[] = [];
    const run = (store: DynamoSilenceStore, send: (bodies: readonly string[]) => Promise<void>) =>
      recapEndedSilences({ config, store, send, now: () => endsAtMs + 60_000 });
    const failing = async () => {
      throw new Error('SQS refused 1 drift alerts: ServiceUnavailable');
    };

    const failed = await run(stores[0]!, failing);
    const [a, b] = await Promise.all(stores.map((store) => run(store, async (bodies) => void sent.push(...bodies))));

    expect(failed.failed.map((f) => f.id)).toContain(id); // the table holds the contract's silences too
    expect([...a!.recapped, ...b!.recapped].filter((recapped) => recapped === id)).toEqual([id]);
    const ours = sent.filter((body) => body.includes(id));
    expect(ours).toHaveLength(1);
    expect(JSON.parse(ours[0]!)).toMatchObject({
      'detail-type': 'GuardDuty Hub Silence Ended',
      detail: { silence: { id }, held: 2, renewable: true },
    });
  });
});
