import { afterAll, describe, expect, inject, it } from 'vitest';
import { DynamoStateStore, RepeatStateError, createRepeatGate } from '../../core/repeats/index.ts';
import { describeStateStoreContract } from '../consumer/repeats-store-contract.ts';
import { DEFAULT_REPEATS, T0_MS, makeRouted } from '../consumer/repeats-fixtures.ts';
import { ensureStateTable, stateTableClients } from './repeats-table.ts';

// The DynamoDB state store against moto on loopback: the same contract as the memory store, with two
// clients (two consumer instances) on one table shaped as the hub stack creates it. The clients send
// one request at a time (see repeats-table.ts: moto's conditional writes are not atomic).

const endpoint = inject('motoEndpoint');
const REGION = 'us-west-2';
const TABLE = `guardduty-hub-state-repeats-${process.pid}`;
const clients = stateTableClients(endpoint, REGION);
const newClient = () => clients.client();
const ensureTable = (client: ReturnType<typeof newClient>) => ensureStateTable(client, TABLE);

afterAll(() => clients.destroy());

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
