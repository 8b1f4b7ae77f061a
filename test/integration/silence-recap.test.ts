import { describe, expect, it } from 'vitest';
import { DynamoSilenceStore, silenceSource } from '../../core/silences/index.ts';
import { silenceEndsStep, sqsSender } from '../../lambdas/drift/index.ts';
import { atSeverity, makeFindingEvent } from '../factories/index.ts';
import { ACCOUNTS, receiveAll, startConsumer, storeWebhooks, useDeployedHub } from './harness.ts';

// The recap of a silence against the hub deployed in moto: the silence is kept in the deployed state
// table, the consumer holds and tallies what it matches there, and the drift check's silence step (on a
// clock the test controls, with the deployed table and hub queue) sends the recap once, on through the
// consumer to the Slack simulator.

const ctx = useDeployedHub();
const HOUR = 3_600_000;

describe('the recap of a silence on the deployed hub', () => {
  it('is held and tallied in the state table, then sent once at the end through the hub queue to Slack', async () => {
    const { deployed } = ctx;
    const paths = await storeWebhooks(deployed, ctx.slack);
    const tableName = deployed.environment.STATE_TABLE_NAME!;
    const store = new DynamoSilenceStore({ client: deployed.hub.dynamodb, tableName });
    const startsAtMs = Date.now() - HOUR;
    await store.add({
      id: 'sil-deployed01',
      matchers: { accounts: [ACCOUNTS.member1], type: 'Recon:*' },
      author: 'bob@example.com',
      reason: 'scanner under test',
      startsAtMs,
      endsAtMs: startsAtMs + 2 * HOUR,
      origin: 'cli',
    });
    const silences = silenceSource({ config: [], store, logger: { warn: () => undefined }, refreshMs: 0 });
    const { poller } = startConsumer(deployed, { silences });
    const send = sqsSender(deployed.queue.url, deployed.hub.sqs);
    const probe = (n: number) =>
      JSON.stringify(
        makeFindingEvent({
          detail: { ...atSeverity(5), accountId: ACCOUNTS.member1, type: 'Recon:EC2/Portscan', id: `scan-${n}` },
        }),
      );
    const step = (atMs: number) =>
      silenceEndsStep({ config: ctx.config, tableName, send, client: deployed.hub.dynamodb, now: () => atMs });

    await send([probe(1), probe(2)]);
    await poller.runUntilEmpty({ timeoutMs: 20_000 });
    const before = await step(startsAtMs + 2 * HOUR - 60_000);
    const [at, again] = [await step(startsAtMs + 2 * HOUR + 60_000), await step(startsAtMs + 2 * HOUR + 120_000)];
    await poller.runUntilEmpty({ timeoutMs: 20_000 });

    expect([before?.recapped, at?.recapped, again?.recapped]).toEqual([[], ['sil-deployed01'], []]);
    const texts = ctx.slack.accepted(paths['team-a']!).map((request) => request.raw);
    expect(texts.filter((raw) => raw.includes('scan-1'))).toEqual([expect.stringContaining('Silence ended')]);
    const [recap] = texts.filter((raw) => raw.includes('Silence ended'));
    expect(recap).toContain('Recon:EC2/Portscan: 2');
    expect(recap).toContain('member1 (222222222222): 2');
    expect((await store.tally('sil-deployed01')).recappedAtMs).toBe(startsAtMs + 2 * HOUR + 60_000);
    expect(await receiveAll(deployed.hub.sqs, deployed.queue.url)).toEqual([]);
  });
});
