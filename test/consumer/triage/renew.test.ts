import { afterEach, describe, expect, it } from 'vitest';
import { staticTokens } from '../../../destinations/slack-app/index.ts';
import { FILTER_RENEW_ACTION_ID } from '../../../destinations/slack-app/triage/renew-filter.ts';
import { slackForTriage } from '../../../destinations/slack-app/triage/slack.ts';
import { nodeHttpFetch } from '../../../core/port/http-fetch.ts';
import { slackNoticePoster } from '../../../lambdas/drift/filter-expiry-io.ts';
import { reminderNotice } from '../../../lambdas/drift/filter-expiry.ts';
import { buttonsOf, clickEvent } from '../../../devkit/slack/interactivity.ts';
import { ALERTS_CHANNEL, BOT_TOKEN } from '../app-support.ts';
import { BOB, CAROL, recordingGuardDuty, startTriageWorld, type TriageWorld } from './triage-support.ts';

// Renew, the button on the drift check's reminder, through the signed triage endpoint: only a user of
// triage.allow.suppress pushes the filter's expiry out, in every configured region.

const DAY = 86_400_000;
const FILTER = 'gdh-slack-00112233445566ff';

let world: TriageWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function withReminder() {
  const guardduty = recordingGuardDuty();
  const nowMs = Date.now();
  world = await startTriageWorld({ guardduty, wiring: { now: () => nowMs } });
  const parent = await world.postFinding();
  const post = slackNoticePoster(
    world.config,
    staticTokens({ alerts: BOT_TOKEN }),
    slackForTriage({ apiUrl: world.slack.apiUrl, fetch: nodeHttpFetch() }),
  );
  const filter = {
    name: FILTER,
    owner: BOB,
    expiresAtMs: nowMs + 5 * DAY,
    channel: ALERTS_CHANNEL,
    threadTs: parent.ts,
  };
  await post(reminderNotice(filter, 90));
  const [reminder] = world.slack.replies(ALERTS_CHANNEL, parent.ts);
  return { w: world, guardduty, parent, reminder: reminder!, nowMs };
}

describe('Renew on a Slack-made filter’s reminder', () => {
  it('refuses a forged click (401) and a user triage.allow.suppress does not list, and changes nothing', async () => {
    const { w, guardduty, reminder } = await withReminder();

    const forged = await w.triage(
      clickEvent(w.slack, {
        message: reminder,
        actionId: FILTER_RENEW_ACTION_ID,
        userId: BOB,
        signingSecret: 'e'.repeat(32),
      }),
    );
    await w.triage(w.clickOf(reminder, FILTER_RENEW_ACTION_ID, CAROL));

    expect(forged).toMatchObject({ statusCode: 401 });
    expect(await w.settle()).toEqual(['refused']);
    expect(guardduty.calls).toEqual([]);
    expect(w.slack.responses.at(-1)?.body).toMatchObject({ text: expect.stringContaining('triage.allow.suppress') });
  });

  it('pushes the expiry out to now + suppressExpiryDays in every region, takes the button off the reminder and says so in the thread', async () => {
    const { w, guardduty, parent, reminder, nowMs } = await withReminder();

    await w.triage(w.clickOf(reminder, FILTER_RENEW_ACTION_ID, BOB));

    expect(await w.settle()).toEqual(['done']);
    const until = new Date(nowMs + 90 * DAY).toISOString();
    expect(guardduty.calls).toEqual(w.config.regions.map((region) => `renewFilter ${region} ${FILTER} ${until}`));
    expect(buttonsOf(w.slack.messages.find((m) => m.ts === reminder.ts)!)).toEqual([]);
    expect(w.slack.replies(ALERTS_CHANNEL, parent.ts).at(-1)?.text).toMatch(
      new RegExp(`^:arrows_counterclockwise: <@${BOB}> renewed the GuardDuty filter \`${FILTER}\` until `),
    );
  });
});
