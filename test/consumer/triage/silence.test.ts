import { afterEach, describe, expect, it } from 'vitest';
import { MemorySilenceStore, silenceSource } from '../../../core/silences/index.ts';
import { TRIAGE_ACTION_IDS } from '../../../lambdas/consumer/index.ts';
import {
  SILENCE_BLOCK_IDS,
  SILENCE_CALLBACK_ID,
  sealSubject,
} from '../../../destinations/slack-app/triage/silence-modal.ts';
import { buttonValue, decodeTarget } from '../../../destinations/slack-app/triage/target.ts';
import {
  buttonsOf,
  signedEvent,
  slackHeaders,
  urlEvent,
  formBody,
  viewSubmissionPayload,
  type ViewValues,
} from '../../../devkit/slack/interactivity.ts';
import type { SimMessage, SimView } from '../../../devkit/slack/web-api-simulator.ts';
import { atSeverity, makeFindingEvent, makeSqsRecord } from '../../factories/index.ts';
import { ALERTS_CHANNEL } from '../app-support.ts';
import {
  ALICE,
  BOB,
  CAROL,
  ONCALL,
  SIGNING_SECRET,
  recordingGuardDuty,
  startTriageWorld,
  triageConfig,
  type TriageWorld,
} from './triage-support.ts';

// Silence… through the signed triage endpoint and the Web API simulator: the click opens a modal
// (views.open with the click's trigger_id), the signed view_submission keeps a silence in the store the
// consumer reads, and the consumer then skips what it matches. Critical findings get no button and a
// submission for one is refused; so is an unauthorized user and a forged request.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let world: TriageWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** Alice and the on-call group (Bob) may silence; Carol may only acknowledge. */
function silenceConfig() {
  return triageConfig({
    triage: {
      signingSecret: 'guardduty-hub/slack/signing-secret',
      allow: { acknowledge: [ALICE, CAROL], archive: [ALICE], silence: [ALICE, ONCALL] },
    },
  });
}

async function start(now: () => number = Date.now) {
  const silences = new MemorySilenceStore();
  const guardduty = recordingGuardDuty();
  world = await startTriageWorld({
    guardduty,
    config: silenceConfig(),
    wiring: { silences, now },
    handler: {
      silences: silenceSource({ config: [], store: silences, logger: { warn: () => undefined }, refreshMs: 0 }),
    },
  });
  return { world, silences, guardduty };
}

/** The values a user enters in the Silence… modal. */
function entered(scope: string, duration: string, reason: string): ViewValues {
  return {
    [SILENCE_BLOCK_IDS.scope]: {
      [SILENCE_BLOCK_IDS.scope]: { type: 'radio_buttons', selected_option: { value: scope } },
    },
    [SILENCE_BLOCK_IDS.duration]: {
      [SILENCE_BLOCK_IDS.duration]: { type: 'static_select', selected_option: { value: duration } },
    },
    [SILENCE_BLOCK_IDS.reason]: { [SILENCE_BLOCK_IDS.reason]: { type: 'plain_text_input', value: reason } },
  };
}

async function openModal(w: TriageWorld, parent: SimMessage, userId = ALICE): Promise<SimView> {
  const answer = await w.triage(w.clickOf(parent, TRIAGE_ACTION_IDS.silence, userId));
  expect(answer).toMatchObject({ statusCode: 200 });
  const opened = w.slack.views.at(-1);
  if (opened === undefined) throw new Error('no modal was opened');
  return opened;
}

const submit = (w: TriageWorld, opened: SimView, userId: string, values: ViewValues) =>
  w.triage(signedEvent(viewSubmissionPayload(opened, userId, values), SIGNING_SECRET));

const hasSilenceButton = (message: SimMessage) =>
  buttonsOf(message).some((button) => button.action_id === TRIAGE_ACTION_IDS.silence);

describe('Silence… from Slack', () => {
  it('opens a modal with the click trigger_id: scope, duration and a required reason', async () => {
    const { world: w } = await start();
    const parent = await w.postFinding();

    const opened = await openModal(w, parent);

    expect(opened.triggerId).toBe('1000000.2000000.simulated');
    expect(opened.view).toMatchObject({ type: 'modal', callback_id: SILENCE_CALLBACK_ID });
    const blocks = opened.view.blocks as { block_id?: string; optional?: boolean; element?: { type: string } }[];
    expect(blocks.filter((block) => block.block_id !== undefined).map((block) => block.element?.type)).toEqual([
      'radio_buttons',
      'static_select',
      'plain_text_input',
    ]);
    expect(blocks.every((block) => block.optional !== true)).toBe(true);
    expect(w.jobs).toEqual([]); // the front answered it itself
  });

  it('keeps the silence a signed submission asks for, replies in the thread, and the consumer skips what it matches', async () => {
    let nowMs = Date.now();
    const { world: w, silences, guardduty } = await start(() => nowMs);
    const event = makeFindingEvent();
    const parent = await w.postFinding(event);
    const opened = await openModal(w, parent);

    const answer = await submit(w, opened, ALICE, entered('finding', '7d', 'patching <this> *host*'));

    expect(answer).toEqual({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: '' });
    const [silence] = (await silences.list()).silences;
    expect(silence).toMatchObject({
      author: ALICE,
      reason: 'patching <this> *host*',
      origin: 'slack',
      startsAtMs: nowMs,
      endsAtMs: nowMs + 7 * DAY,
      matchers: {
        type: event.detail.type,
        accounts: [event.detail.accountId],
        regions: [event.detail.region],
        resource: { field: 'resource.instanceDetails.instanceId', value: expect.any(String) },
      },
    });
    const [reply] = w.slack.replies(ALERTS_CHANNEL, parent.ts);
    expect(reply?.text).toMatch(/^:no_bell: Silenced by <@U0ALICE001> for 7 days: patching &lt;this&gt; /);

    // The same finding again, a new copy: the consumer skips it.
    nowMs += HOUR;
    const again = { ...event, detail: { ...event.detail, service: { ...event.detail.service, count: 99 } } };
    const before = w.slack.calls.length;
    const response = await w.harness.invoke([makeSqsRecord(again)]);
    expect(response.batchItemFailures).toEqual([]);
    expect(w.slack.calls.slice(before).filter((call) => call.method.startsWith('chat.'))).toEqual([]);
    expect(w.harness.captured.metric('FindingsSkipped_silenced')).toBe(1);
    expect((await silences.list()).held.get(silence?.id ?? '')).toBe(1);
    expect(guardduty.calls).toEqual([]); // nothing changes in GuardDuty
    expect(w.jobs).toEqual([]);
  });

  it('asks for a reason when none or too long a one was given, and keeps nothing', async () => {
    const { world: w, silences } = await start();
    const opened = await openModal(w, await w.postFinding());

    const blank = await submit(w, opened, ALICE, entered('like-this', '1h', '   '));
    const long = await submit(w, opened, ALICE, entered('like-this', '1h', 'x'.repeat(501)));

    expect(JSON.parse(String((blank as { body: string }).body))).toMatchObject({
      response_action: 'errors',
      errors: { [SILENCE_BLOCK_IDS.reason]: expect.stringContaining('Say why') },
    });
    expect(JSON.parse(String((long as { body: string }).body))).toMatchObject({
      errors: { [SILENCE_BLOCK_IDS.reason]: 'At most 500 characters, please.' },
    });
    expect((await silences.list()).silences).toEqual([]);
  });

  it('shows no Silence… button on a critical finding, and refuses a sealed submission for one', async () => {
    const { world: w, silences } = await start();
    const high = await w.postFinding();
    const critical = await w.postFinding(makeFindingEvent({ detail: atSeverity(9.5) }));
    expect(hasSilenceButton(high)).toBe(true);
    expect(hasSilenceButton(critical)).toBe(false);

    // A modal for the high finding, its metadata rewritten to name the critical one: the seal breaks.
    const opened = await openModal(w, high);
    const criticalTarget = decodeTarget(buttonsOf(critical)[0]?.value);
    const subject = { target: criticalTarget, channel: ALERTS_CHANNEL, parentTs: critical.ts };
    const rewritten = JSON.stringify({
      ...JSON.parse(String(opened.view.private_metadata)),
      s: JSON.stringify({ t: buttonValue(criticalTarget), c: ALERTS_CHANNEL, p: critical.ts }),
    });
    // And one sealed with the real secret (as if the hub had made it): the target itself is refused.
    const sealed = sealSubject(subject, SIGNING_SECRET);
    const answers = [];
    for (const metadata of [rewritten, sealed])
      answers.push(
        await submit(
          w,
          { ...opened, view: { ...opened.view, private_metadata: metadata } },
          ALICE,
          entered('like-this', '30d', 'hide it'),
        ),
      );

    expect(criticalTarget.band).toBe('critical');
    expect(
      answers.map((answer) => JSON.parse(String((answer as { body: string }).body)).errors[SILENCE_BLOCK_IDS.reason]),
    ).toEqual([
      expect.stringContaining('not made by this hub'),
      expect.stringContaining('cannot be silenced from Slack'),
    ]);
    expect((await silences.list()).silences).toEqual([]);
    expect(w.slack.replies(ALERTS_CHANNEL, critical.ts)).toEqual([]);
  });

  it('refuses a user triage.allow.silence does not list, at the click and at the submission', async () => {
    const { world: w, silences } = await start();
    const parent = await w.postFinding();
    const opened = await openModal(w, parent, BOB); // Bob is in the on-call group
    const viewsBefore = w.slack.views.length;

    await w.triage(w.clickOf(parent, TRIAGE_ACTION_IDS.silence, CAROL));
    const answer = await submit(w, opened, CAROL, entered('finding', '1d', 'not mine to silence'));

    expect(w.slack.views).toHaveLength(viewsBefore);
    expect(w.slack.responses.at(-1)?.body).toMatchObject({ text: expect.stringContaining('triage.allow.silence') });
    expect(JSON.parse(String((answer as { body: string }).body))).toMatchObject({
      errors: { [SILENCE_BLOCK_IDS.reason]: expect.stringContaining('triage.allow.silence') },
    });
    expect((await silences.list()).silences).toEqual([]);
  });

  it('answers 401 to a view_submission with a bad signature and keeps nothing', async () => {
    const { world: w, silences } = await start();
    const opened = await openModal(w, await w.postFinding());
    const body = formBody(viewSubmissionPayload(opened, ALICE, entered('finding', '1h', 'forged')));

    const answer = await w.triage(urlEvent(body, slackHeaders(body, 'f'.repeat(32), Math.floor(Date.now() / 1000))));

    expect(answer).toMatchObject({ statusCode: 401 });
    expect((await silences.list()).silences).toEqual([]);
    expect(w.slack.replies(ALERTS_CHANNEL, opened.id)).toEqual([]);
  });
});
