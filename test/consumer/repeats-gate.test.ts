import { describe, expect, it } from 'vitest';
import {
  MemoryStateStore,
  createRepeatGate,
  findingKey,
  issueKey,
  type GateResult,
  type RepeatGate,
  type StateStore,
} from '../../core/repeats/index.ts';
import type { RoutedFinding } from '../../core/types.ts';
import { HOUR_MS, MINUTE_MS, T0_MS, makeRouted, repeatSettings, republish } from './repeats-fixtures.ts';

function newGate(
  store: StateStore = new MemoryStateStore(),
  overrides: Parameters<typeof repeatSettings>[0] = {},
): RepeatGate {
  return createRepeatGate({ settings: repeatSettings(overrides), store });
}

/** Filters one batch and, as if Slack accepted every message, commits it. */
async function deliver(gate: RepeatGate, batch: readonly RoutedFinding[], nowMs: number): Promise<GateResult> {
  const result = await gate.filter(batch, nowMs);
  await gate.commit(result.notify, nowMs + 1000);
  return result;
}

/** Every finding of the batch, each in exactly one place. */
function accounted(result: GateResult): string[] {
  return [
    ...result.notify.flatMap((group) => group.members),
    ...result.repeats,
    ...result.deferred.map((deferral) => deferral.routed),
  ].map((routed) => `${routed.finding.id}/${routed.finding.count}`);
}

describe('repeat gate with the memory store', () => {
  it('notifies one finding with rising counts and changing severity exactly at the news', async () => {
    const gate = newGate();
    const first = makeRouted({ count: 1, severity: 5 });
    const versions = [
      { count: 1, severity: 5 },
      { count: 2, severity: 5 },
      { count: 5, severity: 7.5 },
      { count: 10, severity: 7.5 },
      { count: 11, severity: 5 },
      { count: 99, severity: 5 },
      { count: 100, severity: 5 },
      { count: 101, severity: 9.2 },
      { count: 102, severity: 9.2 },
    ];
    const reasons: string[] = [];
    for (const [i, version] of versions.entries()) {
      const result = await deliver(gate, [republish(first, version)], T0_MS + i * 15 * MINUTE_MS);
      reasons.push(result.notify[0]?.why ?? 'repeat');
    }
    expect(reasons).toEqual([
      'new',
      'repeat',
      'severity-rose',
      'count-milestone',
      'repeat',
      'repeat',
      'count-milestone',
      'severity-rose',
      'repeat',
    ]);
  });

  it('notifies an unchanged finding again 24 hours after the last message', async () => {
    const gate = newGate();
    const routed = makeRouted();
    await deliver(gate, [routed], T0_MS);

    const before = await deliver(gate, [routed], T0_MS + 24 * HOUR_MS - MINUTE_MS);
    const after = await deliver(gate, [routed], T0_MS + 24 * HOUR_MS + 1000);
    const next = await deliver(gate, [routed], T0_MS + 25 * HOUR_MS);

    expect(before.repeats).toEqual([routed]);
    expect(after.notify.map((group) => group.why)).toEqual(['renotify-due']);
    expect(next.repeats).toEqual([routed]);
  });

  it('sends one message naming all three regions when one issue arrives from three regions in one batch', async () => {
    const gate = newGate();
    const batch = ['us-west-2', 'us-east-1', 'eu-north-1'].map((region) => makeRouted({ region }));

    const result = await deliver(gate, batch, T0_MS);

    expect(result.notify).toHaveLength(1);
    expect(result.notify[0]?.regions).toEqual(['eu-north-1', 'us-east-1', 'us-west-2']);
    expect(result.notify[0]?.members).toHaveLength(3);
    expect([...(result.notify[0]?.messageIds ?? [])].sort()).toEqual(batch.flatMap((r) => r.messageIds).sort());
  });

  it('gives a later region of an issue already notified a message of its own that names the issue it joins', async () => {
    const store = new MemoryStateStore();
    const gate = newGate(store);
    const [east, west, north] = ['us-east-1', 'us-west-2', 'eu-north-1'].map((region) => makeRouted({ region }));

    const first = await deliver(gate, [east!], T0_MS);
    const second = await deliver(gate, [west!], T0_MS + 10 * MINUTE_MS);
    const third = await deliver(gate, [north!], T0_MS + 59 * MINUTE_MS);
    const again = await deliver(gate, [west!, north!], T0_MS + 90 * MINUTE_MS);

    expect(first.notify.map((group) => [group.regions, group.joins])).toEqual([[['us-east-1'], undefined]]);
    expect(second.notify.map((group) => [group.why, group.regions, group.joins?.regions])).toEqual([
      ['new', ['us-west-2'], ['us-east-1']],
    ]);
    expect(third.notify.map((group) => group.joins)).toEqual([
      { regions: ['us-east-1', 'us-west-2'], notifiedAtMs: T0_MS + 1000, identity: 'access-key:AKIAEXAMPLE' },
    ]);
    expect(store.snapshot().get(issueKey(east!.finding) ?? '')?.notified?.regions).toEqual([
      'eu-north-1',
      'us-east-1',
      'us-west-2',
    ]);
    expect(again.repeats).toEqual([west, north]);
  });

  it('shows a later region whose severity band is higher, in a message of its own', async () => {
    const gate = newGate();
    const east = makeRouted({ region: 'us-east-1', severity: 5 });
    const north = makeRouted({ region: 'eu-north-1', severity: 8 });
    await deliver(gate, [east], T0_MS);

    const later = await deliver(gate, [north], T0_MS + 15 * MINUTE_MS);

    expect(later.notify.map((group) => [group.finding.id, group.finding.band, group.joins?.regions])).toEqual([
      [north.finding.id, 'high', ['us-east-1']],
    ]);
  });

  it('never folds two finding ids from one region, even about the same resource', async () => {
    const gate = newGate();
    const batch = [
      makeRouted({ region: 'us-east-1' }),
      makeRouted({ region: 'us-east-1' }),
      makeRouted({ region: 'us-west-2' }),
    ];

    const result = await deliver(gate, batch, T0_MS);

    expect(result.notify.map((group) => group.regions)).toEqual([['us-east-1', 'us-west-2'], ['us-east-1']]);
    expect(result.notify.flatMap((group) => group.members.map((member) => member.finding.id)).sort()).toEqual(
      batch.map((r) => r.finding.id).sort(),
    );
  });

  it('never folds findings whose resource has no exact global identity (objects, sequences, containers)', async () => {
    const gate = newGate();
    const batch = ['us-east-1', 'us-west-2', 'eu-north-1'].map((region) =>
      makeRouted({ region, label: 'container app', identity: null }),
    );

    const result = await deliver(gate, batch, T0_MS);

    expect(result.notify.map((group) => group.regions)).toEqual([['us-east-1'], ['us-west-2'], ['eu-north-1']]);
  });

  it('names at most 20 regions in one message, so every folded finding is shown', async () => {
    const gate = newGate();
    const regions = [
      'us-east-1',
      'us-east-2',
      'us-west-1',
      'us-west-2',
      'af-south-1',
      'ap-east-1',
      'ap-south-1',
      'ap-south-2',
      'ap-southeast-1',
      'ap-southeast-2',
      'ap-southeast-3',
      'ap-southeast-4',
      'ap-northeast-1',
      'ap-northeast-2',
      'ap-northeast-3',
      'ca-central-1',
      'eu-central-1',
      'eu-central-2',
      'eu-west-1',
      'eu-west-2',
      'eu-west-3',
      'eu-north-1',
    ];
    const batch = regions.map((region) => makeRouted({ region }));

    const result = await deliver(gate, batch, T0_MS);

    expect(result.notify.map((group) => group.regions.length)).toEqual([20, 2]);
  });

  it('notifies a region that first reports the issue after the window on its own', async () => {
    const gate = newGate();
    const [east, west] = ['us-east-1', 'us-west-2'].map((region) => makeRouted({ region }));
    await deliver(gate, [east!], T0_MS);

    const late = await deliver(gate, [west!], T0_MS + 61 * MINUTE_MS);

    expect(late.notify.map((group) => [group.why, group.regions])).toEqual([['new', ['us-west-2']]]);
  });

  it('never folds news: a severity rise in another region within the window is sent', async () => {
    const gate = newGate();
    const [east, west] = ['us-east-1', 'us-west-2'].map((region) => makeRouted({ region }));
    await deliver(gate, [east!, west!], T0_MS);

    const rose = await deliver(gate, [republish(west!, { severity: 8 })], T0_MS + 15 * MINUTE_MS);

    expect(rose.notify.map((group) => [group.why, group.regions])).toEqual([['severity-rose', ['us-west-2']]]);
  });

  it('keeps different issues, accounts and destinations apart', async () => {
    const gate = newGate();
    const batch = [
      makeRouted({ label: 'AKIAONE (alice)' }),
      makeRouted({ label: 'AKIATWO (bob)' }),
      makeRouted({ accountId: '555555555555' }),
      makeRouted({ type: 'Discovery:S3/MaliciousIPCaller' }),
      makeRouted({ destination: 'team-a', region: 'us-west-2' }),
    ];

    const result = await deliver(gate, batch, T0_MS);

    expect(result.notify).toHaveLength(5);
  });

  it('does not group regions when the cross-region window is 0', async () => {
    const gate = newGate(new MemoryStateStore(), { crossRegionWindowMinutes: 0 });
    const batch = ['us-east-1', 'us-west-2'].map((region) => makeRouted({ region }));

    const result = await deliver(gate, batch, T0_MS);

    expect(result.notify.map((group) => group.regions)).toEqual([['us-east-1'], ['us-west-2']]);
  });

  it('lets exactly one of two gates sharing a store notify a finding both receive at once', async () => {
    const store = new MemoryStateStore();
    const [a, b] = [newGate(store), newGate(store)];
    const routed = makeRouted();

    const [ra, rb] = await Promise.all([a.filter([routed], T0_MS), b.filter([routed], T0_MS)]);

    expect(ra.notify.length + rb.notify.length).toBe(1);
    expect([...ra.deferred, ...rb.deferred]).toEqual([{ routed, retryAtMs: T0_MS + 5 * MINUTE_MS }]);
    expect([...ra.repeats, ...rb.repeats]).toEqual([]);
  });

  it('defers the racing copy that carries news beyond what the other instance is sending', async () => {
    const store = new MemoryStateStore();
    const [a, b] = [newGate(store), newGate(store)];
    const routed = makeRouted({ count: 9 });
    const grown = republish(routed, { count: 10 });

    const held = await a.filter([routed], T0_MS);
    const racing = await b.filter([grown], T0_MS + 1000);
    await a.commit(held.notify, T0_MS + 2000);
    const retried = await b.filter([grown], T0_MS + 6 * MINUTE_MS);

    expect(held.notify).toHaveLength(1);
    expect(racing.deferred).toEqual([{ routed: grown, retryAtMs: T0_MS + 5 * MINUTE_MS }]);
    expect(retried.notify.map((group) => group.why)).toEqual(['count-milestone']);
  });

  it('hands back a copy whose finding another instance is sending, and finds it a repeat once that message is committed', async () => {
    const store = new MemoryStateStore();
    const [a, b] = [newGate(store), newGate(store)];
    const routed = makeRouted();

    const held = await a.filter([routed], T0_MS);
    const racing = await b.filter([routed], T0_MS + 1000);
    await a.commit(held.notify, T0_MS + 2000);
    const retried = await b.filter([routed], T0_MS + 6 * MINUTE_MS);

    expect(racing.deferred.map((deferral) => deferral.routed)).toEqual([routed]);
    expect(racing.repeats).toEqual([]);
    expect(retried.repeats).toEqual([routed]);
  });

  it('lets the retry of a failed delivery notify once the claim is released', async () => {
    const gate = newGate();
    const routed = makeRouted();

    const failed = await gate.filter([routed], T0_MS);
    await gate.release(failed.notify);
    const retry = await gate.filter([routed], T0_MS + 30_000);

    expect(retry.notify.map((group) => group.why)).toEqual(['new']);
  });

  it('never takes a live claim for a notification: a copy seen while it is held is handed back, then sent once it expires', async () => {
    const store = new MemoryStateStore();
    const crashed = newGate(store);
    const routed = makeRouted();
    await crashed.filter([routed], T0_MS);

    const meanwhile = await newGate(store).filter([routed], T0_MS + MINUTE_MS);
    const redelivered = await newGate(store).filter([routed], T0_MS + 6 * MINUTE_MS);

    expect(meanwhile.repeats).toEqual([]);
    expect(meanwhile.deferred).toEqual([{ routed, retryAtMs: T0_MS + 5 * MINUTE_MS }]);
    expect(redelivered.notify.map((group) => group.why)).toEqual(['new']);
  });

  it('counts a claim it could not release, and hands the finding back until the claim expires', async () => {
    const store = new MemoryStateStore();
    const gate = newGate(store);
    const routed = makeRouted();
    const failed = await gate.filter([routed], T0_MS);
    store.release = async () => {
      throw new Error('throttled');
    };

    const report = await gate.release(failed.notify);
    const retry = await gate.filter([routed], T0_MS + 10_000);

    expect(report.errors.map((error) => [error.name, error.operation])).toEqual([['RepeatStateError', 'release']]);
    expect(retry.deferred).toEqual([{ routed, retryAtMs: T0_MS + 5 * MINUTE_MS }]);
    expect(retry.repeats).toEqual([]);
  });

  it('reports a commit whose claim was taken over after it expired', async () => {
    const store = new MemoryStateStore();
    const slow = newGate(store, { crossRegionWindowMinutes: 0 });
    const routed = makeRouted();
    const held = await slow.filter([routed], T0_MS);
    await newGate(store).filter([routed], T0_MS + 6 * MINUTE_MS);

    const report = await slow.commit(held.notify, T0_MS + 7 * MINUTE_MS);

    expect(report).toEqual({ recorded: 0, lost: 1, errors: [] });
  });

  it('commits a group when handed any of its members', async () => {
    const store = new MemoryStateStore();
    const gate = newGate(store);
    const batch = ['us-east-1', 'us-west-2'].map((region) => makeRouted({ region }));
    await gate.filter(batch, T0_MS);

    const report = await gate.commit([batch[1]!], T0_MS + 1000);

    expect(report.recorded).toBe(2);
    expect(store.snapshot().get(findingKey(batch[0]!.finding))?.notified?.notifiedAtMs).toBe(T0_MS + 1000);
  });

  it('keeps the latest version of a finding that appears twice in one batch', async () => {
    const gate = newGate();
    const older = makeRouted({ count: 3 });
    const newer = republish(older, { count: 4 });

    const result = await gate.filter([older, newer], T0_MS);

    expect(result.notify[0]?.finding).toBe(newer.finding);
    expect(result.repeats).toEqual([older]);
  });

  it('accounts for every finding of a mixed batch exactly once', async () => {
    const store = new MemoryStateStore();
    const gate = newGate(store);
    const known = makeRouted();
    await deliver(gate, [known], T0_MS);
    const batch = [
      known,
      makeRouted({ region: 'us-west-2' }),
      makeRouted({ label: 'AKIAOTHER (carol)' }),
      republish(known, { count: 10 }),
    ];

    const result = await gate.filter(batch, T0_MS + 15 * MINUTE_MS);

    expect(accounted(result).sort()).toEqual(batch.map((r) => `${r.finding.id}/${r.finding.count}`).sort());
  });

  it('passes everything through, one message per finding, when disabled', async () => {
    const store = new MemoryStateStore();
    const gate = newGate(store, { enabled: false });
    const routed = makeRouted();

    const first = await deliver(gate, [routed], T0_MS);
    const second = await deliver(gate, [routed], T0_MS + MINUTE_MS);

    expect([first.notify.length, second.notify.length]).toEqual([1, 1]);
    expect(store.snapshot().size).toBe(0);
  });

  it('fails open when the store cannot be read: every finding is sent and the error reported', async () => {
    const broken = new MemoryStateStore();
    broken.read = async () => {
      throw new Error('table unavailable');
    };
    const gate = newGate(broken);
    const batch = [makeRouted(), makeRouted({ label: 'AKIAOTHER (carol)' })];

    const result = await gate.filter(batch, T0_MS);

    expect(result.notify).toHaveLength(2);
    expect(result.errors.map((error) => [error.name, error.operation])).toEqual([['RepeatStateError', 'read']]);
  });
});
