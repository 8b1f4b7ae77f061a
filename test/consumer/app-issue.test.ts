import { afterEach, describe, expect, it } from 'vitest';
import { findingKey } from '../../core/repeats/index.ts';
import { makeSqsRecord, type FindingEvent } from '../factories/index.ts';
import { ALERTS_CHANNEL, appConfig, shownText, startAppWorld, type AppWorld } from './app-support.ts';
import { fieldsShown, linkOf, republish, sameIssueIn } from './repeats-handler-support.ts';

// Rules of a living parent whose issue spans regions (one finding id per region): the parent always
// shows the whole issue, kept as per-region parts on the state records; archived is per region.

let world: AppWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const noFailures = (response: { batchItemFailures: unknown[] }) => expect(response.batchItemFailures).toEqual([]);
const crossRegion = () => appConfig({ repeats: { crossRegionWindowMinutes: 60 } });

/** The one parent of the alerts channel, its fields as shown, and its thread replies' texts. */
function theParent(current: AppWorld) {
  const parents = current.slack.parents(ALERTS_CHANNEL);
  expect(parents).toHaveLength(1);
  const parent = parents[0]!;
  const fields = fieldsShown(JSON.stringify({ text: parent.text, attachments: parent.attachments }));
  const replies = current.slack.replies(ALERTS_CHANNEL, parent.ts).map((reply) => reply.text);
  // The simulator edits its messages in place: keep what this moment shows.
  return { parent, text: parent.text, fields, replies, shown: shownText(parent) };
}

/** `event` archived in GuardDuty, as it is re-published. */
function archived(event: FindingEvent): FindingEvent {
  const copy = republish(event, Number(event.detail.service?.count ?? 1));
  copy.detail.service = { ...copy.detail.service, archived: true };
  return copy;
}

describe('a living parent of an issue seen in three regions', () => {
  it('shows the issue: highest severity, summed count, first and last seen over all regions, each region with its link', async () => {
    world = await startAppWorld(crossRegion());
    const [east, west, sydney] = sameIssueIn(['us-east-1', 'eu-west-1', 'ap-southeast-2']);
    west!.detail.service = { ...west!.detail.service, eventFirstSeen: '2026-01-14T08:00:00.000Z' };

    noFailures(await world.harness.invoke([makeSqsRecord(east!)]));
    noFailures(await world.harness.invoke([makeSqsRecord(republish(east!, 141))]));
    noFailures(await world.harness.invoke([makeSqsRecord(west!)]));
    noFailures(await world.harness.invoke([makeSqsRecord(republish(sydney!, 3, 8))]));

    const { parent, fields, replies, shown } = theParent(world);
    expect(fields.Count).toBe('145');
    expect(fields.Severity).toBe('High 8.0');
    expect(fields.Regions).toBe('ap-southeast-2, eu-west-1, us-east-1');
    expect(fields['First seen']).toBe('2026-01-14 08:00 UTC');
    expect(fields['Last seen']).toBe('2026-01-15 12:21 UTC');
    for (const event of [east, west, sydney]) expect(shown).toContain(`<${linkOf(event!)}|finding>`);
    expect(shown).toMatch(/By region\* \(3\)/);
    expect(parent.edits).toBe(3);
    expect(replies).toEqual([
      expect.stringContaining('Count reached *141*'),
      expect.stringContaining('Now also seen in *eu-west-1*'),
      expect.stringContaining('Now also seen in *ap-southeast-2*'),
    ]);
  });

  it('keeps every region’s part on each finding’s record and the issue’s, so later news of any region edits the whole issue', async () => {
    world = await startAppWorld(crossRegion());
    const [east, west] = sameIssueIn(['us-east-1', 'eu-west-1']);
    await world.harness.invoke([makeSqsRecord(republish(east!, 5))]);
    await world.harness.invoke([makeSqsRecord(west!)]);

    noFailures(await world.harness.invoke([makeSqsRecord(republish(west!, 10))]));

    const { fields, replies } = theParent(world);
    expect(fields.Count).toBe('15');
    expect(fields.Regions).toBe('eu-west-1, us-east-1');
    expect(replies.at(-1)).toContain('Count reached *10*');
    const records = world.store.snapshot();
    const tsOf = (event: FindingEvent) => records.get(findingKey({ id: String(event.detail.id) }))?.message?.ts;
    expect(tsOf(west!)).toBe(tsOf(east!));
  });
});

describe('archiving part of an issue', () => {
  it('archives region by region: the parent says which regions are archived, each archive is a reply, and only the last archives the parent', async () => {
    world = await startAppWorld(crossRegion());
    const [east, west] = sameIssueIn(['us-east-1', 'eu-west-1']);
    await world.harness.invoke([makeSqsRecord(east!)]);
    await world.harness.invoke([makeSqsRecord(west!)]);

    noFailures(await world.harness.invoke([makeSqsRecord(archived(west!))]));
    const half = theParent(world);
    noFailures(await world.harness.invoke([makeSqsRecord(archived(east!))]));
    noFailures(await world.harness.invoke([makeSqsRecord(archived(east!))]));
    const whole = theParent(world);

    expect(half.text).not.toMatch(/^\[archived\]/);
    expect(half.shown).toContain('Status: archived in eu-west-1 · active in us-east-1');
    expect(half.fields.Regions).toBe('eu-west-1, us-east-1');
    expect(half.replies.at(-1)).toBe('Archived in GuardDuty in *eu-west-1*; still active in *us-east-1*.');
    expect(whole.text).toMatch(/^\[archived\]/);
    expect(whole.shown).toContain('Status: archived in GuardDuty');
    expect(whole.fields.Regions).toBe('eu-west-1, us-east-1');
    expect(whole.replies.slice(1)).toEqual([
      'Archived in GuardDuty in *eu-west-1*; still active in *us-east-1*.',
      'Archived in GuardDuty in *us-east-1*: every region is archived now, and this message is no longer updated unless a finding is unarchived.',
    ]);
    expect(world.harness.captured.metric('FindingsSkipped_archived')).toBe(3);
  });
});
