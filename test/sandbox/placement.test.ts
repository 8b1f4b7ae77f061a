import { describe, expect, it } from 'vitest';
import { placeEvent } from '../../devkit/sandbox/placement.ts';
import {
  makeCloudTrailDetail,
  makeCloudTrailEvent,
  makeConfig,
  makeFindingEvent,
  makeMalwarePlanStatusEvent,
  makePostScanActionFailedEvent,
  makeRuntimeCoverageEvent,
  makeScanResultEvent,
} from '../factories/index.ts';

// What `sandbox publish` puts on a default bus, and what it refuses with a reason (the config: example's
// shape, regions us-east-1, us-west-1, us-west-2, eu-north-1, lowest threshold Low).

const config = makeConfig();

describe('sandbox publish: which events go on a default bus', () => {
  it.each([
    ['a finding event', makeFindingEvent(), 'GuardDuty Finding'],
    ['a Malware Protection scan result', makeScanResultEvent(), 'GuardDuty Malware Protection Object Scan Result'],
    [
      'a CloudTrail record of a GuardDuty call',
      makeCloudTrailEvent(makeCloudTrailDetail('DeleteDetector')),
      'AWS API Call via CloudTrail',
    ],
    ['a Runtime Monitoring unhealthy event', makeRuntimeCoverageEvent(), 'GuardDuty Runtime Protection Unhealthy'],
    [
      'a Runtime Monitoring healthy event',
      makeRuntimeCoverageEvent({ healthy: true }),
      'GuardDuty Runtime Protection Healthy',
    ],
    [
      'a Malware Protection plan status event',
      makeMalwarePlanStatusEvent({ status: 'WARNING' }),
      'GuardDuty Malware Protection Resource Status Warning',
    ],
    [
      'a failed post-scan action',
      makePostScanActionFailedEvent(),
      'GuardDuty Malware Protection Post Scan Action Failed',
    ],
  ])('publishes %s with its own detail-type in its region', (_kind, event, detailType) => {
    const placement = placeEvent(JSON.stringify(event), config);

    expect(placement).toMatchObject({
      ok: true,
      region: 'us-east-1',
      entry: { Source: 'aws.guardduty', DetailType: detailType },
    });
  });

  it('publishes a bare finding (a detail without an envelope) as GuardDuty publishes a finding', () => {
    const { detail } = makeFindingEvent({ detail: { region: 'eu-north-1' } });

    expect(placeEvent(JSON.stringify({ detail }), config)).toMatchObject({
      ok: true,
      region: 'eu-north-1',
      entry: { DetailType: 'GuardDuty Finding' },
    });
  });

  it('refuses an event of another service, naming its source and what the hub takes', () => {
    const ec2 = {
      version: '0',
      source: 'aws.ec2',
      'detail-type': 'EC2 Instance State-change Notification',
      region: 'us-east-1',
      detail: { state: 'running' },
    };

    const placement = placeEvent(JSON.stringify(ec2), config);

    expect(placement).toEqual({
      ok: false,
      reason:
        'not a GuardDuty event (source aws.ec2, detail-type EC2 Instance State-change Notification): the hub\'s rules take source aws.guardduty with detail-type "GuardDuty Finding", "GuardDuty Malware Protection Object Scan Result", "GuardDuty Runtime Protection Unhealthy", "GuardDuty Runtime Protection Healthy", "GuardDuty Malware Protection Resource Status Active", "GuardDuty Malware Protection Resource Status Warning", "GuardDuty Malware Protection Resource Status Error", "GuardDuty Malware Protection Post Scan Action Failed", "AWS API Call via CloudTrail"',
    });
  });

  it.each([
    ['text that is not JSON', 'hello', 'not JSON'],
    [
      'an object that is no finding',
      '{"hello":"world"}',
      'neither a GuardDuty event (no source and detail-type) nor a finding (no id and type)',
    ],
    [
      'a finding of a region outside the config',
      JSON.stringify(makeFindingEvent({ detail: { region: 'ap-south-1' } })),
      "region ap-south-1 is not in the config's regions (us-east-1, us-west-1, us-west-2, eu-north-1)",
    ],
  ])('refuses %s with the reason', (_kind, body, reason) => {
    expect(placeEvent(body, config)).toEqual({ ok: false, reason });
  });

  it('says when the forwarder will leave a published finding on the bus (below the lowest threshold)', () => {
    const high = makeConfig({
      defaults: { minSeverity: 'high' },
      accounts: { '222222222222': { minSeverity: 'high' }, '333333333333': { minSeverity: 'high' } },
    });

    const placement = placeEvent(JSON.stringify(makeFindingEvent({ detail: { severity: 5 } })), high);

    expect(placement).toMatchObject({
      ok: true,
      notForwarded: expect.stringMatching(/^severity 5 is below the forwarders' threshold 7 /),
    });
  });
});
