import { afterAll, beforeAll, describe, inject, it } from 'vitest';
import { DynamoStateStore } from '../../core/repeats/index.ts';
import { uniqueAccountId } from '../support/aws.ts';
import { expectNothingLost } from '../support/fault-expect.ts';
import { FAULT_SCENARIOS, runScenario } from '../support/fault-scenarios.ts';
import { ensureStateTable, stateTableClients } from './repeats-table.ts';

// The fault matrix of test/consumer/faults.test.ts with the repeat state in DynamoDB (moto, shaped as
// the hub stack creates the table): the same assertions, with real conditional writes, claims and
// releases over the wire. Each scenario gets a table of its own so no record is shared.

const REGION = 'us-west-2';
const clients = stateTableClients(inject('motoEndpoint'), REGION, uniqueAccountId());
afterAll(() => clients.destroy());

describe('fault matrix (DynamoDB state table on moto)', () => {
  const tables = FAULT_SCENARIOS.map((_, index) => `guardduty-hub-faults-${index}`);
  beforeAll(async () => {
    const client = clients.client();
    for (const table of tables) await ensureStateTable(client, table);
  });

  for (const [index, scenario] of FAULT_SCENARIOS.entries()) {
    it(`loses nothing: ${scenario.name}`, async () => {
      const store = new DynamoStateStore({ client: clients.client(), tableName: tables[index]! });

      const result = await runScenario(scenario, store);

      expectNothingLost(result, scenario.expectedDuplicates?.(result.events, result.outcome) ?? 0);
    });
  }
});
