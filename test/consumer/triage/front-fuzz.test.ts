import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRIAGE_ACTION_IDS } from '../../../lambdas/consumer/index.ts';
import { blockActionsPayload, formBody, slackHeaders, urlEvent } from '../../../devkit/slack/interactivity.ts';
import { REMOVE, withEdits } from '../../support/mutate.ts';
import { ALICE, SIGNING_SECRET, recordingGuardDuty, startTriageWorld, type TriageWorld } from './triage-support.ts';

/**
 * The triage function URL is public: anyone can send it anything. Generated requests (fast-check,
 * fixed seed as in test/consumer/fuzz.test.ts):
 * - unsigned or wrongly signed, with any body and headers: always 401, and nothing done (no job, no
 *   GuardDuty call, no Slack call);
 * - signed with the real secret (as only Slack can) around a click whose payload has parts removed or
 *   replaced: never an exception from the front or the worker, only 200 or a 4xx, and a GuardDuty
 *   call only when the clicker is still Alice, and only one she may make (archive, unarchive; the
 *   on-call group alone may suppress).
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SEED = process.env.FUZZ_SEED === 'random' ? {} : { seed: Number(process.env.FUZZ_SEED ?? 20261202) };

const guardduty = recordingGuardDuty();
let world: TriageWorld;
let click: Record<string, unknown>;

beforeAll(async () => {
  world = await startTriageWorld({ guardduty });
  const parent = await world.postFinding();
  click = blockActionsPayload(world.slack, { message: parent, actionId: TRIAGE_ACTION_IDS.archive, userId: ALICE });
});
afterAll(async () => world.close());

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** What the world did so far: jobs, GuardDuty calls, Slack Web API calls and response_url posts. */
const done = () => ({
  jobs: world.jobs.length,
  guardduty: guardduty.calls.length,
  slack: world.slack.calls.length,
  responses: world.slack.responses.length,
});

const header = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }).map((hex) => `v0=${hex}`),
  fc.integer({ min: -400, max: 400 }).map((skew) => String(nowSeconds() + skew)),
);

const body = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.constant(formBody({ type: 'block_actions' })),
  fc.jsonValue().map((value) => formBody({ payload: value } as Record<string, unknown>)),
  fc.constant('x'.repeat(70_000)),
);

const replacement = fc.oneof(
  fc.constant(REMOVE),
  fc.constant(null),
  fc.integer(),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom(
    'U0MALLORY1',
    TRIAGE_ACTION_IDS.suppress,
    TRIAGE_ACTION_IDS.unarchive,
    '{"k":"finding#x","f":"x","a":"123456789012","r":"us-east-1","t":"T"}',
    'https://evil.example/respond',
  ),
  fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 }),
);

describe('the public triage endpoint under generated requests', () => {
  it('answers 401 and does nothing for any request not signed with the signing secret', async () => {
    await fc.assert(
      fc.asyncProperty(
        body,
        fc.record(
          {
            'x-slack-signature': header,
            'x-slack-request-timestamp': header,
            'content-type': fc.constantFrom('application/x-www-form-urlencoded', 'application/json'),
          },
          { requiredKeys: [] },
        ),
        fc.boolean(),
        async (text, headers, base64) => {
          const before = done();

          const answer = await world.triage(urlEvent(text, headers, base64));

          expect(answer).toMatchObject({ statusCode: 401 });
          expect(done()).toEqual(before);
        },
      ),
      { numRuns: RUNS, ...SEED },
    );
  });

  it('never throws on a signed click with parts of its payload removed or replaced, and acts only as Alice may (archive, unarchive), for nobody else', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(), replacement), { minLength: 1, maxLength: 3 }), async (edits) => {
        const payload = withEdits(click, edits);
        const text = formBody(payload as Record<string, unknown>);
        const calls = guardduty.calls.length;

        const answer = await world.triage(urlEvent(text, slackHeaders(text, SIGNING_SECRET, nowSeconds())));
        await world.settle();

        expect([200, 400, 401, 413]).toContain((answer as { statusCode: number }).statusCode);
        // Alice may archive and unarchive, nobody generated here may suppress, and anyone else may do nothing.
        const made = guardduty.calls.slice(calls);
        if ((payload as { user?: { id?: unknown } } | null)?.user?.id !== ALICE) expect(made).toEqual([]);
        for (const call of made) expect(call).toMatch(/^(archive|unarchive) [a-z]{2}(-[a-z]+)+-\d \S+$/);
      }),
      { numRuns: RUNS, ...SEED },
    );
  });
});
