import { afterEach, describe, expect, it } from 'vitest';
import { MemorySilenceStore, silenceSource, type SilenceStore } from '../../../core/silences/index.ts';
import { RENEW_ACTION_ID, renewalId } from '../../../destinations/slack-app/triage/renew.ts';
import { recapEndedSilences } from '../../../lambdas/drift/index.ts';
import { buttonsOf, clickEvent } from '../../../devkit/slack/interactivity.ts';
import type { Silence } from '../../../shared/index.ts';
import { findingConsoleUrl } from '../../../shared/index.ts';
import { atSeverity, makeFindingEvent, makeSqsRecord } from '../../factories/index.ts';
import { ALERTS_CHANNEL, shownText } from '../app-support.ts';
import { ALICE, CAROL, ONCALL, startTriageWorld, triageConfig, type TriageWorld } from './triage-support.ts';

// The end of a silence is a message: on a clock the test controls, the drift check's step sends the
// recap once, at the end (not before, not twice); it goes through the real consumer handler to the app
// destination the silence was made in, with what it held (by type, account, severity), the latest held
// linked to the console, what its band let through, and Renew. Renew through the signed endpoint makes
// the same silence again from the click on; a user triage.allow.silence does not list is refused.

const HOUR = 3_600_000;
const PROD = '444444444444'; // → the app destination `alerts` in triageConfig
const PROBE = 'Recon:EC2/PortProbeUnprotectedPort';

let world: TriageWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function start() {
  const silences = new MemorySilenceStore();
  const config = triageConfig({
    triage: {
      signingSecret: 'guardduty-hub/slack/signing-secret',
      allow: { acknowledge: [ALICE, CAROL], archive: [ALICE], silence: [ALICE, ONCALL] },
    },
  });
  const audits: Record<string, unknown>[] = [];
  const keep = (message: string, line?: Record<string, unknown>) => {
    if (message === 'Triage audit' && line !== undefined) audits.push(line);
  };
  world = await startTriageWorld({
    config,
    logger: { debug() {}, info: keep, warn: keep, error: keep },
    wiring: { silences },
    handler: {
      silences: silenceSource({ config: [], store: silences, logger: { warn: () => undefined }, refreshMs: 0 }),
    },
  });
  const startsAtMs = Date.now() - HOUR;
  const silence: Silence = {
    id: 'sil-recap00001',
    matchers: { accounts: [PROD], below: 'high' },
    author: ALICE,
    reason: 'pen test of <prod> this week',
    startsAtMs,
    endsAtMs: startsAtMs + 2 * HOUR,
    origin: 'slack',
    destination: 'alerts',
  };
  await silences.add(silence);
  return { world, silences, silence, config, audits };
}

/** Runs the drift check's step at `atMs`; the bodies it put on the hub queue. */
async function driftStep(
  s: Pick<Awaited<ReturnType<typeof start>>, 'config'> & { readonly silences: SilenceStore },
  atMs: number,
): Promise<string[]> {
  const sent: string[] = [];
  await recapEndedSilences({
    config: s.config,
    store: s.silences,
    send: async (bodies) => void sent.push(...bodies),
    now: () => atMs,
  });
  return sent;
}

const recapsIn = (w: TriageWorld) =>
  w.slack.parents(ALERTS_CHANNEL).filter((message) => message.text.includes('Silence sil-recap00001 ended'));

async function heldThenEnded() {
  const s = await start();
  const probes = [1, 2, 3].map((n) =>
    makeFindingEvent({ detail: { ...atSeverity(5), accountId: PROD, type: PROBE, id: `probe-${n}` } }),
  );
  const worse = makeFindingEvent({ detail: { ...atSeverity(8), accountId: PROD, id: 'worse-1' } });
  const response = await s.world.harness.invoke([...probes, worse].map((event) => makeSqsRecord(event)));
  expect(response.batchItemFailures).toEqual([]);

  expect(await driftStep(s, s.silence.endsAtMs - 60_000)).toEqual([]); // not before the end
  const bodies = await driftStep(s, s.silence.endsAtMs + 60_000);
  expect(await driftStep(s, s.silence.endsAtMs + 120_000)).toEqual([]); // not twice
  expect(bodies).toHaveLength(1);
  const delivered = await s.world.harness.invoke(bodies.map((body) => makeSqsRecord(body)));
  expect(delivered.batchItemFailures).toEqual([]);
  const [recap] = recapsIn(s.world);
  if (recap === undefined) throw new Error('no recap was posted');
  return { ...s, recap, probes };
}

describe('the recap at the end of a silence', () => {
  it('arrives once at the end, at the app destination it was made in, with what it held', async () => {
    const { world: w, recap } = await heldThenEnded();

    const shown = shownText(recap);
    expect(recapsIn(w)).toHaveLength(1);
    expect(shown).toContain(`${PROBE}: 3`); // by type
    expect(shown).toContain(`prod (${PROD}): 3`); // by account
    expect(shown).toContain('Medium: 3'); // by severity
    expect(shown).toContain('pen test of &lt;prod&gt; this week'); // why, escaped
    expect(shown).toContain(`Slack user ${ALICE}`); // who
    expect(shown).toContain(findingConsoleUrl('us-east-1', 'probe-3')); // the latest held, linked
    expect(shown).toContain('1 finding of its scope at or above high');
    expect(shown).toContain(findingConsoleUrl('us-east-1', 'worse-1'));
    expect(buttonsOf(recap).map((button) => button.action_id)).toEqual([RENEW_ACTION_ID]);
  });

  it('is not sent again when the consumer gets the same recap twice', async () => {
    const { world: w, silence, silences, config } = await heldThenEnded();
    // As if the first run's record of the send were lost: its claim lapsed, and a later run may claim it.
    const forgetful: SilenceStore = {
      list: () => silences.list(),
      add: (kept) => silences.add(kept),
      expire: (id, atMs) => silences.expire(id, atMs),
      addHeld: (counts) => silences.addHeld(counts),
      tally: (id) => silences.tally(id),
      addTallies: (batches) => silences.addTallies(batches),
      claimRecap: async () => true,
      recapSent: async () => undefined,
      releaseRecap: async () => undefined,
    };
    const again = await driftStep({ silences: forgetful, config }, silence.endsAtMs + 180_000);

    await w.harness.invoke(again.map((body) => makeSqsRecord(body)));

    expect(again).toHaveLength(1);
    expect(recapsIn(w)).toHaveLength(1); // the consumer's repeat gate knows its id
  });

  it('renews through the signed endpoint: same matchers and reason, as long again from the click, the clicker as author', async () => {
    const { world: w, silences, silence, recap, audits } = await heldThenEnded();
    const before = Date.now();

    const answer = await w.triage(w.clickOf(recap, RENEW_ACTION_ID, ALICE));

    expect(answer).toMatchObject({ statusCode: 200 });
    const renewed = (await silences.list()).silences.find((kept) => kept.id === renewalId(silence.id));
    expect(renewed).toMatchObject({
      matchers: silence.matchers,
      reason: silence.reason,
      author: ALICE,
      origin: 'slack',
      destination: 'alerts',
    });
    expect(renewed!.startsAtMs).toBeGreaterThanOrEqual(before);
    expect(renewed!.endsAtMs - renewed!.startsAtMs).toBe(2 * HOUR);
    expect(w.slack.replies(ALERTS_CHANNEL, recap.ts).map((reply) => reply.text)).toEqual([
      expect.stringContaining(`Renewed by <@${ALICE}>`),
    ]);
    expect(w.jobs).toEqual([]); // the front answered it itself
    expect(audits).toEqual([
      expect.objectContaining({
        audit: 'triage',
        result: 'done',
        action: 'silence',
        user: ALICE,
        renewed: silence.id,
        silence: renewalId(silence.id),
      }),
    ]);
  });

  it('refuses a Renew click not signed with the signing secret (401), and keeps nothing', async () => {
    const { world: w, silences, recap } = await heldThenEnded();
    const forged = clickEvent(w.slack, {
      message: recap,
      actionId: RENEW_ACTION_ID,
      userId: ALICE,
      signingSecret: 'not-the-signing-secret-000000000',
    });

    const answer = await w.triage(forged);

    expect(answer).toMatchObject({ statusCode: 401 });
    expect((await silences.list()).silences).toHaveLength(1);
  });

  it('refuses Renew to a user triage.allow.silence does not list, and keeps nothing', async () => {
    const { world: w, silences, recap, audits } = await heldThenEnded();

    const answer = await w.triage(w.clickOf(recap, RENEW_ACTION_ID, CAROL));

    expect(answer).toMatchObject({ statusCode: 200 });
    expect((await silences.list()).silences).toHaveLength(1);
    expect(w.slack.responses.map((response) => JSON.stringify(response.body))).toEqual([
      expect.stringContaining('not allowed to silence'),
    ]);
    expect(audits).toEqual([
      expect.objectContaining({ result: 'refused', user: CAROL, reason: 'not allowed by triage.allow' }),
    ]);
  });
});
