import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import {
  DynamoStateStore,
  MemoryStateStore,
  createRepeatGate,
  dynamoFindingHistory,
  findingKey,
  memoryFindingHistory,
  type FindingHistory,
  type StateStore,
} from '../../core/repeats/index.ts';
import { backtest } from '../../destinations/slack-app/triage/backtest.ts';
import { suppressCriteria } from '../../destinations/slack-app/triage/criteria.ts';
import { targetOf } from '../../destinations/slack-app/triage/target.ts';
import type { RoutedFinding } from '../../core/types.ts';
import { atSeverity, forAccount, instance, makeRoutedFinding } from '../factories/index.ts';
import { DEFAULT_REPEATS } from '../consumer/repeats-fixtures.ts';
import { uniqueAccountId } from '../support/aws.ts';
import { ensureStateTable, stateTableClients } from './repeats-table.ts';

// The finding history "Suppress like this" counts, written by the repeat gate when it commits a
// notification and read back by the backtest: on the memory store and on a DynamoDB table on moto
// shaped as the hub stack makes it (its sparse index `by-type`). Both give the same figures.

const endpoint = inject('motoEndpoint');
const TABLE = 'guardduty-hub-finding-history';
const tables = stateTableClients(endpoint, 'us-west-2', uniqueAccountId());
afterAll(() => tables.destroy());

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-06T12:00:00Z');
const HOST = 'i-0feedface0777';
const SEQUENCE = 'arn:aws:guardduty:us-east-1:444444444444:detector/d1/finding/seq0001';

/** Commits `routed` through the gate at `atMs`, as the consumer does once Slack took the message. */
async function notify(store: StateStore, routed: readonly RoutedFinding[], atMs: number): Promise<void> {
  const gate = createRepeatGate({ settings: DEFAULT_REPEATS, store });
  const result = await gate.filter(routed, atMs);
  const report = await gate.commit(
    result.notify.flatMap((group) => group.members),
    atMs,
  );
  expect(report.errors).toEqual([]);
}

/** The clicked finding, and a history around it: what counts and what must not. */
async function seed(store: StateStore): Promise<RoutedFinding> {
  const clicked = makeRoutedFinding('alerts', instance({ instanceId: HOST }), atSeverity(5));
  const inSequence = makeRoutedFinding('alerts', instance({ instanceId: HOST }), atSeverity(8), {
    associatedAttackSequenceArn: SEQUENCE,
  });
  await notify(store, [makeRoutedFinding('alerts', instance({ instanceId: HOST }))], NOW - 31 * DAY);
  await notify(store, [inSequence, { ...inSequence, lane: 'pager', messageIds: ['pager-1'] }], NOW - 20 * DAY);
  await notify(store, [makeRoutedFinding('alerts', instance({ instanceId: HOST }), atSeverity(4))], NOW - 2 * DAY);
  await notify(store, [makeRoutedFinding('alerts', instance({ instanceId: 'i-0other0000001' }))], NOW - DAY);
  await notify(store, [makeRoutedFinding('alerts', instance({ instanceId: HOST }), forAccount('555555555555'))], NOW);
  await notify(store, [clicked], NOW);
  return clicked;
}

const stores: [string, () => Promise<{ store: StateStore; history: FindingHistory }>][] = [
  [
    'the memory store',
    async () => {
      const store = new MemoryStateStore();
      return { store, history: memoryFindingHistory(store) };
    },
  ],
  [
    'DynamoDB on moto (the by-type index)',
    async () => {
      const client = tables.client();
      await ensureStateTable(client, TABLE);
      return {
        store: new DynamoStateStore({ client, tableName: TABLE }),
        history: dynamoFindingHistory({ client, tableName: TABLE }),
      };
    },
  ],
];

describe.each(stores)('the finding history on %s', (_name, make) => {
  it('counts what the clicked finding’s filter would have matched in 30 days, once per finding, by account and severity', async () => {
    const { store, history } = await make();
    const clicked = await seed(store);

    const figures = await backtest(history, suppressCriteria(targetOf(clicked)), NOW);

    // The clicked finding, the one two days ago and the High one in an attack sequence (two lanes, one finding).
    expect(figures).toEqual({
      total: 3,
      byAccount: [{ accountId: clicked.finding.accountId, bands: { low: 0, medium: 2, high: 1, critical: 0 } }],
      inSequence: 1,
      complete: true,
    });
  });
});

describe('a finding record on DynamoDB', () => {
  it('keeps its facts and lives at least 37 days (30 of backtest and 7 of margin)', async () => {
    const client = tables.client();
    await ensureStateTable(client, TABLE);
    const store = new DynamoStateStore({ client, tableName: TABLE });
    const routed = makeRoutedFinding('alerts', instance({ instanceId: 'i-0ttl000000001' }));

    await notify(store, [routed], NOW);
    const { Item } = await client.send(
      new GetItemCommand({ TableName: TABLE, Key: { pk: { S: findingKey(routed.finding) } } }),
    );

    expect(Item).toMatchObject({
      findingType: { S: routed.finding.type },
      findingId: { S: routed.finding.id },
      accountId: { S: routed.finding.accountId },
      findingRegion: { S: routed.finding.region },
      resourceField: { S: 'resource.instanceDetails.instanceId' },
      resourceValue: { S: 'i-0ttl000000001' },
      inSequence: { BOOL: false },
      notifiedAt: { N: String(NOW) },
    });
    expect(Number(Item?.expiresAt?.N)).toBeGreaterThanOrEqual(NOW / 1000 + 37 * 86_400);
  });
});
