import { afterAll, inject } from 'vitest';
import { DynamoSilenceStore } from '../../core/silences/index.ts';
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
