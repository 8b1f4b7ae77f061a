import { describe, expect, it } from 'vitest';
import { parseRecord } from '../../core/kinds/index.ts';
import { renderMessages, validatePayload } from '../../destinations/slack/render/index.ts';
import { routeBatch } from '../../core/route/index.ts';
import { QUIET_COLOUR } from '../../destinations/slack/render/tamper.ts';
import { isWeakening, TAMPER_SEVERITY, type TamperChange } from '../../core/kinds/tamper/index.ts';
import type { Finding } from '../../core/types.ts';
import {
  WEAKENING_REQUESTS,
  makeCloudTrailDetail,
  makeCloudTrailEvent,
  makeConfig,
  makeFindingEvent,
} from '../factories/index.ts';

const HUB = '111111111111';

function parseChange(event: object): Finding & { tamper: TamperChange } {
  const parsed = parseRecord(JSON.stringify(event));
  if (!parsed.ok) throw new Error(parsed.reason);
  if (parsed.finding.tamper === undefined) throw new Error('not a tamper change');
  return parsed.finding as Finding & { tamper: TamperChange };
}

const record = (event: object, messageId = 'm1') => ({ messageId, body: JSON.stringify(event) });

describe('parsing a GuardDuty API call (CloudTrail)', () => {
  it('reads who, where and what from the CloudTrail record, with the account it happened in', () => {
    const detail = makeCloudTrailDetail('DeleteDetector', { accountId: '222222222222', region: 'eu-north-1' });

    const finding = parseChange(makeCloudTrailEvent(detail));

    expect(finding).toMatchObject({
      id: `cloudtrail:${detail.eventID}`,
      type: 'GuardDutyHub:Tamper/DeleteDetector',
      accountId: '222222222222',
      region: 'eu-north-1',
      severity: TAMPER_SEVERITY.weakening,
      archived: false,
    });
    expect(finding.tamper).toMatchObject({
      eventName: 'DeleteDetector',
      weakening: true,
      principal: {
        arn: 'arn:aws:sts::222222222222:assumed-role/intruder/mallory',
        issuerArn: 'arn:aws:iam::222222222222:role/intruder',
        type: 'AssumedRole',
      },
      sourceIp: '203.0.113.7',
      userAgent: 'aws-cli/2.15.0 Python/3.11',
      parameters: [['detectorId', '12abc34d567e8fa901bc2d34e56789f0']],
    });
    expect(finding.consoleUrl).toBe(
      `https://console.aws.amazon.com/cloudtrail/home?region=eu-north-1#/events/${detail.eventID}`,
    );
  });

  it('flattens nested request parameters into dotted names, lists joined', () => {
    const finding = parseChange(
      makeCloudTrailEvent(
        makeCloudTrailDetail('CreateFilter', { requestParameters: WEAKENING_REQUESTS.CreateFilter! }),
      ),
    );

    expect(finding.tamper.parameters).toEqual([
      ['detectorId', 'd1'],
      ['name', 'quiet-please'],
      ['action', 'ARCHIVE'],
      ['rank', '1'],
      ['findingCriteria.criterion.type.equals', 'UnauthorizedAccess:EC2/SSHBruteForce'],
    ]);
  });

  it('refuses a CloudTrail event of another service or of a call it does not watch, with the reason', () => {
    const otherService = makeCloudTrailEvent(
      makeCloudTrailDetail('DeleteTrail', { overrides: { eventSource: 'cloudtrail.amazonaws.com' } }),
    );
    const readOnly = makeCloudTrailEvent(makeCloudTrailDetail('GetDetector'));

    expect(parseRecord(JSON.stringify(otherService))).toEqual({
      ok: false,
      reason: 'detail.eventSource is not guardduty.amazonaws.com (got cloudtrail.amazonaws.com)',
    });
    expect(parseRecord(JSON.stringify(readOnly))).toEqual({
      ok: false,
      reason: 'detail.eventName GetDetector is not a watched GuardDuty call',
    });
  });

  it('keeps a failed attempt, with its error code', () => {
    const detail = makeCloudTrailDetail('DeleteDetector', { overrides: { errorCode: 'AccessDenied' } });

    expect(parseChange(makeCloudTrailEvent(detail)).tamper.errorCode).toBe('AccessDenied');
  });
});

describe('which changes weaken GuardDuty', () => {
  it.each([
    ['UpdateDetector', { detectorId: 'd1', enable: false }, true],
    ['UpdateDetector', { detectorId: 'd1', features: [{ name: 'S3_DATA_EVENTS', status: 'DISABLED' }] }, true],
    ['UpdateDetector', { detectorId: 'd1', findingPublishingFrequency: 'ONE_HOUR' }, false],
    ['UpdateOrganizationConfiguration', { detectorId: 'd1', autoEnableOrganizationMembers: 'NONE' }, true],
    ['UpdateOrganizationConfiguration', { detectorId: 'd1', autoEnableOrganizationMembers: 'ALL' }, false],
    ['CreateFilter', { detectorId: 'd1', action: 'ARCHIVE' }, true],
    ['CreateFilter', { detectorId: 'd1', action: 'NOOP' }, false],
    ['CreateIPSet', { detectorId: 'd1', activate: true }, true],
    ['CreateThreatIntelSet', { detectorId: 'd1', activate: true }, false],
    ['DeleteThreatIntelSet', { detectorId: 'd1' }, true],
    ['StopMonitoringMembers', { detectorId: 'd1', accountIds: ['2'] }, true],
    ['UpdateCustomDetectionRuleAssociation', { RuleId: 'r1', AssociationId: 'a1', mode: 'DRY_RUN' }, true],
    ['UpdateCustomDetectionRuleAssociation', { RuleId: 'r1', AssociationId: 'a1', mode: 'LIVE' }, false],
    ['UpdateCustomDetectionRuleOrgConfiguration', { RuleId: 'r1', mode: 'LIVE', excludeAccountIds: ['2'] }, true],
    ['UpdateCustomDetectionRuleOrgConfiguration', { RuleId: 'r1', mode: 'LIVE', includeAccountIds: ['2'] }, false],
    ['DeleteCustomDetectionRuleAssociation', { RuleId: 'r1', AssociationId: 'a1' }, true],
  ] as const)('%s %j → %s', (eventName, parameters, expected) => {
    expect(isWeakening(eventName, parameters)).toBe(expected);
  });
});

describe('routing a GuardDuty change', () => {
  const intruderCall = () => makeCloudTrailEvent(makeCloudTrailDetail('DeleteDetector', { accountId: '222222222222' }));
  const deployCall = () =>
    makeCloudTrailEvent(
      makeCloudTrailDetail('CreateFilter', {
        overrides: {
          userIdentity: {
            type: 'AssumedRole',
            arn: `arn:aws:sts::${HUB}:assumed-role/deploy/ci`,
            sessionContext: { sessionIssuer: { arn: `arn:aws:iam::${HUB}:role/deploy` } },
          },
        },
      }),
    );

  it('goes to the destination of the account it happened in, whatever its threshold and the suppress rules', () => {
    const config = makeConfig({
      accounts: { '222222222222': { minSeverity: 'critical', destination: 'team-a' } },
      suppress: [{ accounts: ['222222222222'] }],
    });

    const result = routeBatch([record(intruderCall())], config);

    expect(result.routed.map((r) => [r.destination, r.finding.type])).toEqual([
      ['team-a', 'GuardDutyHub:Tamper/DeleteDetector'],
    ]);
    expect(result.skipped).toEqual([]);
  });

  it('marks a change by a quiet principal (role ARN, any session) quiet', () => {
    const config = makeConfig({ guard: { quietPrincipals: [`arn:aws:iam::${HUB}:role/deploy`] } });

    const result = routeBatch([record(deployCall())], config);

    expect(result.routed[0]?.finding.tamper?.quiet).toBe(true);
  });

  it('skips a quiet principal’s change as suppressed when guard.quietChanges is drop', () => {
    const config = makeConfig({
      guard: { quietPrincipals: [`arn:aws:iam::${HUB}:role/deploy`], quietChanges: 'drop' },
    });

    const result = routeBatch([record(deployCall(), 'm9')], config);

    expect(result.routed).toEqual([]);
    expect(result.skipped).toEqual([
      {
        messageId: 'm9',
        findingId: expect.stringMatching(/^cloudtrail:/),
        reason: 'suppressed',
        detail: `CreateFilter by quiet principal arn:aws:iam::${HUB}:role/deploy`,
      },
    ]);
  });

  it('applies hub suppress rules to findings but leaves source rules to GuardDuty', () => {
    const config = makeConfig({
      suppress: [{ type: 'Recon:EC2/PortProbeUnprotectedPort', at: 'source' }, { type: 'Recon:EC2/Portscan' }],
    });
    const atSource = makeFindingEvent({ detail: { type: 'Recon:EC2/PortProbeUnprotectedPort', severity: 8 } });
    const atHub = makeFindingEvent({ detail: { type: 'Recon:EC2/Portscan', severity: 8 } });

    const result = routeBatch([record(atSource, 'a'), record(atHub, 'b')], config);

    expect(result.routed.map((r) => r.messageIds)).toEqual([['a']]);
    expect(result.skipped).toMatchObject([{ messageId: 'b', reason: 'suppressed', detail: 'matches suppress[1]' }]);
  });
});

describe('rendering a GuardDuty change', () => {
  const config = makeConfig({ delivery: { digestThreshold: 1 } });

  function render(event: object, quiet = false) {
    const finding = parseChange(event);
    const routed = {
      finding: quiet ? { ...finding, tamper: { ...finding.tamper, quiet: true } } : finding,
      destination: 'security',
      messageIds: ['m1'],
    };
    return renderMessages([routed, { ...routed, messageIds: ['m2'] }], config);
  }

  it('is one high-visibility message per change, never a digest, naming what, where and who', () => {
    const detail = makeCloudTrailDetail('DisassociateMembers', {
      requestParameters: WEAKENING_REQUESTS.DisassociateMembers!,
    });

    const messages = render(makeCloudTrailEvent(detail));

    expect(messages.map((m) => m.kind)).toEqual(['single', 'single']);
    const [first] = messages;
    const raw = JSON.stringify(first!.payload);
    expect(first!.payload.attachments[0]!.color).toBe(config.colors.critical);
    expect(first!.payload.text).toContain('GuardDuty weakened: GuardDuty members disassociated');
    for (const expected of [
      'DisassociateMembers',
      '111111111111',
      'us-east-1',
      'arn:aws:sts::111111111111:assumed-role/intruder/mallory',
      '203.0.113.7',
      'aws-cli/2.15.0',
      'accountIds',
      '222222222222',
      detail.eventID,
    ]) {
      expect(raw).toContain(expected);
    }
    expect(validatePayload(first!.payload)).toEqual([]);
  });

  it('escapes caller-controlled text (user agent, parameters) so that it cannot mention or link', () => {
    const detail = makeCloudTrailDetail('CreateFilter', {
      requestParameters: { detectorId: 'd1', name: '<!channel>', action: 'ARCHIVE' },
      overrides: { userAgent: '<https://evil.example|click> & co' },
    });

    const raw = JSON.stringify(render(makeCloudTrailEvent(detail))[0]!.payload);

    expect(raw).not.toContain('<!channel>');
    expect(raw).not.toContain('<https://evil.example');
    expect(raw).toContain('&lt;!channel&gt;');
    expect(raw).toContain('&lt;https://evil.example|click&gt; &amp; co');
  });

  it('is plain and grey for a quiet principal', () => {
    const [message] = render(makeCloudTrailEvent(makeCloudTrailDetail('CreateFilter')), true);

    expect(message!.payload.attachments[0]!.color).toBe(QUIET_COLOUR);
    expect(message!.payload.text).toContain('GuardDuty change by an expected principal');
    expect(message!.payload.text).not.toContain('🚨');
  });
});
