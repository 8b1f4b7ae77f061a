import { describe, expect, it } from 'vitest';
import { routeBatch, typeMatches, type BatchRecord } from '../../core/route/index.ts';
import {
  atSeverity,
  attackSequence,
  forAccount,
  makeFindingEvent,
  makeHubConfig,
  type DetailOverrides,
} from '../factories/index.ts';

let counter = 0;

/** One SQS record (message id and body) carrying a finding built from `overrides`. */
function record(...overrides: DetailOverrides[]): BatchRecord {
  counter += 1;
  return {
    messageId: `msg-${counter}`,
    body: JSON.stringify(makeFindingEvent({ detail: Object.assign({}, ...overrides) })),
  };
}

const MEMBER1 = '222222222222'; // team-a, from Low
const MEMBER2 = '333333333333'; // defaults destination, from High
const UNLISTED = '444444444444'; // defaults: security, from Medium

describe('routeBatch thresholds and destinations', () => {
  it.each([
    [UNLISTED, 3.9, undefined],
    [UNLISTED, 4, 'security'],
    [MEMBER1, 1, 'team-a'],
    [MEMBER2, 6.9, undefined],
    [MEMBER2, 7, 'security'],
  ])('routes account %s at severity %d to %s', (account, severity, destination) => {
    // Arrange
    const config = makeHubConfig();

    // Act
    const result = routeBatch([record(forAccount(account), atSeverity(severity))], config);

    // Assert
    expect(result.routed.map((r) => r.destination)).toEqual(destination === undefined ? [] : [destination]);
    expect(result.skipped.map((s) => s.reason)).toEqual(destination === undefined ? ['below-threshold'] : []);
  });

  it('sends a finding to each destination whose own threshold it meets, and attack sequences where they are asked for', () => {
    const config = makeHubConfig({
      defaults: { destinations: ['security', 'oncall'] },
      destinations: {
        security: { webhookSecret: 'guardduty-hub/slack/security' },
        'team-a': { webhookSecret: 'guardduty-hub/slack/team-a' },
        oncall: { webhookSecret: 'guardduty-hub/slack/oncall', minSeverity: 'critical', attackSequences: true },
      },
    });
    const to = (...overrides: DetailOverrides[]) =>
      routeBatch([record(forAccount(UNLISTED), ...overrides)], config).routed.map((r) => [r.destination, r.lane]);

    expect(to(atSeverity(8))).toEqual([['security', undefined]]);
    expect(to(atSeverity(9))).toEqual([
      ['security', undefined],
      ['oncall', 'oncall'],
    ]);
    expect(to(attackSequence(), atSeverity(7.5))).toEqual([
      ['security', undefined],
      ['oncall', 'oncall'],
    ]);
    // The account's own threshold (Medium) still holds for an attack sequence.
    expect(to(attackSequence(), atSeverity(3))).toEqual([]);
  });

  it('honours a numeric threshold', () => {
    const config = makeHubConfig({ defaults: { minSeverity: 5.5 } });

    const result = routeBatch([record(atSeverity(5.4)), record(atSeverity(5.5))], config);

    expect(result.routed.map((r) => r.finding.severity)).toEqual([5.5]);
  });

  it('explains a below-threshold skip', () => {
    const [skipped] = routeBatch([record(atSeverity(2), forAccount(UNLISTED))], makeHubConfig()).skipped;

    expect(skipped).toMatchObject({
      reason: 'below-threshold',
      detail: `severity 2 is below 4 for account ${UNLISTED}`,
    });
  });

  it('skips archived findings', () => {
    const result = routeBatch([record(atSeverity(9), { service: { archived: true } })], makeHubConfig());

    expect(result.routed).toEqual([]);
    expect(result.skipped).toEqual([expect.objectContaining({ reason: 'archived' })]);
  });

  it('fails records that are not finding events, with the parse reason, and routes the rest', () => {
    const good = record();
    const records = [{ messageId: 'bad-json', body: '{' }, good, { messageId: 'no-source', body: '{"detail":{}}' }];

    const result = routeBatch(records, makeHubConfig());

    expect(result.failed).toEqual([
      { messageId: 'bad-json', reason: expect.stringMatching(/^body is not JSON/) },
      { messageId: 'no-source', reason: 'source is missing' },
    ]);
    expect(result.routed.flatMap((r) => r.messageIds)).toEqual([good.messageId]);
  });
});

describe('routeBatch suppress rules', () => {
  const finding = {
    type: 'Recon:EC2/PortProbeUnprotectedPort',
    accountId: UNLISTED,
    region: 'us-east-1',
    severity: 5,
  } as const;
  const detail: DetailOverrides = { ...finding };

  it.each([
    ['exact type', { type: 'Recon:EC2/PortProbeUnprotectedPort' }, true],
    ['other exact type', { type: 'Recon:EC2/Portscan' }, false],
    ['type prefix', { type: 'Recon:*' }, true],
    ['other prefix', { type: 'Backdoor:*' }, false],
    ['exact type is not a prefix', { type: 'Recon:EC2' }, false],
    ['account', { accounts: [UNLISTED] }, true],
    ['other account', { accounts: [MEMBER2] }, false],
    ['region', { regions: ['us-east-1'] }, true],
    ['other region', { regions: ['eu-north-1'] }, false],
    ['below a higher band', { below: 'high' }, true],
    ['below its own score', { below: 5 }, false],
    ['type and account', { type: 'Recon:*', accounts: [UNLISTED] }, true],
    ['type and another account', { type: 'Recon:*', accounts: [MEMBER2] }, false],
    ['all criteria', { type: 'Recon:*', accounts: [UNLISTED], regions: ['us-east-1'], below: 'high' }, true],
    ['all but region', { type: 'Recon:*', accounts: [UNLISTED], regions: ['us-west-2'], below: 'high' }, false],
  ])('a rule on %s suppresses: %s', (_case, rule, suppressed) => {
    // Arrange
    const config = makeHubConfig({ suppress: [{ type: 'Nothing:Matches/This' }, rule] });

    // Act
    const result = routeBatch([record(detail)], config);

    // Assert
    expect(result.skipped.map((s) => [s.reason, s.detail])).toEqual(
      suppressed ? [['suppressed', 'matches suppress[1]']] : [],
    );
    expect(result.routed).toHaveLength(suppressed ? 0 : 1);
  });

  it('matches type patterns exactly or by prefix', () => {
    expect(typeMatches('Recon:*', 'Recon:IAMUser/TorIPCaller')).toBe(true);
    expect(typeMatches('*', 'Anything')).toBe(true);
    expect(typeMatches('Recon:IAMUser/TorIPCaller', 'Recon:IAMUser/TorIPCallerX')).toBe(false);
  });

  it('checks the threshold before suppress rules', () => {
    const config = makeHubConfig({ suppress: [{ type: 'Recon:*' }] });

    const result = routeBatch([record(detail, atSeverity(2))], config);

    expect(result.skipped.map((s) => s.reason)).toEqual(['below-threshold']);
  });
});

describe('routeBatch collapses repeats of a finding within the batch', () => {
  it('keeps the copy with the highest count and carries every message id', () => {
    // Arrange
    const id = 'repeat-1';
    const records = [
      record({ id, service: { count: 2 } }),
      record({ id, service: { count: 5 }, title: 'newest' }),
      record({ id, service: { count: 3 } }),
    ];

    // Act
    const result = routeBatch(records, makeHubConfig());

    // Assert
    expect(result.routed).toHaveLength(1);
    expect(result.routed[0]?.finding.title).toBe('newest');
    expect(result.routed[0]?.messageIds).toEqual(records.map((r) => r.messageId));
    expect(result.collapsed).toBe(2);
    expect(result.skipped).toEqual([]);
  });

  it('breaks a count tie by the latest updatedAt', () => {
    const id = 'repeat-2';
    const records = [
      record({ id, updatedAt: '2026-01-15T10:00:00Z', title: 'older' }),
      record({ id, updatedAt: '2026-01-15T11:00:00Z', title: 'newer' }),
      record({ id, updatedAt: '2026-01-15T10:30:00Z', title: 'middle' }),
    ];

    const [routed] = routeBatch(records, makeHubConfig()).routed;

    expect(routed?.finding.title).toBe('newer');
  });

  it('lets the newest copy decide: archived since, every record is skipped', () => {
    const id = 'repeat-3';
    const records = [record({ id, service: { count: 1 } }), record({ id, service: { count: 2, archived: true } })];

    const result = routeBatch(records, makeHubConfig());

    expect(result.routed).toEqual([]);
    expect(result.skipped.map(({ routedTo: _routedTo, ...rest }) => rest)).toEqual(
      records.map((r) => ({
        messageId: r.messageId,
        findingId: id,
        reason: 'archived',
        detail: 'archived in GuardDuty',
      })),
    );
    // Archived findings keep their finding and destination: an app destination edits their parent message.
    expect(
      result.skipped.map((s) =>
        s.routedTo?.map((routed) => [routed.destination, routed.finding.count, routed.messageIds]),
      ),
    ).toEqual(records.map(() => [['security', 2, records.map((r) => r.messageId)]]));
    expect(result.collapsed).toBe(0);
  });

  it('keeps distinct findings apart, in arrival order', () => {
    const records = [record({ id: 'a' }), record({ id: 'b' }), record({ id: 'a' })];

    const result = routeBatch(records, makeHubConfig());

    expect(result.routed.map((r) => [r.finding.id, r.messageIds.length])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
  });

  it('does not collapse when asked not to', () => {
    const records = [record({ id: 'same' }), record({ id: 'same' })];

    const result = routeBatch(records, makeHubConfig(), { collapse: false });

    expect(result.routed).toHaveLength(2);
    expect(result.collapsed).toBe(0);
  });

  it('accounts for every record exactly once', () => {
    // Arrange: a mix of routed, repeated, skipped and failed records
    const records = [
      record({ id: 'x' }),
      record({ id: 'x', service: { count: 4 } }),
      record(atSeverity(1)),
      record({ service: { archived: true } }),
      { messageId: 'broken', body: 'not json' },
      record({ id: 'y' }),
    ];

    // Act
    const result = routeBatch(records, makeHubConfig());

    // Assert
    const accounted = [
      ...result.routed.flatMap((r) => r.messageIds),
      ...result.skipped.map((s) => s.messageId),
      ...result.failed.map((f) => f.messageId),
    ];
    expect(accounted.sort()).toEqual(records.map((r) => r.messageId).sort());
    expect(result.routed.length + result.collapsed).toBe(result.routed.flatMap((r) => r.messageIds).length);
  });
});

describe('routeBatch with bodies parsed already', () => {
  it('reads the parsed body it is given instead of parsing the text, and parses the others', () => {
    // Arrange
    const given = record({ title: 'from the parsed body' });
    const plain = record({ title: 'from the text' });
    const parsed = new Map<BatchRecord, unknown>([[given, JSON.parse(given.body)]]);
    const stale = { ...given, body: 'not json' };
    parsed.set(stale, parsed.get(given));

    // Act
    const result = routeBatch([stale, plain], makeHubConfig(), { parsedBody: (r) => parsed.get(r) });

    // Assert
    expect(result.failed).toEqual([]);
    expect(result.routed.map((r) => r.finding.title)).toEqual(['from the parsed body', 'from the text']);
  });
});
