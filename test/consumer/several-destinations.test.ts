import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStateStore, findingKey, withLane } from '../../core/repeats/index.ts';
import { DEFAULT_ACCOUNT_ID, atSeverity, forAccount, makeFindingEvent, makeSqsRecord } from '../factories/index.ts';
import { startConsumerHarness, webhookPath, type ConsumerHarness } from '../support/consumer-harness.ts';
import { ALERTS_CHANNEL, appConfig, startAppWorld, type AppWorld } from './app-support.ts';
import { FAST_SIMULATOR, gateOver, linkOf, repeatsConfig, republish } from './repeats-handler-support.ts';

// An account (or the default) may name several destinations: each finding goes to every one of them
// whose threshold it reaches, each destination keeps its own record of what it was told, and one
// destination failing never re-posts, loses or delays the finding at another.

const BOTH = '222222222222'; // → team-a and security
const UNLISTED = '444444444444'; // → defaults.destinations

function severalConfig(overrides: Record<string, unknown> = {}) {
  return repeatsConfig({
    defaults: { destination: 'security', destinations: ['security', 'team-a'], minSeverity: 'medium' },
    accounts: { [BOTH]: { name: 'shared', minSeverity: 'low', destinations: ['team-a', 'security'] } },
    destinations: {
      security: { webhookSecret: 'guardduty-hub/slack/security', minSeverity: 'high' },
      'team-a': { webhookSecret: 'guardduty-hub/slack/team-a' },
    },
    ...overrides,
  });
}

let harness: ConsumerHarness | undefined;
let world: AppWorld | undefined;
afterEach(async () => {
  await harness?.close();
  await world?.close();
  harness = undefined;
  world = undefined;
});

async function start(store = new MemoryStateStore()) {
  const config = severalConfig();
  harness = await startConsumerHarness(config, FAST_SIMULATOR, { repeats: gateOver(config, store) });
  return { harness, store };
}

const named = (texts: readonly string[], link: string) => texts.filter((text) => text.includes(link)).length;

describe('a finding routed to several destinations', () => {
  it('goes to each destination whose threshold it reaches, once, from one record', async () => {
    const { harness, store } = await start();
    const high = makeFindingEvent({ detail: { ...forAccount(BOTH), ...atSeverity(8) } });
    const medium = makeFindingEvent({ detail: { ...forAccount(BOTH), ...atSeverity(5) } });

    const response = await harness.invoke([makeSqsRecord(high), makeSqsRecord(medium)]);

    expect(response.batchItemFailures).toEqual([]);
    expect(named(harness.received('team-a'), linkOf(high))).toBe(1);
    expect(named(harness.received('security'), linkOf(high))).toBe(1);
    // security takes High and up (destinations.security.minSeverity), whatever the account says.
    expect(named(harness.received('team-a'), linkOf(medium))).toBe(1);
    expect(named(harness.received('security'), linkOf(medium))).toBe(0);
    // One record per destination told: the first destination's under the finding's own key.
    const key = findingKey({ id: String(high.detail.id) });
    expect((await store.read([key, withLane(key, 'security')])).size).toBe(2);
    expect(harness.captured.metric('FindingsDelivered')).toBe(3);
  });

  it('follows defaults.destinations for accounts without their own', async () => {
    const { harness } = await start();
    const event = makeFindingEvent({ detail: { ...forAccount(UNLISTED), ...atSeverity(8) } });

    await harness.invoke([makeSqsRecord(event)]);

    expect(named(harness.received('security'), linkOf(event))).toBe(1);
    expect(named(harness.received('team-a'), linkOf(event))).toBe(1);
  });

  it('counts a repeat once per record and re-posts it nowhere', async () => {
    const { harness } = await start();
    const first = makeFindingEvent({ detail: { ...forAccount(BOTH), ...atSeverity(8) } });
    await harness.invoke([makeSqsRecord(first)]);

    const response = await harness.invoke([makeSqsRecord(republish(first, 2))]);

    expect(response.batchItemFailures).toEqual([]);
    expect(named(harness.received('team-a'), linkOf(first))).toBe(1);
    expect(named(harness.received('security'), linkOf(first))).toBe(1);
    expect(harness.captured.metric('FindingsSkipped_repeat')).toBe(1);
  });

  it('retries only the destination that failed: the other is not posted to again', async () => {
    const { harness } = await start();
    harness.simulator.setBehaviour(webhookPath('team-a'), { fail5xxFor: 60_000 });
    const event = makeFindingEvent({ detail: { ...forAccount(BOTH), ...atSeverity(8) } });
    const record = makeSqsRecord(event);

    const first = await harness.invoke([record], 600);
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(named(harness.received('security'), linkOf(event))).toBe(1);

    harness.simulator.setBehaviour(webhookPath('team-a'), {});
    const second = await harness.invoke([record]);

    expect(second.batchItemFailures).toEqual([]);
    expect(named(harness.received('team-a'), linkOf(event))).toBe(1);
    expect(named(harness.received('security'), linkOf(event))).toBe(1);
    expect(harness.deadLetters).toEqual([]);
  });

  it('does not fail a gone destination over to the default when the default already has the finding', async () => {
    const config = severalConfig();
    harness = await startConsumerHarness(config, FAST_SIMULATOR, {
      repeats: gateOver(config, new MemoryStateStore()),
    });
    harness.simulator.setBehaviour(webhookPath('team-a'), { gone: 404, body: 'channel_not_found' });
    const both = makeFindingEvent({ detail: { ...forAccount(BOTH), ...atSeverity(8) } });
    const teamOnly = makeFindingEvent({ detail: { ...forAccount(BOTH), ...atSeverity(5) } });

    const response = await harness.invoke([makeSqsRecord(both), makeSqsRecord(teamOnly)]);

    expect(response.batchItemFailures).toEqual([]);
    const atDefault = harness.received('security');
    expect(named(atDefault, linkOf(both))).toBe(1);
    // Below security's own threshold, but team-a is gone: it fails over like any of team-a's findings.
    expect(named(atDefault, linkOf(teamOnly))).toBe(1);
    expect(atDefault.filter((text) => text.includes('Sent here because'))).toHaveLength(1);
  });
});

describe('app destinations beside a webhook', () => {
  it('keep a living message each: later news edits every parent, the webhook is told nothing twice', async () => {
    const oncall = 'C0ONCALL01';
    const config = appConfig({
      accounts: {
        [DEFAULT_ACCOUNT_ID]: { name: 'prod', destinations: ['security', 'alerts', 'oncall'], minSeverity: 'medium' },
      },
      destinations: {
        security: { webhookSecret: 'guardduty-hub/slack/security' },
        alerts: { app: { botTokenSecret: 'guardduty-hub/slack/bot', channel: ALERTS_CHANNEL } },
        oncall: { app: { botTokenSecret: 'guardduty-hub/slack/bot', channel: oncall } },
      },
    });
    world = await startAppWorld(config, { web: { channels: [ALERTS_CHANNEL, oncall] } });
    const event = makeFindingEvent({ detail: atSeverity(5) });
    await world.harness.invoke([makeSqsRecord(event)]);

    const rose = await world.harness.invoke([makeSqsRecord(republish(event, 2, 8))]);
    const archived = makeFindingEvent({
      detail: {
        ...republish(event, 3, 8).detail,
        service: { ...republish(event, 3, 8).detail.service, archived: true },
      },
    });
    const gone = await world.harness.invoke([makeSqsRecord(archived)]);

    expect([...rose.batchItemFailures, ...gone.batchItemFailures]).toEqual([]);
    expect(world.slack.parents(ALERTS_CHANNEL)).toHaveLength(1);
    expect(world.slack.parents(oncall)).toHaveLength(1);
    // Severity rose (an edit and a reply at each), then archived (an edit at each).
    const edits = world.slack.succeeded('chat.update').map((call) => call.args.channel);
    expect(edits.filter((channel) => channel === ALERTS_CHANNEL)).toHaveLength(2);
    expect(edits.filter((channel) => channel === oncall)).toHaveLength(2);
    expect(named(world.harness.received('security'), linkOf(event))).toBe(2);
  });
});
