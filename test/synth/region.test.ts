import { describe, expect, it } from 'vitest';
import { makeConfig } from '../factories/config.ts';
import { reference, synthApp, type SynthesizedApp } from '../support/synth.ts';
import {
  forwarderRoleArn,
  hubBusArn,
  hubBusName,
  forwarderRoleName,
  forwarderRuleName,
  regionStackName,
} from '../../shared/index.ts';

/** The forwarder's rule or target in a region stack (the tamper rule sits beside it). */
const forwarderOf = (
  app: SynthesizedApp,
  stack: string,
  type: 'aws_cloudwatch_event_rule' | 'aws_cloudwatch_event_target',
) => {
  const found = app.resources(stack, type).filter(([id]) => id.startsWith('Forwarder_'));
  if (found.length !== 1) throw new Error(`expected one forwarder ${type} in ${stack}, found ${found.length}`);
  return found[0]![1];
};

/** The forwarder pattern's finding branch (`$or[0]`; `$or[1]` passes scan results, see patterns.test.ts). */
const patternOf = (app: SynthesizedApp, region: string) =>
  (
    JSON.parse(forwarderOf(app, regionStackName(region), 'aws_cloudwatch_event_rule').event_pattern as string) as {
      $or: [{ 'detail-type': string[]; detail: { severity: [{ numeric: ['>=', number] }] } }];
    }
  ).$or[0];

const membersIn = (app: SynthesizedApp, region: string): string[] =>
  app.resources(regionStackName(region), 'aws_guardduty_member').map(([, body]) => body.account_id as string);

describe('stacks', () => {
  it('builds hub and one region stack per configured region, and no org stack in invitation mode', () => {
    const config = makeConfig({
      regions: ['us-west-2', 'eu-west-1'],
      accounts: { '222222222222': { regions: ['eu-west-1'] } },
    });

    const app = synthApp(config);

    expect(app.names).toEqual(['hub', 'region-us-west-2', 'region-eu-west-1']);
  });
});

describe('forwarder rule', () => {
  it('lets through findings from the lowest threshold when an account is below the defaults', () => {
    // Arrange: defaults medium (4), 222222222222 low (1), 333333333333 high (7)
    const config = makeConfig();

    // Act
    const app = synthApp(config);

    // Assert
    for (const region of config.regions) {
      expect(patternOf(app, region)).toEqual({
        'detail-type': ['GuardDuty Finding'],
        detail: { severity: [{ numeric: ['>=', 1] }] },
      });
    }
  });

  it('lets through findings from the defaults when they are the lowest threshold', () => {
    const config = makeConfig({
      defaults: { minSeverity: 5.5 },
      accounts: { '222222222222': { minSeverity: 'high' }, '333333333333': { minSeverity: 'critical' } },
    });

    const app = synthApp(config);

    expect(patternOf(app, 'us-east-1').detail.severity).toEqual([{ numeric: ['>=', 5.5] }]);
  });

  it('uses an account threshold that is a number', () => {
    const config = makeConfig({ accounts: { '222222222222': { minSeverity: 2.5 } } });

    const app = synthApp(config);

    expect(patternOf(app, 'eu-north-1').detail.severity).toEqual([{ numeric: ['>=', 2.5] }]);
  });

  it('reads the default bus and puts findings on the hub bus with the forwarder role, retrying for a day', () => {
    const config = makeConfig();

    const app = synthApp(config);

    for (const region of config.regions) {
      const stack = regionStackName(region);
      expect(forwarderOf(app, stack, 'aws_cloudwatch_event_rule').event_bus_name).toBe('default');
      expect(forwarderOf(app, stack, 'aws_cloudwatch_event_target')).toMatchObject({
        rule: reference(app, stack, 'aws_cloudwatch_event_rule', 'name', forwarderRuleName(config)),
        event_bus_name: 'default',
        arn: 'arn:aws:events:us-west-2:111111111111:event-bus/guardduty-hub-hub',
        role_arn: 'arn:aws:iam::111111111111:role/guardduty-hub-forwarder',
        retry_policy: { maximum_event_age_in_seconds: 86_400, maximum_retry_attempts: 185 },
      });
    }
  });

  it('targets the bus and role by the very names the hub stack creates', () => {
    const config = makeConfig({ hub: { name: 'gd-prod' } });

    const app = synthApp(config);

    expect(app.only('hub', 'aws_cloudwatch_event_bus').name).toBe(hubBusName(config));
    expect(app.resources('hub', 'aws_iam_role').map(([, body]) => body.name)).toContain(forwarderRoleName(config));
    expect(hubBusArn(config)).toBe('arn:aws:events:us-west-2:111111111111:event-bus/gd-prod-hub');
    expect(forwarderRoleArn(config)).toBe('arn:aws:iam::111111111111:role/gd-prod-forwarder');
    expect(forwarderOf(app, 'region-us-east-1', 'aws_cloudwatch_event_target')).toMatchObject({
      arn: hubBusArn(config),
      role_arn: forwarderRoleArn(config),
    });
  });

  it('builds the hub ARNs in the hub region partition (GovCloud), with no region in the IAM role ARN', () => {
    const config = makeConfig(
      { hub: { region: 'us-gov-west-1' }, regions: ['us-gov-west-1', 'us-gov-east-1'], accounts: {} },
      { replace: ['accounts'] },
    );

    const app = synthApp(config);

    expect(forwarderOf(app, regionStackName('us-gov-east-1'), 'aws_cloudwatch_event_target')).toMatchObject({
      arn: 'arn:aws-us-gov:events:us-gov-west-1:111111111111:event-bus/guardduty-hub-hub',
      role_arn: 'arn:aws-us-gov:iam::111111111111:role/guardduty-hub-forwarder',
    });
    for (const [, alarm] of app.resources(regionStackName('us-gov-west-1'), 'aws_cloudwatch_metric_alarm')) {
      expect(alarm.alarm_actions).toEqual(['arn:aws-us-gov:sns:us-gov-west-1:111111111111:guardduty-hub-alarms']);
    }
  });
});

describe('GuardDuty members (invitation mode)', () => {
  it('invites an account with regions only in those regions, and one without in every region', () => {
    const config = makeConfig();

    const app = synthApp(config);

    expect(membersIn(app, 'us-east-1')).toEqual(['333333333333']);
    expect(membersIn(app, 'us-west-1')).toEqual(['222222222222', '333333333333']);
    expect(membersIn(app, 'us-west-2')).toEqual(['333333333333']);
    expect(membersIn(app, 'eu-north-1')).toEqual(['333333333333']);
  });

  it('never makes the hub account a member of itself, even when it is listed under accounts', () => {
    const config = makeConfig({ accounts: { '111111111111': { name: 'security-admin', minSeverity: 'low' } } });

    const app = synthApp(config);

    for (const region of config.regions) expect(membersIn(app, region)).not.toContain('111111111111');
  });

  it('sends an email invitation to each member from the region detector', () => {
    const config = makeConfig({ guardduty: { invitationMessage: 'Join the security hub' } });

    const app = synthApp(config);

    const stack = regionStackName('us-east-1');
    expect(app.only(stack, 'aws_guardduty_member')).toEqual({
      account_id: '333333333333',
      detector_id: reference(app, stack, 'aws_guardduty_detector', 'id'),
      email: 'aws+member2@example.com',
      invite: true,
      invitation_message: 'Join the security hub',
      disable_email_notification: false,
    });
  });

  it('enables the detector with the configured publishing frequency', () => {
    const config = makeConfig({ guardduty: { findingPublishingFrequency: 'SIX_HOURS' } });

    const app = synthApp(config);

    for (const region of config.regions) {
      expect(app.only(regionStackName(region), 'aws_guardduty_detector')).toEqual({
        enable: true,
        finding_publishing_frequency: 'SIX_HOURS',
      });
    }
    expect(app.names).not.toContain('org');
  });
});

describe('organization mode', () => {
  const orgConfig = (autoEnable = 'NEW') =>
    makeConfig({ guardduty: { mode: 'organization', managementAccount: '999999999999', autoEnable } });

  it('adds the org stack, designating the hub account as administrator in every region from the management account', () => {
    const config = orgConfig();

    const app = synthApp(config);

    expect(app.names).toContain('org');
    const providers = app.stack('org').provider?.aws ?? [];
    expect(providers.map((provider) => provider.region)).toEqual(config.regions);
    for (const provider of providers) {
      expect(provider).toMatchObject({
        alias: provider.region,
        allowed_account_ids: ['999999999999'],
        default_tags: [{ tags: { app: 'guardduty-hub' } }],
      });
    }
    const admins = app.resources('org', 'aws_guardduty_organization_admin_account').map(([, body]) => body);
    expect(admins.map((admin) => admin.provider).sort()).toEqual(
      config.regions.map((region) => `aws.${region}`).sort(),
    );
    for (const admin of admins) expect(admin.admin_account_id).toBe('111111111111');
  });

  it('auto-enables organization members in each region instead of inviting members', () => {
    const config = orgConfig('ALL');

    const app = synthApp(config);

    for (const region of config.regions) {
      const stack = regionStackName(region);
      expect(app.only(stack, 'aws_guardduty_organization_configuration')).toEqual({
        auto_enable_organization_members: 'ALL',
        detector_id: reference(app, stack, 'aws_guardduty_detector', 'id'),
      });
      expect(app.resources(stack, 'aws_guardduty_member')).toEqual([]);
    }
  });
});
