import { describe, expect, it } from 'vitest';
import {
  decideDrift,
  driftAlertBody,
  memoryDriftStore,
  recordsWriteManagementEvents,
  runDriftCheck,
  trailStatus,
  type DriftAlert,
  type GuardDutyReader,
  type TrailView,
} from '../../lambdas/drift/index.ts';
import { parseRecord } from '../../core/kinds/index.ts';
import { renderMessages } from '../../destinations/slack/render/index.ts';
import { routeBatch } from '../../core/route/index.ts';
import { makeConfig } from '../factories/index.ts';

const ADMIN = '111111111111';
const expected = { region: 'us-east-1', members: ['222222222222', '333333333333'] };
const observed = (detector: string, members: Record<string, string>) => ({
  region: 'us-east-1',
  detector,
  members: new Map(Object.entries(members)),
});
const healthy = observed('ENABLED', { '222222222222': 'Enabled', '333333333333': 'Enabled' });

describe('deciding drift', () => {
  it('says nothing while everything is as configured', () => {
    const first = decideDrift(expected, healthy, new Map(), ADMIN);

    expect(first.alerts).toEqual([]);
    expect(decideDrift(expected, healthy, first.next, ADMIN).alerts).toEqual([]);
  });

  it('alerts once when a member is removed, stays quiet while it stays removed or resigns, and alerts once on recovery', () => {
    const removed = observed('ENABLED', { '222222222222': 'Removed', '333333333333': 'Enabled' });
    const resigned = observed('ENABLED', { '222222222222': 'Resigned', '333333333333': 'Enabled' });
    const start = decideDrift(expected, healthy, new Map(), ADMIN).next;

    const drift = decideDrift(expected, removed, start, ADMIN);
    const still = decideDrift(expected, removed, drift.next, ADMIN);
    const moved = decideDrift(expected, resigned, still.next, ADMIN);
    const back = decideDrift(expected, healthy, moved.next, ADMIN);

    expect(drift.alerts).toEqual([
      {
        kind: 'drifted',
        region: 'us-east-1',
        subject: 'member:222222222222',
        accountId: '222222222222',
        from: 'Enabled',
        to: 'Removed',
        expected: 'Enabled',
      },
    ]);
    expect(still.alerts).toEqual([]);
    expect(moved.alerts).toEqual([]);
    expect(back.alerts).toEqual([
      {
        kind: 'recovered',
        region: 'us-east-1',
        subject: 'member:222222222222',
        accountId: '222222222222',
        from: 'Resigned',
        to: 'Enabled',
        expected: 'Enabled',
      },
    ]);
  });

  it('alerts on a stopped or missing detector and on a member that disappeared, naming the administrator for the detector', () => {
    const { alerts } = decideDrift(
      expected,
      observed('DISABLED', { '222222222222': 'Enabled' }),
      decideDrift(expected, healthy, new Map(), ADMIN).next,
      ADMIN,
    );

    expect(alerts.map((a) => [a.subject, a.accountId, a.to])).toEqual([
      ['detector', ADMIN, 'DISABLED'],
      ['member:333333333333', '333333333333', 'missing'],
    ]);
    expect(
      decideDrift(
        expected,
        { region: 'us-east-1', detector: 'missing', members: new Map() },
        new Map(),
        ADMIN,
      ).alerts.map((a) => a.to),
    ).toEqual(['missing', 'missing', 'missing']);
  });

  it('reports drift that exists when the check first runs, once', () => {
    const invited = observed('ENABLED', { '222222222222': 'Invited', '333333333333': 'Enabled' });

    const first = decideDrift(expected, invited, new Map(), ADMIN);

    expect(first.alerts).toMatchObject([
      { kind: 'drifted', subject: 'member:222222222222', from: 'unknown', to: 'Invited' },
    ]);
    expect(decideDrift(expected, invited, first.next, ADMIN).alerts).toEqual([]);
  });
});

/** A fake GuardDuty whose member statuses the test sets. */
function fakeGuardDuty(state: { detector: string; members: Record<string, string> }): GuardDutyReader {
  return {
    listDetectorIds: async () => (state.detector === 'missing' ? [] : ['d1']),
    detectorStatus: async () => state.detector,
    memberStatuses: async () => new Map(Object.entries(state.members)),
  };
}

describe('running the drift check', () => {
  // makeConfig: 222222222222 is a member in us-west-1 only, 333333333333 in every region.
  const config = makeConfig({ regions: ['us-west-1', 'us-west-2'] });
  const world = { detector: 'ENABLED', members: { '222222222222': 'Removed', '333333333333': 'Enabled' } };

  it('checks each region against its own members, sends the alerts, then remembers; a failed send is decided again', async () => {
    const store = memoryDriftStore();
    const sent: string[] = [];
    let sqsDown = true;
    const send = async (bodies: readonly string[]) => {
      if (sqsDown) throw new Error('SQS down');
      sent.push(...bodies);
    };
    const run = () => runDriftCheck({ config, guardduty: () => fakeGuardDuty(world), store, send, now: () => 0 });

    const failed = await run();
    sqsDown = false;
    const retried = await run();
    const quiet = await run();

    expect(failed).toEqual({
      alerts: [],
      failedRegions: [{ region: 'us-west-1', error: 'SQS down' }],
      canaryAges: new Map(),
    });
    expect(retried.alerts.map((a) => [a.region, a.subject, a.to])).toEqual([
      ['us-west-1', 'member:222222222222', 'Removed'],
    ]);
    expect(sent.map((body) => JSON.parse(body))).toEqual([
      expect.objectContaining({
        source: 'guardduty-hub',
        'detail-type': 'GuardDuty Hub Drift',
        region: 'us-west-1',
        detail: expect.objectContaining({ kind: 'drifted' }),
      }),
    ]);
    expect(quiet.alerts).toEqual([]);
  });
});

describe('a drift alert in the consumer', () => {
  const alert: DriftAlert = {
    kind: 'drifted',
    region: 'us-west-1',
    subject: 'member:222222222222',
    accountId: '222222222222',
    from: 'Enabled',
    to: 'Resigned',
    expected: 'Enabled',
  };

  it('is parsed, routed to the member account’s destination whatever its threshold, and rendered naming the member and states', () => {
    const config = makeConfig({ accounts: { '222222222222': { minSeverity: 'critical' } } });
    const recovered = { ...alert, kind: 'recovered' as const, from: 'Resigned', to: 'Enabled' };

    const routed = routeBatch(
      [
        { messageId: 'a', body: driftAlertBody(alert, 0) },
        { messageId: 'b', body: driftAlertBody(recovered, 1000) },
      ],
      config,
    );
    const messages = renderMessages(routed.routed, config);

    expect(routed.routed.map((r) => [r.destination, r.finding.type])).toEqual([
      ['team-a', 'GuardDutyHub:Drift/Drifted'],
      ['team-a', 'GuardDutyHub:Drift/Recovered'],
    ]);
    const raw = messages.map((m) => JSON.stringify(m.payload)).join('\n');
    expect(raw).toContain('member 222222222222 is Resigned in us-west-1 (expected Enabled)');
    expect(raw).toContain('member 222222222222 is Enabled again in us-west-1');
  });

  it('is refused with a reason when it is not a drift alert', () => {
    const body = JSON.stringify({
      source: 'guardduty-hub',
      'detail-type': 'GuardDuty Hub Drift',
      detail: { kind: 'maybe' },
    });

    expect(parseRecord(body)).toEqual({ ok: false, reason: 'detail.kind must be drifted or recovered' });
  });
});

describe('CloudTrail coverage of a region', () => {
  const trail = (overrides: Partial<TrailView> = {}): TrailView => ({
    arn: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/t',
    homeRegion: 'us-east-1',
    multiRegion: false,
    logging: true,
    writeManagementEvents: true,
    ...overrides,
  });

  it.each([
    ['no trail', [], 'no-trail'],
    ['a single-region trail elsewhere', [trail({ homeRegion: 'eu-north-1' })], 'no-trail'],
    ['a multi-region trail from elsewhere', [trail({ homeRegion: 'eu-north-1', multiRegion: true })], 'logging'],
    ['a stopped trail', [trail({ logging: false })], 'not-logging'],
    [
      'a logging trail without write management events',
      [trail({ writeManagementEvents: false })],
      'no-management-events',
    ],
    [
      'one good trail among bad ones',
      [trail({ logging: false }), trail({ writeManagementEvents: false }), trail()],
      'logging',
    ],
  ] as const)('%s → %s', (_, trails, expected) => {
    expect(trailStatus('us-east-1', trails)).toBe(expected);
  });

  it.each([
    [{ EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] }, true],
    [{ EventSelectors: [{ ReadWriteType: 'WriteOnly' }] }, true],
    [{ EventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true }] }, false],
    [{ EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: false }] }, false],
    [{ AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }] }, true],
    [
      {
        AdvancedEventSelectors: [
          {
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Management'] },
              { Field: 'readOnly', Equals: ['true'] },
            ],
          },
        ],
      },
      false,
    ],
    [{ AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }] }] }, false],
  ] as const)('event selectors %j record write management events: %s', (selectors, expected) => {
    expect(recordsWriteManagementEvents(selectors)).toBe(expected);
  });

  it('is one more subject of the drift decision, for the administrator account', () => {
    const { alerts } = decideDrift(expected, { ...healthy, cloudtrail: 'not-logging' }, new Map(), ADMIN);

    expect(alerts).toEqual([
      {
        kind: 'drifted',
        region: 'us-east-1',
        subject: 'cloudtrail',
        accountId: ADMIN,
        from: 'unknown',
        to: 'not-logging',
        expected: 'logging',
      },
    ]);
  });
});
