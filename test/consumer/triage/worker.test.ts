import { afterEach, describe, expect, it } from 'vitest';
import {
  TRIAGE_ACTION_IDS,
  decodeTarget,
  suppressCriteria,
  suppressFilterName,
} from '../../../lambdas/consumer/index.ts';
import { findingKey } from '../../../core/repeats/index.ts';
import { makeFindingEvent, makeSqsRecord } from '../../factories/index.ts';
import { buttonsOf } from '../../../devkit/slack/interactivity.ts';
import { ALERTS_CHANNEL, shownText } from '../app-support.ts';
import { republish } from '../repeats-handler-support.ts';
import { ALICE, BOB, CAROL, recordingGuardDuty, startTriageWorld, type TriageWorld } from './triage-support.ts';

let world: TriageWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const parentOf = (w: TriageWorld, ts: string) => w.slack.parents(ALERTS_CHANNEL).find((message) => message.ts === ts)!;

describe('triage buttons on app parents', () => {
  it('puts Acknowledge, Archive and Suppress like this… on a new parent, with the finding in the value and no static confirm dialog', async () => {
    world = await startTriageWorld();

    const event = makeFindingEvent();
    const parent = await world.postFinding(event);

    const buttons = buttonsOf(parent);
    expect(buttons.map((button) => button.action_id)).toEqual([
      TRIAGE_ACTION_IDS.acknowledge,
      TRIAGE_ACTION_IDS.archive,
      TRIAGE_ACTION_IDS.suppress,
    ]);
    const target = decodeTarget(buttons[0]!.value);
    expect(target).toEqual({
      key: findingKey({ id: String(event.detail.id) }),
      findingId: event.detail.id,
      accountId: event.detail.accountId,
      region: 'us-east-1',
      type: 'UnauthorizedAccess:EC2/SSHBruteForce',
      resource: { field: 'resource.instanceDetails.instanceId', value: `i-0abc${String(event.detail.id).slice(-6)}` },
      band: 'medium', // carried for Silence…: only GuardDuty findings below critical may be silenced from Slack
    });
    // The click opens a modal with the criteria and the backtest (suppress-modal.test.ts), not a static dialog.
    expect(buttons[2]).not.toHaveProperty('confirm');
    expect(String(buttons[0]!.value).length).toBeLessThanOrEqual(2000);
  });

  it('leaves out Suppress, and the resource from the value, when the resource would push the value past 2,000 characters', async () => {
    world = await startTriageWorld();
    const event = makeFindingEvent({
      detail: { resource: { resourceType: 'Instance', instanceDetails: { instanceId: `i-${'0'.repeat(2500)}` } } },
    });

    const parent = await world.postFinding(event);

    const buttons = buttonsOf(parent);
    expect(buttons.map((button) => button.action_id)).toEqual([
      TRIAGE_ACTION_IDS.acknowledge,
      TRIAGE_ACTION_IDS.archive,
    ]);
    expect(decodeTarget(buttons[0]!.value)).not.toHaveProperty('resource');
    expect(decodeTarget(buttons[0]!.value).findingId).toBe(event.detail.id);
  });

  it('says why there are no buttons when even the id and type would pass 2,000 characters, and still posts the parent', async () => {
    world = await startTriageWorld();

    const parent = await world.postFinding(
      makeFindingEvent({ detail: { type: `Recon:EC2/${'Portscan'.repeat(300)}` } }),
    );

    expect(buttonsOf(parent)).toEqual([]);
    expect(shownText(parent)).toContain('No triage buttons: this finding');
  });

  it('has no buttons without triage in the config', async () => {
    const { appConfig } = await import('../app-support.ts');
    world = await startTriageWorld({ config: appConfig() as never });

    const parent = await world.postFinding();

    expect(buttonsOf(parent)).toEqual([]);
  });
});

describe('the triage worker', () => {
  it('acknowledges: edits the parent (who and when), replies in the thread, and later consumer edits keep it', async () => {
    world = await startTriageWorld();
    const event = makeFindingEvent();
    const parent = await world.postFinding(event);

    await world.triage(world.clickOf(parent, TRIAGE_ACTION_IDS.acknowledge, ALICE));
    expect(await world.settle()).toEqual(['done']);
    // The consumer edits the parent later (the count crosses 10).
    await world.harness.invoke([makeSqsRecord(republish(event, 10))]);

    const edited = parentOf(world, parent.ts);
    expect(edited.edits).toBe(2);
    expect(shownText(edited)).toContain(`Acknowledged by <@${ALICE}>`);
    expect(shownText(edited)).toMatch(/\*Count\*\\n10/);
    expect(buttonsOf(edited).map((button) => button.action_id)).toEqual([
      TRIAGE_ACTION_IDS.archive,
      TRIAGE_ACTION_IDS.suppress,
    ]);
    const replies = world.slack.replies(ALERTS_CHANNEL, parent.ts).map((reply) => reply.text);
    expect(replies).toEqual([
      expect.stringContaining(`Acknowledged by <@${ALICE}>`),
      expect.stringContaining('Count reached *10*'),
    ]);
  });

  it('edits the parent and replies through Slack throttling them, after the Retry-After', async () => {
    const pauses: number[] = [];
    world = await startTriageWorld({ sleep: async (ms) => void pauses.push(ms) });
    const parent = await world.postFinding();
    world.slack.failNext('chat.update', 'ratelimited', 1, 2);

    await world.triage(world.clickOf(parent, TRIAGE_ACTION_IDS.acknowledge, ALICE));
    expect(await world.settle()).toEqual(['done']);

    expect(pauses).toEqual([2000]);
    expect(shownText(parentOf(world, parent.ts))).toContain(`Acknowledged by <@${ALICE}>`);
    expect(world.slack.replies(ALERTS_CHANNEL, parent.ts).map((reply) => reply.text)).toEqual([
      expect.stringContaining(`Acknowledged by <@${ALICE}>`),
    ]);
  });

  it('refuses someone not allowed with an ephemeral answer, and does nothing', async () => {
    const guardduty = recordingGuardDuty();
    world = await startTriageWorld({ guardduty });
    const parent = await world.postFinding();
    const callsBefore = world.slack.calls.filter((call) => call.method.startsWith('chat.')).length;

    await world.triage(world.clickOf(parent, TRIAGE_ACTION_IDS.archive, CAROL));

    expect(await world.settle()).toEqual(['refused']);
    expect(guardduty.calls).toEqual([]);
    expect(world.slack.calls.filter((call) => call.method.startsWith('chat.'))).toHaveLength(callsBefore);
    expect(world.slack.responses.map((response) => response.body)).toEqual([
      { response_type: 'ephemeral', replace_original: false, text: expect.stringContaining('not allowed to archive') },
    ]);
  });

  it('allows a member of an allowed user group (usergroups.users.list), and only for that group’s actions', async () => {
    const guardduty = recordingGuardDuty();
    world = await startTriageWorld({ guardduty });
    const parent = await world.postFinding();

    await world.suppress(parent, BOB);
    await world.triage(world.clickOf(parent, TRIAGE_ACTION_IDS.archive, BOB));

    expect(await world.settle()).toEqual(['done', 'refused']);
    expect(guardduty.calls).toEqual(
      world.config.regions.map((region) =>
        expect.stringMatching(new RegExp(`^createFilter ${region} gdh-slack-[0-9a-f]{16}$`)),
      ),
    );
    // Read once by the front (the modal's click and submission, cached 60 s), once by the worker.
    expect(world.slack.succeeded('usergroups.users.list').map((call) => call.args.usergroup)).toEqual([
      'S0ONCALL01',
      'S0ONCALL01',
    ]);
  });

  it('does a double click once: the second finds it done', async () => {
    const guardduty = recordingGuardDuty();
    world = await startTriageWorld({ guardduty });
    const parent = await world.postFinding();

    await Promise.all([
      world.triage(world.clickOf(parent, TRIAGE_ACTION_IDS.archive, ALICE)),
      world.triage(world.clickOf(parent, TRIAGE_ACTION_IDS.archive, ALICE)),
    ]);

    expect((await world.settle()).sort()).toEqual(['already-done', 'done']);
    expect(guardduty.calls).toHaveLength(1);
    expect(world.slack.replies(ALERTS_CHANNEL, parent.ts)).toHaveLength(1);
  });

  it('suppress names its filter after the criteria: the same suppression from two findings of one resource is one filter', async () => {
    const event = makeFindingEvent();
    const target = decodeTarget(
      await (async () => {
        world = await startTriageWorld();
        return buttonsOf(await world.postFinding(event))[0]!.value;
      })(),
    );
    const same = { ...target, findingId: 'another', key: 'finding#another' };

    expect(suppressFilterName(suppressCriteria(same))).toBe(suppressFilterName(suppressCriteria(target)));
    expect(suppressFilterName(suppressCriteria({ ...target, accountId: '999999999999' }))).not.toBe(
      suppressFilterName(suppressCriteria(target)),
    );
    expect(suppressFilterName(suppressCriteria(target))).toMatch(/^gdh-slack-[0-9a-f]{16}$/);
  });

  it('puts the state back and says why when GuardDuty fails, so a later click can try again', async () => {
    const guardduty = recordingGuardDuty();
    let failures = 1;
    const flaky = {
      ...guardduty,
      archive: async (region: string, ids: readonly string[]) => {
        if (failures-- > 0) throw new Error('us-east-1: GuardDuty answered InternalServerErrorException: try again');
        return guardduty.archive(region, ids);
      },
    };
    world = await startTriageWorld({ guardduty: flaky });
    const parent = await world.postFinding();

    await world.triage(world.clickOf(parent, TRIAGE_ACTION_IDS.archive, ALICE));
    await world.settle();
    await world.triage(world.clickOf(parent, TRIAGE_ACTION_IDS.archive, ALICE));

    expect(await world.settle()).toEqual(['failed', 'done']);
    expect(world.slack.responses[0]!.body.text).toContain('InternalServerErrorException');
    expect(guardduty.calls).toHaveLength(1);
    expect(shownText(parentOf(world, parent.ts))).toContain(`Archived by <@${ALICE}>`);
    expect(buttonsOf(parentOf(world, parent.ts)).map((button) => button.action_id)).toContain(
      TRIAGE_ACTION_IDS.unarchive,
    );
  });
});
