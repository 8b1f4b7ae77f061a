import { afterEach, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, TRIAGE_ACTION_IDS, type TriageJob } from '../../../lambdas/consumer/index.ts';
import { parseButtonClick } from '../../../lambdas/triage/index.ts';
import { blockActionsPayload, formBody, slackHeaders, urlEvent } from '../../../devkit/slack/interactivity.ts';
import { ALICE, SIGNING_SECRET, recordingGuardDuty, startTriageWorld, type TriageWorld } from './triage-support.ts';

// The front of the triage function against signed requests built the way Slack documents them
// (test/support/slack-interactivity.ts signs with its own HMAC code). "Nothing done" is checked on
// what the outside world saw: no job handed to the worker, no GuardDuty call, no Slack call.

let world: TriageWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const nowSeconds = () => Math.floor(Date.now() / 1000);

async function armed(): Promise<{
  world: TriageWorld;
  guardduty: ReturnType<typeof recordingGuardDuty>;
  body: string;
  slackCallsBefore: number;
}> {
  const guardduty = recordingGuardDuty();
  world = await startTriageWorld({ guardduty });
  const parent = await world.postFinding();
  const body = formBody(
    blockActionsPayload(world.slack, { message: parent, actionId: TRIAGE_ACTION_IDS.archive, userId: ALICE }),
  );
  return { world, guardduty, body, slackCallsBefore: world.slack.calls.length };
}

function expectNothingDone(w: TriageWorld, guardduty: { calls: string[] }, slackCallsBefore: number): void {
  expect(w.jobs).toEqual([]);
  expect(guardduty.calls).toEqual([]);
  expect(w.slack.calls).toHaveLength(slackCallsBefore);
  expect(w.slack.responses).toEqual([]);
}

describe('the triage front', () => {
  it('answers 200 to a well-signed click and hands it to the worker once', async () => {
    const { world: w, guardduty, body } = await armed();

    const answer = await w.triage(urlEvent(body, slackHeaders(body, SIGNING_SECRET, nowSeconds())));
    const outcomes = await w.settle();

    expect(answer).toMatchObject({ statusCode: 200 });
    expect(w.jobs).toHaveLength(1);
    expect(outcomes).toEqual(['done']);
    expect(guardduty.calls).toEqual([expect.stringMatching(/^archive us-east-1 /)]);
  });

  it('accepts a base64-encoded body (function URLs may deliver it so)', async () => {
    const { world: w, body } = await armed();

    const answer = await w.triage(urlEvent(body, slackHeaders(body, SIGNING_SECRET, nowSeconds()), true));

    expect(answer).toMatchObject({ statusCode: 200 });
    expect(w.jobs).toHaveLength(1);
  });

  it.each([
    ['a signature made with another secret', (body: string) => slackHeaders(body, 'f'.repeat(32), nowSeconds())],
    ['a signature over another body', (body: string) => slackHeaders(`${body}&x=1`, SIGNING_SECRET, nowSeconds())],
    ['a timestamp 6 minutes old', (body: string) => slackHeaders(body, SIGNING_SECRET, nowSeconds() - 360)],
    ['a timestamp 6 minutes ahead', (body: string) => slackHeaders(body, SIGNING_SECRET, nowSeconds() + 360)],
    [
      'no signature header',
      (body: string) => ({ ...slackHeaders(body, SIGNING_SECRET, nowSeconds()), 'x-slack-signature': '' }),
    ],
    [
      'no timestamp header',
      (body: string) =>
        Object.fromEntries(
          Object.entries(slackHeaders(body, SIGNING_SECRET, nowSeconds())).filter(
            ([key]) => key !== 'x-slack-request-timestamp',
          ),
        ),
    ],
    [
      'a truncated signature',
      (body: string) => ({
        ...slackHeaders(body, SIGNING_SECRET, nowSeconds()),
        'x-slack-signature': slackHeaders(body, SIGNING_SECRET, nowSeconds())['x-slack-signature']!.slice(0, 20),
      }),
    ],
  ])('refuses %s with 401 and does nothing', async (_name, headersFor) => {
    const { world: w, guardduty, body, slackCallsBefore } = await armed();

    const answer = await w.triage(urlEvent(body, headersFor(body)));
    await w.settle();

    expect(answer).toMatchObject({ statusCode: 401 });
    expectNothingDone(w, guardduty, slackCallsBefore);
  });

  it('refuses a replayed request (the same signed request twice) with 401, doing the work once', async () => {
    const { world: w, guardduty, body } = await armed();
    const event = urlEvent(body, slackHeaders(body, SIGNING_SECRET, nowSeconds()));

    const first = await w.triage(event);
    const replay = await w.triage(event);
    await w.settle();

    expect([first, replay]).toMatchObject([{ statusCode: 200 }, { statusCode: 401 }]);
    expect(w.jobs).toHaveLength(1);
    expect(guardduty.calls).toHaveLength(1);
  });

  it(`refuses a body over ${MAX_BODY_BYTES / 1024} KiB with 401 before checking anything, signed or not`, async () => {
    const { world: w, guardduty, body, slackCallsBefore } = await armed();
    const big = `${body}&pad=${'a'.repeat(MAX_BODY_BYTES)}`;

    const plain = await w.triage(urlEvent(big, slackHeaders(big, SIGNING_SECRET, nowSeconds())));
    const encoded = await w.triage(urlEvent(big, slackHeaders(big, SIGNING_SECRET, nowSeconds()), true));

    expect([plain, encoded]).toMatchObject([{ statusCode: 401 }, { statusCode: 401 }]);
    expectNothingDone(w, guardduty, slackCallsBefore);
  });

  it('answers 400 to a signed body that is not a block_actions payload, and does nothing', async () => {
    const { world: w, guardduty, slackCallsBefore } = await armed();
    const body = formBody({ type: 'view_submission' });

    const answer = await w.triage(urlEvent(body, slackHeaders(body, SIGNING_SECRET, nowSeconds())));

    expect(answer).toMatchObject({ statusCode: 400 });
    expectNothingDone(w, guardduty, slackCallsBefore);
  });

  it('refuses a genuine sealed job sent to the function again after it ran, and one older than 5 minutes: audited, nothing done', async () => {
    // Arrange: a click that ran (archive), then the finding unarchived by hand in the meantime
    const audits: { message: string; entry: Record<string, unknown> }[] = [];
    const logger = {
      debug() {},
      info: (message: string, entry: Record<string, unknown>) => audits.push({ message, entry }),
      warn: (message: string, entry: Record<string, unknown>) => audits.push({ message, entry }),
      error: (message: string, entry: Record<string, unknown>) => audits.push({ message, entry }),
    };
    let nowMs = Date.now();
    const guardduty = recordingGuardDuty();
    world = await startTriageWorld({ guardduty, logger, wiring: { now: () => nowMs } });
    const parent = await world.postFinding();
    const body = formBody(
      blockActionsPayload(world.slack, { message: parent, actionId: TRIAGE_ACTION_IDS.archive, userId: ALICE }),
    );
    await world.triage(urlEvent(body, slackHeaders(body, SIGNING_SECRET, Math.floor(nowMs / 1000))));
    expect(await world.settle()).toEqual(['done']);
    const [job] = world.jobs;
    const callsAfterRun = { guardduty: guardduty.calls.length, slack: world.slack.calls.length };

    // Act: the same sealed job 38 s later (as measured in the issue), and a copy of it 6 minutes later
    nowMs += 38_000;
    const replayed = await world.triage(job!);
    nowMs += 6 * 60_000;
    const stale = await world.triage(job!);

    // Assert
    expect([replayed, stale]).toEqual(['refused-request', 'refused-request']);
    expect(guardduty.calls).toHaveLength(callsAfterRun.guardduty);
    expect(world.slack.calls).toHaveLength(callsAfterRun.slack);
    const refusals = audits.filter(({ entry }) => entry.result === 'refused-request').map(({ entry }) => entry.reason);
    expect(refusals).toEqual(['job-already-run', 'stale-job']);
  });

  it('refuses a job invoked directly without the seal of the front, or with the seal of another job: nothing done', async () => {
    const { world: w, guardduty, body, slackCallsBefore } = await armed();
    await w.triage(urlEvent(body, slackHeaders(body, SIGNING_SECRET, nowSeconds())));
    await w.settle();
    const [sealed] = w.jobs.splice(0);
    const callsBefore = { guardduty: guardduty.calls.length, slack: w.slack.calls.length };
    const click = parseButtonClick(body);

    const forged = [
      { kind: 'gdh-triage-job' as const, click, acceptedAtMs: Date.now() },
      {
        kind: 'gdh-triage-job' as const,
        click: { ...click, userId: 'U0MALLORY1' },
        acceptedAtMs: sealed!.acceptedAtMs,
        seal: sealed!.seal,
      },
      { kind: 'gdh-triage-job' as const, click, acceptedAtMs: sealed!.acceptedAtMs + 1, seal: sealed!.seal },
    ];
    const outcomes = [];
    for (const job of forged) outcomes.push(await w.triage(job as TriageJob));

    expect(outcomes).toEqual(['refused-request', 'refused-request', 'refused-request']);
    expect(guardduty.calls).toHaveLength(callsBefore.guardduty);
    expect(w.slack.calls).toHaveLength(callsBefore.slack);
    expect(slackCallsBefore).toBeLessThanOrEqual(callsBefore.slack);
  });
});
