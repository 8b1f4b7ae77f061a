import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../core/repeats/index.ts';
import { atSeverity, attackSequence, forAccount, makeFindingEvent, makeSqsRecord } from '../factories/index.ts';
import {
  ONCALL_KEY,
  ONCALL_SECRET,
  PAGED_ACCOUNT,
  pagerConfig,
  startPagerWorld,
  type PagerWorld,
} from './pagerduty-support.ts';
import { gateOver, linkOf, republish } from './repeats-handler-support.ts';

// Slack and PagerDuty for one account: the channel sees everything from Medium, the pager only critical
// findings and attack sequences. Each destination's delivery is its own: a record handed back because
// PagerDuty failed does not post to Slack again when it returns.

let world: PagerWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const config = pagerConfig({
  accounts: { [PAGED_ACCOUNT]: { name: 'prod', minSeverity: 'medium', destinations: ['security', 'oncall'] } },
  destinations: {
    security: { webhookSecret: 'guardduty-hub/slack/security' },
    'team-a': { webhookSecret: 'guardduty-hub/slack/team-a' },
    oncall: { type: 'pagerduty', routingKeySecret: ONCALL_SECRET, minSeverity: 'critical', attackSequences: true },
  },
});

async function start(): Promise<PagerWorld> {
  world = await startPagerWorld(config, { repeats: gateOver(config, new MemoryStateStore()) });
  return world;
}

const inSlack = (world: PagerWorld, event: ReturnType<typeof makeFindingEvent>) =>
  world.harness.received('security').filter((raw) => raw.includes(linkOf(event))).length;
const actions = (world: PagerWorld) => world.events().map((event) => event.event_action);

describe('one finding to Slack and PagerDuty', () => {
  it('pages a critical finding and posts it, from one record; a High one is only posted', async () => {
    const world = await start();
    const critical = makeFindingEvent({ detail: { ...forAccount(PAGED_ACCOUNT), ...atSeverity(9.5) } });
    const high = makeFindingEvent({ detail: { ...forAccount(PAGED_ACCOUNT), ...atSeverity(8) } });

    const response = await world.harness.invoke([makeSqsRecord(critical), makeSqsRecord(high)]);

    expect(response.batchItemFailures).toEqual([]);
    expect([inSlack(world, critical), inSlack(world, high)]).toEqual([1, 1]);
    expect(actions(world)).toEqual(['trigger']);
    expect(world.events()[0]?.routing_key).toBe(ONCALL_KEY);
    expect(JSON.stringify(world.events()[0])).toContain(String(critical.detail.id));
    expect(world.harness.captured.metric('FindingsDelivered')).toBe(3);
    expect(world.harness.captured.metric('FindingsDelivered_slack-webhook')).toBe(2);
    expect(world.harness.captured.metric('FindingsDelivered_pagerduty')).toBe(1);
  });

  it('pages an attack sequence below critical', async () => {
    const world = await start();
    const sequence = makeFindingEvent({
      detail: { ...forAccount(PAGED_ACCOUNT), ...attackSequence(), ...atSeverity(8) },
    });

    await world.harness.invoke([makeSqsRecord(sequence)]);

    expect(actions(world)).toEqual(['trigger']);
    expect(inSlack(world, sequence)).toBe(1);
  });

  it('does not post to Slack again when the record comes back because PagerDuty failed', async () => {
    const world = await start();
    world.pager.integration(ONCALL_KEY, { fail5xxFor: 60_000 });
    const critical = makeFindingEvent({ detail: { ...forAccount(PAGED_ACCOUNT), ...atSeverity(9.5) } });
    const record = makeSqsRecord(critical);

    const first = await world.harness.invoke([record], 600);
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(inSlack(world, critical)).toBe(1);
    expect(actions(world)).toEqual([]);

    world.pager.integration(ONCALL_KEY);
    const second = await world.harness.invoke([record]);

    expect(second.batchItemFailures).toEqual([]);
    expect(actions(world)).toEqual(['trigger']);
    expect(inSlack(world, critical)).toBe(1);
    expect(world.harness.deadLetters).toEqual([]);
  });

  it('re-triggers the page when the finding rises to critical, and resolves it with the same dedup_key when archived', async () => {
    const world = await start();
    const critical = makeFindingEvent({
      detail: { ...forAccount(PAGED_ACCOUNT), ...attackSequence(), ...atSeverity(8) },
    });
    await world.harness.invoke([makeSqsRecord(critical)]);
    const rose = republish(critical, 2, 9.5);
    await world.harness.invoke([makeSqsRecord(rose)]);
    const archived = republish(critical, 3, 9.5);
    await world.harness.invoke([
      makeSqsRecord({
        ...archived,
        detail: { ...archived.detail, service: { ...archived.detail.service, archived: true } },
      }),
    ]);

    const events = world.events();
    expect(events.map((event) => event.event_action)).toEqual(['trigger', 'trigger', 'resolve']);
    expect(new Set(events.map((event) => event.dedup_key)).size).toBe(1);
    // Slack was told of the finding and of its rise; the archive leaves the webhook alone.
    expect(inSlack(world, critical)).toBe(2);
  });
});
