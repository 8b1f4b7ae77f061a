import { afterEach, describe, expect, it } from 'vitest';
import type { FetchLike } from '../../core/port/fetch.ts';
import { atSeverity, forAccount, makeFindingEvent, makeSqsRecord } from '../factories/index.ts';
import { VirtualClock } from '../support/fault-world.ts';
import { ONCALL_KEY, PAGED_ACCOUNT, pagerConfig, startPagerWorld, type PagerWorld } from './pagerduty-support.ts';

let world: PagerWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** A critical finding of the paged account. */
const paged = () => makeFindingEvent({ detail: { ...forAccount(PAGED_ACCOUNT), ...atSeverity(9) } });

describe('PagerDuty failures, classified and acted on by the core', () => {
  it.each([
    ['deleted (404)', { gone: 404 }, ONCALL_KEY, 'Sent here because oncall answered 404 error; Integration not found'],
    ['refusing the key (401)', { gone: 401 }, ONCALL_KEY, 'Sent here because oncall answered 401'],
    [
      'unknown to PagerDuty (400 Invalid routing key)',
      {},
      'UnknownKey0000000000000000000000',
      'Sent here because oncall answered 400 invalid event; Event object is invalid; Invalid routing key',
    ],
  ] as const)(
    'sends each finding of an integration %s to the default destination once, with a note',
    async (_, behaviour, key, note) => {
      world = await startPagerWorld(pagerConfig(), {}, key);
      world.pager.integration(ONCALL_KEY, behaviour);
      const events = [paged(), paged()];

      const responses = [
        await world.harness.invoke([makeSqsRecord(events[0]!)]),
        await world.harness.invoke([makeSqsRecord(events[1]!)]),
      ];

      expect(responses.flatMap((response) => response.batchItemFailures)).toEqual([]);
      const shown = world.harness.received('security');
      expect(shown).toHaveLength(2);
      events.forEach((event, i) => {
        expect(shown[i]).toContain(String(event.detail.id));
        expect(shown[i]).toContain(note);
      });
      expect(world.events()).toEqual([]);
      expect(world.harness.deadLetters).toEqual([]);
    },
  );

  it('fails over with a note when the secret holds no routing key', async () => {
    world = await startPagerWorld(pagerConfig(), {}, 'not-a-routing-key');
    const event = paged();

    const response = await world.harness.invoke([makeSqsRecord(event)]);

    expect(response.batchItemFailures).toEqual([]);
    expect(world.harness.received('security')).toHaveLength(1);
    expect(world.harness.received('security')[0]).toContain(String(event.detail.id));
    expect(world.harness.received('security')[0]).toContain(
      'Sent here because the PagerDuty routing key of oncall could not be read',
    );
  });

  it('hands the records back while the secret cannot be read for now, never logging the SDK’s message', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    world = await startPagerWorld(pagerConfig(), {
      secrets: async () => {
        throw throttled;
      },
    });
    const record = makeSqsRecord(paged());

    const response = await world.harness.invoke([record]);

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(world.harness.received('security')).toEqual([]);
    expect(world.harness.captured.text()).toContain('ThrottlingException');
    expect(world.harness.captured.text()).not.toContain('Rate exceeded');
  });

  it('retries 5xx within the invocation and triggers once PagerDuty is back', async () => {
    world = await startPagerWorld();
    world.pager.integration(ONCALL_KEY, { fail5xxFor: 600 });
    const event = paged();

    const response = await world.harness.invoke([makeSqsRecord(event)]);

    expect(response.batchItemFailures).toEqual([]);
    expect(world.pager.requests.filter((request) => request.status === 500).length).toBeGreaterThan(0);
    expect(world.events().map((sent) => sent.dedup_key)).toEqual([`finding#${event.detail.id}`]);
  });

  it('pauses the routing key for the documented 30 s after a 429 without Retry-After, then sends', async () => {
    const clock = new VirtualClock(Date.parse('2026-03-01T00:00:00Z'));
    world = await startPagerWorld(pagerConfig(), { now: clock.now, sleep: clock.sleep }, undefined, { now: clock.now });
    world.pager.integration(ONCALL_KEY, { throttleNext: 1 });

    const response = await world.harness.invoke([makeSqsRecord(paged())], 120_000);

    expect(response.batchItemFailures).toEqual([]);
    const [throttledAt, acceptedAt] = world.pager.requests.map((request) => [request.status, request.receivedAtMs]);
    expect(throttledAt?.[0]).toBe(429);
    expect(acceptedAt?.[0]).toBe(202);
    expect((acceptedAt?.[1] ?? 0) - (throttledAt?.[1] ?? 0)).toBeGreaterThanOrEqual(30_000);
  });
});

describe('the routing key is a secret', () => {
  it('never appears in a log line, a metric, a dead letter’s reason or a note, whatever PagerDuty answers', async () => {
    // PagerDuty (here, a fetch standing in for it) quotes the key back in its errors.
    let calls = 0;
    const echoing: FetchLike = async (_url, init) => {
      calls += 1;
      const key = (JSON.parse(init.body) as { routing_key: string }).routing_key;
      const status = [400, 503, 404][calls % 3] ?? 400;
      const body = JSON.stringify({
        status: 'invalid event',
        message: `key ${key} said no`,
        errors: [`'routing_key' ${key}`],
      });
      return { status, headers: { get: () => null }, text: async () => body };
    };
    world = await startPagerWorld(pagerConfig(), { fetch: echoing, requestTimeoutMs: 200 });
    const records = [paged(), paged(), paged()].map((event) => makeSqsRecord(event));

    const responses = await Promise.all(records.map((record) => world!.harness.invoke([record], 1_500)));

    const everything = [
      world.harness.captured.text(),
      JSON.stringify(responses),
      JSON.stringify(world.harness.deadLetters.map((letter) => letter.reason)),
      world.harness.received('security').join('\n'),
    ].join('\n');
    expect(calls).toBeGreaterThan(0);
    expect(everything).toContain('[routing key]');
    expect(everything).not.toContain(ONCALL_KEY);
  });
});
