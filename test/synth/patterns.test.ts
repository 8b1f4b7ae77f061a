import { describe, expect, it } from 'vitest';
import { SCAN_RESULT_DETAIL_TYPE } from '../../core/kinds/finding/index.ts';
import { COVERAGE_DETAIL_TYPE_LIST, regionStackName } from '../../shared/index.ts';
import { makeConfig } from '../factories/config.ts';
import { synthApp } from '../support/synth.ts';

// The event patterns that decide which GuardDuty events travel: findings, S3 object scan results and coverage events.
// (The path from a region's default bus to Slack, applied to moto, is test/integration/scan-result.test.ts.)

/** The pattern of the finding rule of a stack: the hub rule, or a region's forwarder (the tamper rule sits beside it). */
const patternIn = (app: ReturnType<typeof synthApp>, stack: string) => {
  const rules = app
    .resources(stack, 'aws_cloudwatch_event_rule')
    .filter(([id]) => stack === 'hub' || id.startsWith('Forwarder_'));
  if (rules.length !== 1) throw new Error(`expected one finding rule in ${stack}, found ${rules.length}`);
  return JSON.parse(rules[0]![1].event_pattern as string) as Record<string, unknown>;
};

describe('GuardDuty event patterns', () => {
  it('let the hub rule pass findings, scan results and tamper events, by the detail-type the consumer parses', () => {
    // Act
    const pattern = patternIn(synthApp(makeConfig()), 'hub');

    // Assert
    expect(pattern).toEqual({
      source: ['aws.guardduty'],
      'detail-type': [
        'GuardDuty Finding',
        SCAN_RESULT_DETAIL_TYPE,
        ...COVERAGE_DETAIL_TYPE_LIST,
        'AWS API Call via CloudTrail',
      ],
    });
    expect(SCAN_RESULT_DETAIL_TYPE).toBe('GuardDuty Malware Protection Object Scan Result');
  });

  it('forwards and delivers the six coverage detail-types GuardDuty documents, spelled as the event reference lists them', () => {
    expect(COVERAGE_DETAIL_TYPE_LIST).toEqual([
      'GuardDuty Runtime Protection Unhealthy',
      'GuardDuty Runtime Protection Healthy',
      'GuardDuty Malware Protection Resource Status Active',
      'GuardDuty Malware Protection Resource Status Warning',
      'GuardDuty Malware Protection Resource Status Error',
      'GuardDuty Malware Protection Post Scan Action Failed',
    ]);
  });

  it('let every region forwarder pass findings from the lowest threshold and every scan result and coverage event (which have no severity)', () => {
    // Arrange: defaults medium (4), 222222222222 low (1)
    const config = makeConfig();

    // Act
    const app = synthApp(config);

    // Assert
    for (const region of config.regions) {
      expect(patternIn(app, regionStackName(region))).toEqual({
        source: ['aws.guardduty'],
        $or: [
          { 'detail-type': ['GuardDuty Finding'], detail: { severity: [{ numeric: ['>=', 1] }] } },
          { 'detail-type': [SCAN_RESULT_DETAIL_TYPE, ...COVERAGE_DETAIL_TYPE_LIST] },
          {
            'detail-type': ['GuardDuty Finding'],
            detail: { type: ['Recon:EC2/PortProbeUnprotectedPort'], service: { additionalInfo: { sample: [true] } } },
          },
        ],
      });
    }
  });

  it('leave the canary branch out when the canary is off', () => {
    const config = makeConfig({ guard: { canary: { enabled: false } } });

    const app = synthApp(config);

    expect((patternIn(app, regionStackName('us-east-1')) as { $or: unknown[] }).$or).toHaveLength(2);
  });
});
