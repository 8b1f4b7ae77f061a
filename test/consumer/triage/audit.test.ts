import { afterEach, describe, expect, it } from 'vitest';
import { TRIAGE_ACTION_IDS, decodeTarget } from '../../../lambdas/consumer/index.ts';
import { isTriageJob } from '../../../lambdas/triage/index.ts';
import { METRIC_NAMES } from '../../../shared/telemetry.ts';
import { attackSequence } from '../../factories/families.ts';
import { makeFindingEvent } from '../../factories/index.ts';
import { capturePowertools } from '../../support/powertools-capture.ts';
import { buttonsOf } from '../../../devkit/slack/interactivity.ts';
import { BOT_TOKEN } from '../app-support.ts';
import { ALICE, CAROL, SIGNING_SECRET, startTriageWorld, type TriageWorld } from './triage-support.ts';

let world: TriageWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('the triage audit trail', () => {
  it('writes one audit line and one metric per outcome, naming who, what, which finding and where, and never a secret', async () => {
    const captured = capturePowertools();
    world = await startTriageWorld({ logger: captured.logger, metrics: captured.metrics });
    const event = makeFindingEvent();
    const parent = await world.postFinding(event);
    const clicks = [
      world.clickOf(parent, TRIAGE_ACTION_IDS.archive, CAROL),
      world.clickOf(parent, TRIAGE_ACTION_IDS.archive, ALICE),
      world.clickOf(parent, TRIAGE_ACTION_IDS.archive, ALICE),
    ];
    const forged = { ...clicks[0]!, headers: { ...clicks[0]!.headers, 'x-slack-signature': `v0=${'0'.repeat(64)}` } };

    for (const click of clicks) {
      await world.triage(click);
      await world.settle();
    }
    await world.triage(forged);

    const audits = captured.logs().filter((line) => line.audit === 'triage');
    expect(
      audits.map((line) => [line.result, line.user, line.action, line.findingId, line.region, line.reason]),
    ).toEqual([
      ['refused', CAROL, 'archive', event.detail.id, 'us-east-1', 'not allowed by triage.allow'],
      ['done', ALICE, 'archive', event.detail.id, 'us-east-1', undefined],
      ['already-done', ALICE, 'archive', event.detail.id, 'us-east-1', undefined],
      ['refused-request', undefined, undefined, undefined, undefined, 'bad-signature'],
    ]);
    expect(audits.map((line) => line.level)).toEqual(['WARN', 'INFO', 'INFO', 'WARN']);
    expect(captured.metric(METRIC_NAMES.triageActionsRefused)).toBe(1);
    expect(captured.metric(METRIC_NAMES.triageActionsDone)).toBe(1);
    expect(captured.metric(METRIC_NAMES.triageActionsRepeated)).toBe(1);
    expect(captured.metric(METRIC_NAMES.triageRequestsRefused)).toBe(1);
    const output = captured.text();
    for (const secret of [SIGNING_SECRET, BOT_TOKEN, ...clicks.map((click) => click.headers['x-slack-signature']!)])
      expect(output).not.toContain(secret);
  });
});

describe('triage on attack sequences and dispatch', () => {
  it('puts the buttons on an attack sequence’s parent, with no resource criterion (the sequence has no single resource)', async () => {
    world = await startTriageWorld();

    const parent = await world.postFinding(makeFindingEvent({ detail: attackSequence() }));

    const buttons = buttonsOf(parent);
    expect(buttons.map((button) => button.action_id)).toEqual([
      TRIAGE_ACTION_IDS.acknowledge,
      TRIAGE_ACTION_IDS.archive,
      TRIAGE_ACTION_IDS.suppress,
    ]);
    expect(decodeTarget(buttons[0]!.value)).toMatchObject({ type: 'AttackSequence:S3/CompromisedData' });
    expect(decodeTarget(buttons[0]!.value).resource).toBeUndefined();
  });

  it('tells the worker’s event from a function URL request by its kind alone', () => {
    expect(isTriageJob({ kind: 'gdh-triage-job', click: {}, acceptedAtMs: 0 })).toBe(true);
    expect(
      isTriageJob({ version: '2.0', body: '{"kind":"gdh-triage-job"}', requestContext: { http: { method: 'POST' } } }),
    ).toBe(false);
  });
});

describe('the hand-off to the worker', () => {
  it('invokes the function itself asynchronously (InvocationType Event) with the job as its payload', async () => {
    const { lambdaHandOff } = await import('../../../lambdas/triage/runtime.ts');
    const sent: { input: Record<string, unknown> }[] = [];
    const handOff = lambdaHandOff('guardduty-hub-triage', {
      send: async (command) => void sent.push(command as { input: Record<string, unknown> }),
    });

    await handOff({ kind: 'gdh-triage-job', acceptedAtMs: 1 });

    expect(sent).toHaveLength(1);
    expect(sent[0]!.input).toMatchObject({ FunctionName: 'guardduty-hub-triage', InvocationType: 'Event' });
    expect(JSON.parse(Buffer.from(sent[0]!.input.Payload as Uint8Array).toString('utf8'))).toEqual({
      kind: 'gdh-triage-job',
      acceptedAtMs: 1,
    });
  });
});
