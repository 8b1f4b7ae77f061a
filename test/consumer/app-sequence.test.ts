import { afterEach, describe, expect, it } from 'vitest';
import {
  WebApiLimiters,
  deliverAppGroups,
  parentStoreOver,
  staticTokens,
  type AppEnvironment,
} from '../../destinations/slack-app/index.ts';
import { emptyStats } from '../../destinations/slack-webhook/index.ts';
import { MemoryStateStore, passThroughGate, type NotifyGroup } from '../../core/repeats/index.ts';
import { attackSequence, makeFindingEvent, makeRoutedFinding, makeSqsRecord } from '../factories/index.ts';
import { startSlackWebSimulator, type SlackWebSimulator } from '../../devkit/slack/web-api-simulator.ts';
import { ALERTS_CHANNEL, BOT_TOKEN, appConfig, shownText, startAppWorld, type AppWorld } from './app-support.ts';
import pLimit from 'p-limit';

// The parser names an ordinary finding's attack sequence in `attackSequenceArn` (GuardDuty's
// `associatedAttackSequenceArn`); these tests build such findings directly.

let slack: SlackWebSimulator | undefined;
afterEach(async () => {
  await slack?.close();
  slack = undefined;
});

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

async function environment(): Promise<AppEnvironment> {
  slack = await startSlackWebSimulator({
    tokens: [BOT_TOKEN],
    channels: [ALERTS_CHANNEL],
    limits: { 'chat.postMessage': { perSecond: 50, burst: 10 } },
  });
  return {
    fetch: globalThis.fetch as unknown as AppEnvironment['fetch'],
    apiUrl: slack.apiUrl,
    limiters: new WebApiLimiters({ messagesPerSecond: 50, burst: 10 }, 1),
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    postLimit: pLimit(4),
    requestTimeoutMs: 2_000,
    logger: silent,
    tokens: staticTokens({ alerts: BOT_TOKEN }),
    parents: parentStoreOver(new MemoryStateStore()),
  };
}

/** Notify groups (each finding on its own) for `alerts`. */
async function groupsOf(...findings: ReturnType<typeof makeRoutedFinding>[]): Promise<NotifyGroup[]> {
  return [...(await passThroughGate().filter(findings, Date.now())).notify];
}

describe('app destinations: attack sequences', () => {
  it('puts a finding that belongs to an attack sequence in the sequence’s thread, also within one batch', async () => {
    // Arrange: the sequence and one of its findings in one batch, another of its findings later.
    const env = await environment();
    const config = appConfig();
    const sequence = makeRoutedFinding('alerts', { type: 'AttackSequence:IAM/CompromisedCredentials', severity: 9.2 });
    const arn = `arn:aws:guardduty:us-east-1:444444444444:detector/d0000000000000000000000000000001/finding/${sequence.finding.id}`;
    const member = (): ReturnType<typeof makeRoutedFinding> => {
      const routed = makeRoutedFinding('alerts');
      return { ...routed, finding: { ...routed.finding, attackSequenceArn: arn } as typeof routed.finding };
    };
    const [first, later] = [member(), member()];

    // Act
    const one = await deliverAppGroups(await groupsOf(first, sequence), config, env, Date.now() + 10_000, emptyStats());
    const two = await deliverAppGroups(await groupsOf(later), config, env, Date.now() + 10_000, emptyStats());

    // Assert: one parent (the sequence), both findings in its thread.
    expect([...one, ...two].map((outcome) => outcome.status)).toEqual(['delivered', 'delivered', 'delivered']);
    const parents = slack!.parents(ALERTS_CHANNEL);
    expect(parents).toHaveLength(1);
    expect(JSON.stringify(parents[0]!.attachments)).toContain(sequence.finding.id);
    const replies = slack!.replies(ALERTS_CHANNEL, parents[0]!.ts).map((reply) => JSON.stringify(reply.attachments));
    expect(replies).toHaveLength(2);
    expect(replies[0]).toContain(first.finding.id);
    expect(replies[1]).toContain(later.finding.id);
  });

  it('gives a finding of a sequence not posted here a parent of its own', async () => {
    const env = await environment();
    const routed = makeRoutedFinding('alerts');
    const orphan = {
      ...routed,
      finding: {
        ...routed.finding,
        attackSequenceArn: 'arn:aws:guardduty:us-east-1:444444444444:detector/d1/finding/unknown',
      } as typeof routed.finding,
    };

    const outcomes = await deliverAppGroups(
      await groupsOf(orphan),
      appConfig(),
      env,
      Date.now() + 10_000,
      emptyStats(),
    );

    expect(outcomes.map((outcome) => outcome.status)).toEqual(['delivered']);
    expect(slack!.parents(ALERTS_CHANNEL)).toHaveLength(1);
  });
});

describe('app destinations: attack sequences through the handler', () => {
  let world: AppWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('threads a finding that names its sequence (associatedAttackSequenceArn) under the sequence’s parent', async () => {
    // Arrange: the sequence as GuardDuty publishes it, then an ordinary finding that belongs to it.
    world = await startAppWorld();
    const sequence = makeFindingEvent({ detail: attackSequence() });
    const member = makeFindingEvent({ detail: { associatedAttackSequenceArn: sequence.detail.arn } });

    // Act
    expect((await world.harness.invoke([makeSqsRecord(sequence)])).batchItemFailures).toEqual([]);
    expect((await world.harness.invoke([makeSqsRecord(member)])).batchItemFailures).toEqual([]);

    // Assert: one parent, the sequence; the member is a reply in its thread.
    const parents = world.slack.parents(ALERTS_CHANNEL);
    expect(parents).toHaveLength(1);
    expect(shownText(parents[0]!)).toContain(String(sequence.detail.id));
    const replies = world.slack.replies(ALERTS_CHANNEL, parents[0]!.ts).map((reply) => JSON.stringify(reply));
    expect(replies.some((reply) => reply.includes(String(member.detail.id)))).toBe(true);
  });
});
