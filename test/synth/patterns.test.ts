import { describe, expect, it } from 'vitest';
import { SCAN_RESULT_DETAIL_TYPE } from '../../consumer/parse/index.ts';
import { regionStackName } from '../../stacks/index.ts';
import { makeConfig } from '../factories/config.ts';
import { synthApp } from '../support/synth.ts';

// The event patterns that decide which GuardDuty events travel: findings and S3 object scan results.
// (The path from a region's default bus to Slack, applied to moto, is test/integration/scan-result.test.ts.)

const patternIn = (app: ReturnType<typeof synthApp>, stack: string) =>
  JSON.parse(app.only(stack, 'aws_cloudwatch_event_rule').event_pattern as string) as Record<string, unknown>;

describe('GuardDuty event patterns', () => {
  it('let the hub rule pass findings and scan results, by the detail-type the consumer parses', () => {
    // Act
    const pattern = patternIn(synthApp(makeConfig()), 'hub');

    // Assert
    expect(pattern).toEqual({ source: ['aws.guardduty'], 'detail-type': ['GuardDuty Finding', SCAN_RESULT_DETAIL_TYPE] });
    expect(SCAN_RESULT_DETAIL_TYPE).toBe('GuardDuty Malware Protection Object Scan Result');
  });

  it('let every region forwarder pass findings from the lowest threshold and every scan result (which has no severity)', () => {
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
          { 'detail-type': [SCAN_RESULT_DETAIL_TYPE] },
        ],
      });
    }
  });
});
