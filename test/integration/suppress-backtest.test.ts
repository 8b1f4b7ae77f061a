import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { DynamoStateStore, createRepeatGate, dynamoFindingHistory } from '../../core/repeats/index.ts';
import { TRIAGE_ACTION_IDS } from '../../lambdas/consumer/index.ts';
import type { RoutedFinding } from '../../core/types.ts';
import { atSeverity, instance, makeFindingEvent, makeRoutedFinding } from '../factories/index.ts';
import { DEFAULT_REPEATS } from '../consumer/repeats-fixtures.ts';
import { BOB, startTriageWorld, type TriageWorld } from '../consumer/triage/triage-support.ts';
import { uniqueAccountId } from '../support/aws.ts';
import { ensureStateTable, stateTableClients } from './repeats-table.ts';

// "Suppress like this…" counting from DynamoDB on the local AWS: the state table (with its by-type
// index) seeded by the repeat gate as the consumer commits notifications, the click through the signed
// triage endpoint, the modal on the Slack simulator opened before the count and updated after it.

const endpoint = inject('motoEndpoint');
const TABLE = 'guardduty-hub-suppress-backtest';
const tables = stateTableClients(endpoint, 'us-west-2', uniqueAccountId());
const DAY = 86_400_000;
const HOST = 'i-0dynamo0000042';

let world: TriageWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});
afterAll(() => tables.destroy());

async function notify(store: DynamoStateStore, routed: RoutedFinding[], atMs: number): Promise<void> {
  const gate = createRepeatGate({ settings: DEFAULT_REPEATS, store });
  const result = await gate.filter(routed, atMs);
  await gate.commit(
    result.notify.flatMap((group) => group.members),
    atMs,
  );
}

describe('Suppress like this… on DynamoDB', () => {
  it('shows the findings of the last 30 days the state table holds for the criteria, by account and severity', async () => {
    const client = tables.client();
    await ensureStateTable(client, TABLE);
    const store = new DynamoStateStore({ client, tableName: TABLE });
    const onHost = (...more: Parameters<typeof makeRoutedFinding>[1][]) =>
      makeRoutedFinding('alerts', instance({ instanceId: HOST }), ...more);
    for (const [daysAgo, severity] of [
      [45, 5],
      [20, 8],
      [6, 5],
      [1, 2],
    ] as const)
      await notify(store, [onHost(atSeverity(severity))], Date.now() - daysAgo * DAY);
    world = await startTriageWorld({ wiring: { history: dynamoFindingHistory({ client, tableName: TABLE }) } });
    const parent = await world.postFinding(makeFindingEvent({ detail: instance({ instanceId: HOST }) }));

    const before = world.slack.views.length;
    await world.triage(world.clickOf(parent, TRIAGE_ACTION_IDS.suppress, BOB));

    const [opened, updated] = world.slack.views.slice(before);
    expect(opened?.view).not.toHaveProperty('submit');
    // The clicked finding went through the app world's own store, not this table: three of this month.
    const text = JSON.stringify(updated?.view.blocks);
    expect(text).toContain('*Last 30 days:* 3 findings the hub notified would have been archived');
    expect(text).toContain('444444444444 (prod): 1 High · 1 Medium · 1 Low');
  });
});
