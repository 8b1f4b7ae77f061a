import { afterEach, describe, expect, it } from 'vitest';
import { REPLACES_DELETED } from '../../destinations/slack-app/index.ts';
import { findingKey } from '../../core/repeats/index.ts';
import { makeFindingEvent, makeSqsRecord } from '../factories/index.ts';
import { ALERTS_CHANNEL, BOT_TOKEN, appConfig, shownText, startAppWorld, type AppWorld } from './app-support.ts';
import { movableClock, republish, sameIssueIn } from './repeats-handler-support.ts';

let world: AppWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const noFailures = (response: { batchItemFailures: unknown[] }) => expect(response.batchItemFailures).toEqual([]);

describe('app destinations: one living message per issue', () => {
  it('posts one parent per finding and keeps its channel and ts on the finding record', async () => {
    // Arrange
    world = await startAppWorld();
    const first = makeFindingEvent();

    // Act: new, then a re-publication that is no news (count 2).
    noFailures(await world.harness.invoke([makeSqsRecord(first)]));
    noFailures(await world.harness.invoke([makeSqsRecord(republish(first, 2))]));

    // Assert
    const parents = world.slack.parents(ALERTS_CHANNEL);
    expect(parents).toHaveLength(1);
    expect(shownText(parents[0]!)).toContain(first.detail.id);
    expect(world.store.snapshot().get(findingKey({ id: String(first.detail.id) }))?.message).toMatchObject({
      destination: 'alerts',
      channel: ALERTS_CHANNEL,
      ts: parents[0]!.ts,
      archived: false,
    });
    expect(world.slack.succeeded('chat.update')).toHaveLength(0);
    expect(world.harness.received('security')).toHaveLength(0);
  });

  it('edits the parent and replies in its thread when the count crosses a milestone', async () => {
    world = await startAppWorld();
    const first = makeFindingEvent();

    await world.harness.invoke([makeSqsRecord(first)]);
    noFailures(await world.harness.invoke([makeSqsRecord(republish(first, 10))]));

    const [parent] = world.slack.parents(ALERTS_CHANNEL);
    expect(world.slack.parents(ALERTS_CHANNEL)).toHaveLength(1);
    expect(parent!.edits).toBe(1);
    expect(shownText(parent!)).toMatch(/\*Count\*\\n10/);
    const replies = world.slack.replies(ALERTS_CHANNEL, parent!.ts);
    expect(replies.map((reply) => reply.text)).toEqual([expect.stringContaining('Count reached *10*')]);
    expect(replies[0]!.replyBroadcast).toBe(false);
  });

  it('edits the parent and broadcasts the thread reply to the channel when the severity rises', async () => {
    world = await startAppWorld();
    const first = makeFindingEvent();

    await world.harness.invoke([makeSqsRecord(first)]);
    noFailures(await world.harness.invoke([makeSqsRecord(republish(first, 3, 8))]));

    const [parent] = world.slack.parents(ALERTS_CHANNEL);
    expect(parent!.edits).toBe(1);
    expect(shownText(parent!)).toContain('High 8.0');
    const replies = world.slack.replies(ALERTS_CHANNEL, parent!.ts);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({
      replyBroadcast: true,
      text: expect.stringContaining('Severity rose to *High 8.0*'),
    });
  });

  it('edits the first region’s parent when the same issue is seen in another region later', async () => {
    world = await startAppWorld(appConfig({ repeats: { crossRegionWindowMinutes: 60 } }));
    const [east, north] = sameIssueIn(['us-east-1', 'eu-north-1']);

    noFailures(await world.harness.invoke([makeSqsRecord(east!)]));
    noFailures(await world.harness.invoke([makeSqsRecord(north!)]));

    const parents = world.slack.parents(ALERTS_CHANNEL);
    expect(parents).toHaveLength(1);
    expect(parents[0]!.edits).toBe(1);
    expect(shownText(parents[0]!)).toMatch(/eu-north-1, us-east-1/);
    expect(world.slack.replies(ALERTS_CHANNEL, parents[0]!.ts).map((reply) => reply.text)).toEqual([
      expect.stringContaining('Now also seen in *eu-north-1*'),
    ]);
  });

  it('marks the parent archived when the finding is archived, once, instead of dropping it', async () => {
    world = await startAppWorld();
    const first = makeFindingEvent();
    const archived = republish(first, 2);
    archived.detail.service = { ...archived.detail.service, archived: true };

    await world.harness.invoke([makeSqsRecord(first)]);
    noFailures(await world.harness.invoke([makeSqsRecord(archived)]));
    noFailures(await world.harness.invoke([makeSqsRecord(archived)]));

    const [parent] = world.slack.parents(ALERTS_CHANNEL);
    expect(parent!.edits).toBe(1);
    expect(parent!.text).toMatch(/^\[archived\]/);
    expect(shownText(parent!)).toContain('Status: archived in GuardDuty');
    expect(world.slack.replies(ALERTS_CHANNEL, parent!.ts).map((reply) => reply.text)).toEqual([
      expect.stringContaining('Archived in GuardDuty'),
    ]);
    expect(world.harness.captured.metric('FindingsSkipped_archived')).toBe(2);
    expect(world.store.snapshot().get(findingKey({ id: String(first.detail.id) }))?.message?.archived).toBe(true);
  });

  it('posts a new parent when someone deleted the old one, keeps the new ts, and replies the news under it saying so', async () => {
    world = await startAppWorld();
    const first = makeFindingEvent();
    await world.harness.invoke([makeSqsRecord(first)]);
    const [old] = world.slack.parents(ALERTS_CHANNEL);
    world.slack.deleteMessage(ALERTS_CHANNEL, old!.ts);

    noFailures(await world.harness.invoke([makeSqsRecord(republish(first, 10))]));

    const parents = world.slack.parents(ALERTS_CHANNEL);
    expect(parents).toHaveLength(1);
    expect(parents[0]!.ts).not.toBe(old!.ts);
    expect(shownText(parents[0]!)).toMatch(/\*Count\*\\n10/);
    expect(world.slack.calls.filter((call) => call.method === 'chat.update').map((call) => call.error)).toEqual([
      'message_not_found',
    ]);
    expect(world.store.snapshot().get(findingKey({ id: String(first.detail.id) }))?.message?.ts).toBe(parents[0]!.ts);
    expect(world.slack.replies(ALERTS_CHANNEL, parents[0]!.ts).map((reply) => reply.text)).toEqual([
      `Count reached *10* (last seen 2026-01-15T10:10:00.000Z). ${REPLACES_DELETED}`,
    ]);
  });

  it('sends the findings of a destination whose token was revoked to the default destination, losing none', async () => {
    world = await startAppWorld();
    world.slack.revoke(BOT_TOKEN);
    const events = [makeFindingEvent(), makeFindingEvent()];

    const response = await world.harness.invoke(events.map((event) => makeSqsRecord(event)));

    noFailures(response);
    const received = world.harness.received('security');
    expect(received).toHaveLength(2);
    for (const event of events) expect(received.join('\n')).toContain(String(event.detail.id));
    expect(received[0]).toContain('Sent here because alerts answered chat.postMessage with token_revoked');
    expect(world.harness.captured.metric('FindingsDelivered')).toBe(2);
    expect(world.harness.deadLetters).toEqual([]);
  });

  it('pauses chat.update for Retry-After on a 429 and then edits the parent', async () => {
    world = await startAppWorld();
    const first = makeFindingEvent();
    await world.harness.invoke([makeSqsRecord(first)]);
    world.slack.failNext('chat.update', 'ratelimited', 1, 1);

    const startedMs = Date.now();
    noFailures(await world.harness.invoke([makeSqsRecord(republish(first, 10))]));

    const updates = world.slack.calls.filter((call) => call.method === 'chat.update');
    expect(updates.map((call) => call.status)).toEqual([429, 200]);
    expect(updates[1]!.atMs - updates[0]!.atMs).toBeGreaterThanOrEqual(1000);
    expect(Date.now() - startedMs).toBeGreaterThanOrEqual(1000);
    expect(world.harness.captured.metric('SlackThrottled')).toBe(1);
    expect(world.harness.captured.metric('SlackWebApiCalls')).toBe(
      world.slack.calls.filter((call) => call.status !== 429).length,
    );
    expect(world.slack.parents(ALERTS_CHANNEL)[0]!.edits).toBe(1);
  });

  it('hands a finding back when the parent edit cannot be made in time, and edits it on the next receive', async () => {
    const clock = movableClock();
    world = await startAppWorld(appConfig(), { now: clock.now });
    const first = makeFindingEvent();
    await world.harness.invoke([makeSqsRecord(first)]);
    world.slack.failNext('chat.update', 'ratelimited', 1, 30);

    const record = makeSqsRecord(republish(first, 10));
    const handedBack = await world.harness.invoke([record], 3_000);
    clock.advance(31_000);
    const again = await world.harness.invoke([record]);

    expect(handedBack.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    noFailures(again);
    expect(world.slack.parents(ALERTS_CHANNEL)[0]!.edits).toBe(1);
    expect(world.slack.replies(ALERTS_CHANNEL, world.slack.parents(ALERTS_CHANNEL)[0]!.ts)).toHaveLength(1);
  });

  it('posts a refused parent again as plain text, and dead-letters only a finding refused even so, with the reason', async () => {
    world = await startAppWorld();
    const [plain, refused] = [makeFindingEvent(), makeFindingEvent()];

    world.slack.failNext('chat.postMessage', 'msg_too_long', 1);
    noFailures(await world.harness.invoke([makeSqsRecord(plain)]));
    world.slack.failNext('chat.postMessage', 'invalid_blocks', 2);
    const record = makeSqsRecord(refused);
    const response = await world.harness.invoke([record]);

    const parents = world.slack.parents(ALERTS_CHANNEL);
    expect(parents).toHaveLength(1);
    expect(parents[0]!.attachments).toEqual([]);
    expect(parents[0]!.text).toContain(String(plain.detail.id));
    expect(response.batchItemFailures).toEqual([]);
    expect(world.harness.deadLetters.map((letter) => [letter.sourceMessageId, letter.kind, letter.reason])).toEqual([
      [
        record.messageId,
        'rejected',
        'alerts: Slack refused the payload of chat.postMessage: invalid_blocks, even as plain text',
      ],
    ]);
  });

  it('never writes the bot token to logs, metrics or errors, whatever goes wrong', async () => {
    world = await startAppWorld();
    const first = makeFindingEvent();
    await world.harness.invoke([makeSqsRecord(first)]);
    world.slack.failNext('chat.update', 'internal_error', 2);
    await world.harness.invoke([makeSqsRecord(republish(first, 10))]);
    world.slack.failNext('chat.postMessage', 'not_in_channel', 1);
    await world.harness.invoke([makeSqsRecord(makeFindingEvent())]);
    world.slack.revoke(BOT_TOKEN);
    await world.harness.invoke([makeSqsRecord(makeFindingEvent())]);

    const everything = JSON.stringify(world.harness.captured.logs()) + JSON.stringify(world.harness.deadLetters);
    expect(world.slack.calls.every((call) => call.authorization === `Bearer ${BOT_TOKEN}`)).toBe(true);
    expect(everything).not.toContain(BOT_TOKEN);
    expect(everything).not.toContain('xoxb-');
    expect(everything).toContain('token_revoked');
  });
});
