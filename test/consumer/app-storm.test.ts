import { afterEach, describe, expect, it } from 'vitest';
import { makeFindingEvent, makeSqsRecord } from '../factories/index.ts';
import { ALERTS_CHANNEL, BOT_TOKEN, appConfig, shownText, startAppWorld, type AppWorld } from './app-support.ts';
import { gateOver } from './repeats-handler-support.ts';

let world: AppWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('app destinations: storms', () => {
  it('turns a storm into one summary parent per window, each batch’s complete list a file in its thread', async () => {
    // Arrange: 30 findings, then 10 more (digestThreshold 5).
    world = await startAppWorld();
    const first = Array.from({ length: 30 }, () => makeFindingEvent());
    const second = Array.from({ length: 10 }, (_, i) => makeFindingEvent({ detail: { severity: i === 0 ? 8.5 : 5 } }));

    // Act
    const responses = [
      await world.harness.invoke(first.map((e) => makeSqsRecord(e))),
      await world.harness.invoke(second.map((e) => makeSqsRecord(e))),
    ];

    // Assert: one parent, edited once to 40; two files in its thread naming every finding.
    expect(responses.flatMap((r) => r.batchItemFailures)).toEqual([]);
    const parents = world.slack.parents(ALERTS_CHANNEL);
    expect(parents).toHaveLength(1);
    expect(parents[0]!.edits).toBe(1);
    expect(parents[0]!.text).toContain('GuardDuty storm: 40 findings');
    expect(shownText(parents[0]!)).toContain('1 High, 39 Medium');
    const files = world.slack.files;
    expect(files.map((file) => [file.channel, file.threadTs])).toEqual([
      [ALERTS_CHANNEL, parents[0]!.ts],
      [ALERTS_CHANNEL, parents[0]!.ts],
    ]);
    expect(files[0]!.content.trim().split('\n')).toHaveLength(31);
    const listed = files.map((file) => file.content).join('\n');
    for (const event of [...first, ...second]) expect(listed).toContain(String(event.detail.id));
    expect(files[1]!.initialComment).toContain('40 in this storm so far');
    expect(world.harness.captured.metric('FindingsDelivered')).toBe(40);
    expect(world.harness.received('security')).toHaveLength(0);
  });

  it('spends at most four Web API calls per storm batch, whatever its size', async () => {
    world = await startAppWorld();
    const batches = [200, 500].map((size) => Array.from({ length: size }, () => makeFindingEvent()));

    for (const batch of batches) await world.harness.invoke(batch.map((e) => makeSqsRecord(e)));

    const calls = world.slack.calls.filter((call) => call.status === 200);
    expect(calls.map((call) => call.method)).toEqual([
      'chat.postMessage',
      'files.getUploadURLExternal',
      'files.completeUploadExternal',
      'chat.update',
      'files.getUploadURLExternal',
      'files.completeUploadExternal',
    ]);
    expect(world.slack.files.map((file) => file.content.trim().split('\n').length - 1)).toEqual([200, 500]);
  });

  it('sends a storm to the default destination as digests when the token is revoked, losing none', async () => {
    world = await startAppWorld();
    world.slack.revoke(BOT_TOKEN);
    const events = Array.from({ length: 12 }, () => makeFindingEvent());

    const response = await world.harness.invoke(events.map((e) => makeSqsRecord(e)));

    expect(response.batchItemFailures).toEqual([]);
    const received = world.harness.received('security').join('\n');
    for (const event of events) expect(received).toContain(String(event.detail.id));
    expect(world.harness.captured.metric('FindingsDelivered')).toBe(12);
  });

  it('posts one summary between two consumer instances caught in the same storm', async () => {
    // Arrange: two instances (own gates and rate limiters) over one state table.
    world = await startAppWorld();
    const other = world.harness.instance({ repeats: gateOver(appConfig(), world.store) });
    const batches = [0, 1].map(() => Array.from({ length: 20 }, () => makeFindingEvent()));

    // Act: both receive a storm batch at the same time.
    const responses = await Promise.all([
      world.harness.invoke(batches[0]!.map((e) => makeSqsRecord(e))),
      other.invoke(batches[1]!.map((e) => makeSqsRecord(e))),
    ]);

    // Assert
    expect(responses.flatMap((r) => r.batchItemFailures)).toEqual([]);
    const parents = world.slack.parents(ALERTS_CHANNEL);
    expect(parents).toHaveLength(1);
    expect(world.slack.files.map((file) => file.threadTs)).toEqual([parents[0]!.ts, parents[0]!.ts]);
    const listed = world.slack.files.map((file) => file.content).join('\n');
    for (const event of batches.flat()) expect(listed).toContain(String(event.detail.id));
  });
});
