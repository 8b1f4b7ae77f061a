import { afterEach, describe, expect, it } from 'vitest';
import { MemorySilenceStore, silenceSource } from '../../../core/silences/index.ts';
import { TRIAGE_ACTION_IDS } from '../../../lambdas/consumer/index.ts';
import { SILENCE_CALLBACK_ID } from '../../../destinations/slack-app/triage/silence-modal.ts';
import { SILENCE_BLOCK_IDS } from '../../../destinations/slack-app/triage/silence-modal.ts';
import {
  SILENCE_INSTEAD_ACTION_ID,
  SUPPRESS_CALLBACK_ID,
} from '../../../destinations/slack-app/triage/suppress-modal.ts';
import { ARCHIVED_CORRELATION_COST } from '../../../shared/index.ts';
import {
  formBody,
  signedEvent,
  slackHeaders,
  urlEvent,
  viewButtonPayload,
  viewSubmissionPayload,
} from '../../../devkit/slack/interactivity.ts';
import type { SimView } from '../../../devkit/slack/web-api-simulator.ts';
import { atSeverity, instance, makeFindingEvent, makeSqsRecord } from '../../factories/index.ts';
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

// "Suppress like this…" through the signed triage endpoint and the Web API simulator: the click opens
// a modal at once (views.open with its trigger_id) and fills in, with views.update, what the filter
// would have matched in the last 30 days, counted from the state table the consumer wrote while
// delivering (the memory store here; test/integration/finding-history.test.ts runs the same history
// on DynamoDB). Only a signed submission by a user of triage.allow.suppress makes the filter.

const DAY = 86_400_000;
const HOST = 'i-0feedface0042';

let world: TriageWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** Bob (on-call) may suppress and silence; Alice may silence; Carol may only acknowledge. */
async function start() {
  let consumerNowMs = Date.now();
  const silences = new MemorySilenceStore();
  const guardduty = recordingGuardDuty();
  world = await startTriageWorld({
    guardduty,
    config: triageConfig({
      triage: {
        signingSecret: 'guardduty-hub/slack/signing-secret',
        allow: { acknowledge: [CAROL], suppress: [ONCALL], silence: [ALICE, ONCALL] },
      },
    }),
    wiring: { silences },
    handler: {
      now: () => consumerNowMs,
      silences: silenceSource({ config: [], store: silences, logger: { warn: () => undefined }, refreshMs: 0 }),
    },
  });
  const deliver = async (events: ReturnType<typeof makeFindingEvent>[], daysAgo = 0) => {
    consumerNowMs = Date.now() - daysAgo * DAY;
    const response = await world!.harness.invoke(events.map((event) => makeSqsRecord(event)));
    expect(response.batchItemFailures).toEqual([]);
    consumerNowMs = Date.now();
  };
  return { world, silences, guardduty, deliver };
}

const onHost = (overrides: Record<string, unknown> = {}) =>
  makeFindingEvent({ detail: { ...instance({ instanceId: HOST }), ...overrides } });

/** The seeded history: three findings like the clicked one this month (one High in an attack sequence), others that do not count. */
async function seed(deliver: Awaited<ReturnType<typeof start>>['deliver']) {
  const sequenceArn =
    'arn:aws:guardduty:us-east-1:444444444444:detector/d0000000000000000000000000000001/finding/seq0001';
  await deliver([onHost(atSeverity(5))], 40); // older than the window
  await deliver([onHost({ ...atSeverity(7.5), associatedAttackSequenceArn: sequenceArn })], 12);
  await deliver([onHost(atSeverity(5)), onHost(atSeverity(5.5))], 3);
  await deliver([makeFindingEvent({ detail: instance({ instanceId: 'i-0another000001' }) })], 2); // another resource
  await deliver([onHost({ ...atSeverity(6), type: 'Recon:EC2/PortProbeUnprotectedPort' })], 1); // another type
}

const textOf = (view: SimView) => JSON.stringify(view.view.blocks);
const buttonIds = (view: SimView) =>
  (view.view.blocks as { type: string; elements?: { action_id?: string }[] }[])
    .filter((block) => block.type === 'actions')
    .flatMap((block) => (block.elements ?? []).map((element) => element.action_id));

async function openSuppress(w: TriageWorld, userId = BOB) {
  const parent = await w.postFinding(onHost(atSeverity(5)));
  const before = w.slack.views.length;
  const answer = await w.triage(w.clickOf(parent, TRIAGE_ACTION_IDS.suppress, userId));
  expect(answer).toMatchObject({ statusCode: 200 });
  return { parent, shown: w.slack.views.slice(before) };
}

describe('Suppress like this… shows its cost before it acts', () => {
  it('opens at once with the criteria, then shows the last 30 days by account and severity, attack sequences, the correlation cost and Silence instead', async () => {
    const { world: w, guardduty, deliver } = await start();
    await seed(deliver);

    const { shown } = await openSuppress(w);

    const [opened, updated] = shown;
    expect(shown).toHaveLength(2);
    expect(opened!.triggerId).toBe('1000000.2000000.simulated');
    expect(opened!.view).toMatchObject({ callback_id: SUPPRESS_CALLBACK_ID });
    expect(opened!.view).not.toHaveProperty('submit'); // nothing can be submitted before the figures show
    expect(textOf(opened!)).toContain('Counting the findings of the last 30 days');
    expect(updated).toMatchObject({ id: opened!.id, updates: 1, view: { submit: { text: 'Create filter' } } });
    const text = textOf(updated!);
    expect(text).toContain(`resource.instanceDetails.instanceId = ${HOST}`);
    // The clicked finding and the three of this month on the same host; not the old one, the other host or type.
    expect(text).toContain(
      '*Last 30 days:* 4 findings the hub notified would have been archived (*1 in an attack sequence*).',
    );
    expect(text).toContain('• 444444444444 (prod): 1 High · 3 Medium');
    expect(text).toContain(ARCHIVED_CORRELATION_COST);
    expect(text).toMatch(/expires \d{4}-\d\d-\d\d \d\d:\d\d UTC unless renewed/);
    expect(buttonIds(updated!)).toEqual([SILENCE_INSTEAD_ACTION_ID]);
    expect(w.jobs).toEqual([]);
    expect(guardduty.calls).toEqual([]);
  });

  it('turns into the Silence… modal with Silence instead, whose submission keeps a silence and makes no filter', async () => {
    const { world: w, silences, guardduty } = await start();
    const { shown } = await openSuppress(w);

    await w.triage(signedEvent(viewButtonPayload(shown.at(-1)!, SILENCE_INSTEAD_ACTION_ID, BOB), SIGNING_SECRET));
    const silenceView = w.slack.views.at(-1)!;
    const values = {
      [SILENCE_BLOCK_IDS.scope]: { [SILENCE_BLOCK_IDS.scope]: { selected_option: { value: 'finding' } } },
      [SILENCE_BLOCK_IDS.duration]: { [SILENCE_BLOCK_IDS.duration]: { selected_option: { value: '7d' } } },
      [SILENCE_BLOCK_IDS.reason]: { [SILENCE_BLOCK_IDS.reason]: { value: 'host being rebuilt' } },
    };
    const answer = await w.triage(signedEvent(viewSubmissionPayload(silenceView, BOB, values), SIGNING_SECRET));

    expect(silenceView).toMatchObject({ id: shown[0]!.id, view: { callback_id: SILENCE_CALLBACK_ID } });
    expect(answer).toMatchObject({ statusCode: 200, body: '' });
    expect((await silences.list()).silences).toEqual([
      expect.objectContaining({
        author: BOB,
        reason: 'host being rebuilt',
        matchers: expect.objectContaining({ resource: { field: 'resource.instanceDetails.instanceId', value: HOST } }),
      }),
    ]);
    expect(w.jobs).toEqual([]);
    expect(guardduty.calls).toEqual([]);
  });

  it('makes the filter only from a signed submission by a user of triage.allow.suppress: forged 401, Carol refused, Bob done', async () => {
    const { world: w, guardduty } = await start();
    const { parent, shown } = await openSuppress(w);
    const modal = shown.at(-1)!;
    const forgedBody = formBody(viewSubmissionPayload(modal, BOB, {}));

    const forged = await w.triage(
      urlEvent(forgedBody, slackHeaders(forgedBody, 'f'.repeat(32), Math.floor(Date.now() / 1000))),
    );
    const refused = await w.triage(signedEvent(viewSubmissionPayload(modal, CAROL, {}), SIGNING_SECRET));
    const done = await w.triage(signedEvent(viewSubmissionPayload(modal, BOB, {}), SIGNING_SECRET));

    expect(forged).toMatchObject({ statusCode: 401 });
    expect(JSON.parse((refused as { body: string }).body)).toMatchObject({
      response_action: 'update',
      view: { blocks: [{ text: { text: expect.stringContaining('triage.allow.suppress') } }] },
    });
    expect(done).toEqual({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: '' });
    expect(await w.settle()).toEqual(['done']);
    expect(guardduty.calls).toEqual(
      w.config.regions.map((region) => expect.stringMatching(new RegExp(`^createFilter ${region} gdh-slack-`))),
    );
    const [reply] = w.slack.replies(ALERTS_CHANNEL, parent.ts);
    expect(reply?.text).toMatch(
      /removed \d{4}-\d\d-\d\d \d\d:\d\d UTC unless renewed; <@U0BOB00001> is reminded here 7 days before/,
    );
  });

  it('refuses a clicker triage.allow.suppress does not list, without opening anything', async () => {
    const { world: w } = await start();

    const { shown } = await openSuppress(w, CAROL);

    expect(shown).toEqual([]);
    expect(w.slack.responses.at(-1)?.body).toMatchObject({ text: expect.stringContaining('triage.allow.suppress') });
  });
});
