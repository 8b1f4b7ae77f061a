import pLimit from 'p-limit';
import { afterEach, describe, expect, it } from 'vitest';
import {
  RateLimiters,
  deliverMessages,
  emptyStats,
  renderPlain,
  smallerForms,
  staticWebhooks,
  type DeliveryEnvironment,
  type FetchLike,
} from '../../destinations/slack-webhook/index.ts';
import { renderMessages, validatePayload } from '../../destinations/slack/render/index.ts';
import type { RoutedFinding } from '../../core/types.ts';
import {
  atSeverity,
  forAccount,
  makeFindingEvent,
  makeHubConfig,
  makeRoutedFinding,
  makeSqsRecord,
} from '../factories/index.ts';
import { startConsumerHarness, webhookPath, type ConsumerHarness } from '../support/consumer-harness.ts';

// Item 6 of issue 10: a message Slack refuses (400 invalid_…) is sent again smaller or simpler until
// only the finding Slack refuses fails, alone, with Slack's answer. The refusals come from the Slack
// simulator, which refuses any payload holding one finding's id, in whatever form it is rendered.

const TEAM_A = '222222222222';
const config = makeHubConfig({
  delivery: { messagesPerSecond: 50, burst: 50, digestThreshold: 5, maxFindingsPerMessage: 20 },
});

/** Finding ids named (through their console link) in the accepted messages. */
function namedIds(raws: readonly string[], ids: readonly string[]): string[] {
  return ids.filter((id) => raws.some((raw) => raw.includes(id)));
}

const routedBatch = (count: number): RoutedFinding[] =>
  Array.from({ length: count }, (_, i) => makeRoutedFinding('team-a', forAccount(TEAM_A), atSeverity(4 + (i % 5))));

describe('the smaller and simpler forms of a refused message', () => {
  it('splits a digest into two digests of half its findings, keeping each finding once', () => {
    const [digest] = renderMessages(routedBatch(20), config);

    const halves = smallerForms({ message: digest!, form: 'blocks' }, config, undefined);

    expect(digest!.kind).toBe('digest');
    expect(halves.map((h) => [h.message.kind, h.message.findings.length])).toEqual([
      ['digest', 10],
      ['digest', 10],
    ]);
    expect(halves.flatMap((h) => h.message.findings)).toEqual(digest!.findings);
  });

  it('turns one finding into a single message, then plain text, then nothing', () => {
    const [only] = routedBatch(1);
    const [single] = renderMessages([only!], config);

    const plain = smallerForms({ message: single!, form: 'blocks' }, config, undefined);
    const after = smallerForms(plain[0]!, config, undefined);

    expect(plain.map((p) => [p.form, p.message.kind])).toEqual([['plain', 'single']]);
    expect(plain[0]!.message.payload.attachments).toEqual([]);
    expect(after).toEqual([]);
  });

  it('writes the plain form as escaped text with the console link, within Slack limits', () => {
    const routed = makeRoutedFinding('team-a', forAccount(TEAM_A), { title: 'Exfil to <!channel> & evil>x' });

    const payload = renderPlain(routed, config, 'Sent here because team-b answered 404 channel_not_found');

    expect(validatePayload(payload)).toEqual([]);
    expect(payload.text).toContain('Exfil to &lt;!channel&gt; &amp; evil&gt;x');
    expect(payload.text).not.toContain('<!channel>');
    expect(payload.text).toContain(`<${routed.finding.consoleUrl}|Open in GuardDuty console>`);
    expect(payload.text).toContain('member1 (222222222222)');
    expect(payload.text).toContain('Sent here because team-b answered 404 channel_not_found');
  });
});

describe('delivering a digest with one finding Slack refuses', () => {
  let harness: ConsumerHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('delivers the 19 others and dead-letters only the refused finding, with its reason', async () => {
    const reasons = new Map<string, string>();
    harness = await startConsumerHarness(
      config,
      { ratePerSecond: 50, burst: 50 },
      {
        onBatch: (result) => {
          for (const letter of result.deadLettered) reasons.set(letter.messageId, letter.reason);
        },
      },
    );
    const events = Array.from({ length: 20 }, (_, i) =>
      makeFindingEvent({ detail: { ...forAccount(TEAM_A), severity: 4 + (i % 5) } }),
    );
    const records = events.map((event) => makeSqsRecord(event));
    const refused = events[7]!.detail.id;
    harness.simulator.setBehaviour(webhookPath('team-a'), { refuseContaining: refused, refuseBody: 'invalid_blocks' });

    const response = await harness.invoke(records);

    const ids = events.map((e) => e.detail.id);
    expect(namedIds(harness.received('team-a'), ids)).toEqual(ids.filter((id) => id !== refused));
    expect(response.batchItemFailures).toEqual([]);
    expect(harness.deadLetters.map((letter) => [letter.sourceMessageId, letter.kind])).toEqual([
      [records[7]!.messageId, 'rejected'],
    ]);
    expect(harness.captured.metric('FindingsDelivered')).toBe(19);
    const refusedLog = harness.captured
      .logs()
      .find((l) => l.message === 'Slack refused a payload in its simplest form; its findings fail');
    expect(refusedLog).toMatchObject({
      destination: 'team-a',
      status: 400,
      body: 'invalid_blocks',
      findingIds: [refused],
    });
    expect([...reasons]).toEqual([
      [records[7]!.messageId, 'team-a: Slack answered 400 invalid_blocks, even as plain text'],
    ]);
    expect(harness.captured.text()).not.toContain(webhookPath('team-a'));
    // 1 digest, then halves down to the finding: every attempt is a post through the rate limiter.
    const posts = harness.simulator.requests.filter((r) => r.path === webhookPath('team-a'));
    const refusals = posts.filter((r) => r.status === 400);
    expect(refusals.every((r) => r.raw.includes(refused))).toBe(true);
    expect(refusals.length).toBeLessThanOrEqual(8);
    expect(refusals.at(-1)!.body).toMatchObject({ attachments: [] });
  });

  it('keeps a rerouted finding’s note on its smaller forms', async () => {
    harness = await startConsumerHarness(config, { ratePerSecond: 50, burst: 50 });
    const events = Array.from({ length: 8 }, () => makeFindingEvent({ detail: forAccount(TEAM_A) }));
    harness.simulator.setBehaviour(webhookPath('team-a'), { gone: 404, body: 'channel_not_found' });
    harness.simulator.setBehaviour(webhookPath('security'), { refuseContaining: events[0]!.detail.id });

    const response = await harness.invoke(events.map((event) => makeSqsRecord(event)));

    const received = harness.received('security');
    expect(response.batchItemFailures).toEqual([]);
    expect(harness.deadLetters).toHaveLength(1);
    expect(
      namedIds(
        received,
        events.map((e) => e.detail.id),
      ),
    ).toHaveLength(7);
    expect(received.every((raw) => raw.includes('Sent here because team-a answered 404 channel_not_found'))).toBe(true);
  });
});

describe('re-sending within the rate limit and the deadline', () => {
  /** A fetch refusing every payload naming `marker` and taking the rest; the clock moves only on sleeps. */
  function refusingFetch(marker: string) {
    const posts: { atMs: number; body: string }[] = [];
    let nowMs = 1_000_000;
    const fetch: FetchLike = async (_url, init) => {
      posts.push({ atMs: nowMs, body: init.body });
      const refused = init.body.includes(marker);
      return {
        status: refused ? 400 : 200,
        headers: { get: () => null },
        text: async () => (refused ? 'invalid_blocks' : 'ok'),
      };
    };
    const env: DeliveryEnvironment = {
      fetch,
      webhooks: staticWebhooks({ 'team-a': 'https://hooks.slack.com/services/T0/B0/secret' }),
      limiters: new RateLimiters({ messagesPerSecond: 1, burst: 1 }, 1),
      now: () => nowMs,
      sleep: async (ms) => {
        nowMs += ms;
      },
      postLimit: pLimit(2),
      requestTimeoutMs: 5_000,
      logger: { warn: () => undefined, error: () => undefined, debug: () => undefined },
    };
    return { env, posts, now: () => nowMs };
  }

  it('spaces every re-send by the destination’s rate and defers what the deadline leaves out', async () => {
    const routed = routedBatch(8);
    const messages = renderMessages(routed, config);
    const { env, posts, now } = refusingFetch(routed[0]!.finding.id);
    const start = now();

    const outcomes = await deliverMessages(messages, env, start + 3_500, emptyStats(), { config });

    const gaps = posts.slice(1).map((p, i) => p.atMs - posts[i]!.atMs);
    expect(gaps.every((gap) => gap >= 1_000)).toBe(true);
    expect(posts.at(-1)!.atMs).toBeLessThan(start + 3_500);
    const fateOf = new Map(
      outcomes.flatMap((o) =>
        o.message.findings.map((f) => [f, o.status === 'delivered' ? 'delivered' : o.failure.class] as const),
      ),
    );
    expect(fateOf.size).toBe(8);
    expect(new Set(fateOf.values())).toContain('retry-after');
    expect([...fateOf.values()]).not.toContain('refused');
  });
});
