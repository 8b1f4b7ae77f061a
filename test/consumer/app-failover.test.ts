import { afterEach, describe, expect, it } from 'vitest';
import { DESTINATION_GONE_CODES } from '../../destinations/slack-app/index.ts';
import { makeFindingEvent, makeSqsRecord, type FindingEvent } from '../factories/index.ts';
import { ALERTS_CHANNEL, BOT_TOKEN, startAppWorld, type AppWorld } from './app-support.ts';
import { republish } from './repeats-handler-support.ts';

// An app destination that goes away (a revoked token, a channel gone) sends each of its findings to
// the default destination once, digested by the default's own rules; no record's fate is another's.
// A payload Slack refuses in its simplest form goes to the DLQ at once, with the reason.

let world: AppWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** For each event, how many of `texts` (messages, files) name its finding. */
function timesNamed(texts: readonly string[], events: readonly FindingEvent[]): number[] {
  return events.map((event) => texts.filter((text) => text.includes(String(event.detail.id))).length);
}

describe('failover of an app destination that goes away', () => {
  it('sends each finding of a 100-finding batch to the default destination exactly once, digested there', async () => {
    world = await startAppWorld();
    world.slack.revoke(BOT_TOKEN);
    const events = Array.from({ length: 100 }, () => makeFindingEvent());

    const response = await world.harness.invoke(events.map((event) => makeSqsRecord(event)));

    expect(response.batchItemFailures).toEqual([]);
    const received = world.harness.received('security');
    expect(timesNamed(received, events)).toEqual(events.map(() => 1));
    expect(received).toHaveLength(5);
    expect(
      received.every((raw) => raw.includes('Sent here because alerts answered chat.postMessage with token_revoked')),
    ).toBe(true);
    expect(world.harness.captured.metric('FindingsDelivered')).toBe(100);
    expect(world.harness.deadLetters).toEqual([]);
  });

  it.each(DESTINATION_GONE_CODES)(
    'fails over once per finding when Slack answers %s, for single findings and for a storm',
    async (code) => {
      world = await startAppWorld();
      const few = Array.from({ length: 3 }, () => makeFindingEvent());
      const storm = Array.from({ length: 12 }, () => makeFindingEvent());
      world.slack.failNext('chat.postMessage', code, 100);

      const responses = [
        await world.harness.invoke(few.map((event) => makeSqsRecord(event))),
        await world.harness.invoke(storm.map((event) => makeSqsRecord(event))),
      ];

      expect(responses.flatMap((response) => response.batchItemFailures)).toEqual([]);
      expect(timesNamed(world.harness.received('security'), [...few, ...storm])).toEqual(
        [...few, ...storm].map(() => 1),
      );
      expect(world.harness.deadLetters).toEqual([]);
    },
  );

  it('loses and repeats nothing when the token is revoked in the middle of a 10,000-finding storm', {
    timeout: 60_000,
  }, async () => {
    // Batches of 1,000 (a backlog at a large batchSize): Slack's files methods allow 100 calls a minute.
    world = await startAppWorld();
    const events = Array.from({ length: 10_000 }, () => makeFindingEvent());
    const batches = Array.from({ length: 10 }, (_, i) => events.slice(i * 1_000, (i + 1) * 1_000));

    const failures: unknown[] = [];
    for (const [index, batch] of batches.entries()) {
      if (index === 4) world.slack.revoke(BOT_TOKEN);
      failures.push(...(await world.harness.invoke(batch.map((event) => makeSqsRecord(event)))).batchItemFailures);
    }

    expect(failures).toEqual([]);
    const listedInFiles = world.slack.files.map((file) => file.content);
    const atDefault = world.harness.received('security');
    expect(timesNamed([...listedInFiles, ...atDefault], events)).toEqual(events.map(() => 1));
    expect(listedInFiles).toHaveLength(4);
    expect(timesNamed(listedInFiles, events.slice(0, 4_000))).toEqual(events.slice(0, 4_000).map(() => 1));
    expect(world.harness.captured.metric('FindingsDelivered')).toBe(10_000);
    expect(world.harness.deadLetters).toEqual([]);
  });
});

describe('a payload Slack refuses in its simplest form', () => {
  it('goes to the DLQ after one receive, with the destination, Slack’s code and the form tried', async () => {
    world = await startAppWorld();
    const first = makeFindingEvent();
    await world.harness.invoke([makeSqsRecord(first)]);
    world.slack.failNext('chat.update', 'invalid_blocks', 2);
    const record = makeSqsRecord(republish(first, 10));

    const response = await world.harness.invoke([record]);

    expect(response.batchItemFailures).toEqual([]);
    expect(
      world.harness.deadLetters.map((letter) => [
        letter.sourceMessageId,
        letter.kind,
        letter.reason,
        letter.receiveCount,
      ]),
    ).toEqual([
      [
        record.messageId,
        'rejected',
        'alerts: Slack refused the payload of chat.update: invalid_blocks, even as plain text',
        '1',
      ],
    ]);
    expect(world.slack.calls.filter((call) => call.method === 'chat.update').map((call) => call.error)).toEqual([
      'invalid_blocks',
      'invalid_blocks',
    ]);
    expect(world.slack.replies(ALERTS_CHANNEL, world.slack.parents(ALERTS_CHANNEL)[0]!.ts)).toEqual([]);
  });

  it('edits the parent as plain text when Slack refuses only its blocks', async () => {
    world = await startAppWorld();
    const first = makeFindingEvent();
    await world.harness.invoke([makeSqsRecord(first)]);
    world.slack.failNext('chat.update', 'invalid_blocks', 1);

    const response = await world.harness.invoke([makeSqsRecord(republish(first, 10))]);

    expect(response.batchItemFailures).toEqual([]);
    const [parent] = world.slack.parents(ALERTS_CHANNEL);
    expect(parent!.attachments).toEqual([]);
    expect(parent!.text).toContain(String(first.detail.id));
    expect(world.slack.replies(ALERTS_CHANNEL, parent!.ts).map((reply) => reply.text)).toEqual([
      expect.stringContaining('Count reached *10*'),
    ]);
    expect(world.harness.deadLetters).toEqual([]);
  });
});
