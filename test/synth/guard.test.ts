import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  TAMPER_EVENT_NAMES,
  sourceFilterName,
  forwarderRoleArn,
  hubBusArn,
  regionStackName,
  tamperRuleName,
} from '../../shared/index.ts';
import { SOURCE_SUPPRESS_WARNING, formatCanary, formatSuppressPlacement } from '../../stacks/index.ts';
import { makeConfig } from '../factories/config.ts';
import { synthApp, type ResourceBody, type SynthesizedApp } from '../support/synth.ts';
import { terraformValidate } from '../support/terraform-validate.ts';

/** The GuardDuty API model botocore ships (in the moto venv): the independent list of operation names and filter limits. */
function guardDutyModel(): { operations: Record<string, unknown>; shapes: Record<string, Record<string, unknown>> } {
  const lib = '.cache/moto-venv/lib';
  const python = readdirSync(lib).find((name) => name.startsWith('python3'));
  const models = python === undefined ? undefined : join(lib, python, 'site-packages/botocore/data/guardduty');
  const version = models === undefined ? undefined : readdirSync(models).sort().at(-1);
  const file = models === undefined || version === undefined ? undefined : join(models, version, 'service-2.json.gz');
  if (file === undefined)
    throw new Error('no GuardDuty model under .cache/moto-venv (run the moto setup: test/support/moto.sh)');
  return JSON.parse(gunzipSync(readFileSync(file)).toString('utf8'));
}

const tamperRuleOf = (app: SynthesizedApp, region: string): [ResourceBody, ResourceBody] => {
  const stack = regionStackName(region);
  const rules = app.resources(stack, 'aws_cloudwatch_event_rule').filter(([id]) => id.startsWith('Tamper_'));
  const targets = app.resources(stack, 'aws_cloudwatch_event_target').filter(([id]) => id.startsWith('Tamper_'));
  expect(rules).toHaveLength(1);
  expect(targets).toHaveLength(1);
  return [rules[0]![1], targets[0]![1]];
};

/** A region's filters, by rank. */
const filtersIn = (app: SynthesizedApp, region: string) =>
  app
    .resources(regionStackName(region), 'aws_guardduty_filter')
    .map(([, body]) => body)
    .sort((a, b) => Number(a.rank) - Number(b.rank));

describe('tamper rules', () => {
  it('watch the exact GuardDuty API calls on every region’s default bus, and each is an operation of the GuardDuty API model', () => {
    const config = makeConfig();
    const operations = Object.keys(guardDutyModel().operations);

    const app = synthApp(config);

    expect(TAMPER_EVENT_NAMES.filter((name) => !operations.includes(name))).toEqual([]);
    for (const required of [
      'DeleteDetector',
      'UpdateDetector',
      'CreateFilter',
      'UpdateFilter',
      'DeleteFilter',
      'CreateIPSet',
      'UpdateIPSet',
      'DeleteIPSet',
      'CreateThreatIntelSet',
      'UpdateThreatIntelSet',
      'DeleteThreatIntelSet',
      'CreateTrustedEntitySet',
      'UpdateTrustedEntitySet',
      'DeleteTrustedEntitySet',
      'DisassociateMembers',
      'DeleteMembers',
      'StopMonitoringMembers',
      'DisassociateFromAdministratorAccount',
      'DeletePublishingDestination',
      'UpdateOrganizationConfiguration',
    ]) {
      expect(TAMPER_EVENT_NAMES).toContain(required);
    }
    for (const region of config.regions) {
      const [rule] = tamperRuleOf(app, region);
      expect(rule).toMatchObject({ name: tamperRuleName(config), event_bus_name: 'default' });
      expect(JSON.parse(rule.event_pattern as string)).toEqual({
        source: ['aws.guardduty'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: { eventSource: ['guardduty.amazonaws.com'], eventName: [...TAMPER_EVENT_NAMES] },
      });
    }
  });

  it('forward to the hub bus like findings: forwarder role, a day of retries', () => {
    const config = makeConfig();

    const app = synthApp(config);

    for (const region of config.regions) {
      const [, target] = tamperRuleOf(app, region);
      expect(target).toMatchObject({
        event_bus_name: 'default',
        arn: hubBusArn(config),
        role_arn: forwarderRoleArn(config),
        retry_policy: { maximum_event_age_in_seconds: 86_400, maximum_retry_attempts: 185 },
      });
    }
  });

  it('are left out with guard.tamperAlerts false', () => {
    const app = synthApp(makeConfig({ guard: { tamperAlerts: false } }));

    expect(
      app
        .resources(regionStackName('us-east-1'), 'aws_cloudwatch_event_rule')
        .map(([id]) => id)
        .filter((id) => id.startsWith('Tamper_')),
    ).toEqual([]);
  });
});

describe('suppress rules at the source', () => {
  const suppress = [
    { type: 'Recon:EC2/PortProbeUnprotectedPort', accounts: ['333333333333'], at: 'source' },
    { type: 'Recon:*' },
    { below: 'medium', regions: ['eu-north-1'], at: 'source' },
  ];

  it('become one ARCHIVE filter per rule and region it applies in, with a stable rank and name; hub rules none', () => {
    const config = makeConfig({ suppress });

    const app = synthApp(config);

    for (const region of ['us-east-1', 'us-west-1', 'us-west-2']) {
      expect(filtersIn(app, region)).toEqual([
        expect.objectContaining({
          name: sourceFilterName(config, config.suppress[0]!),
          action: 'ARCHIVE',
          rank: 1,
          detector_id: expect.stringMatching(/^\$\{aws_guardduty_detector\..+\.id\}$/),
          finding_criteria: {
            criterion: [
              { field: 'type', equals: ['Recon:EC2/PortProbeUnprotectedPort'] },
              { field: 'accountId', equals: ['333333333333'] },
            ],
          },
        }),
      ]);
    }
    expect(filtersIn(app, 'eu-north-1').map((f) => [f.rank, f.finding_criteria])).toEqual([
      [
        1,
        {
          criterion: [
            { field: 'type', equals: ['Recon:EC2/PortProbeUnprotectedPort'] },
            { field: 'accountId', equals: ['333333333333'] },
          ],
        },
      ],
      [2, { criterion: [{ field: 'severity', less_than: '4' }] }],
    ]);
  });

  it('keep their filter names when rules are reordered', () => {
    const config = makeConfig({ suppress });
    const reordered = makeConfig({ suppress: [suppress[2], suppress[0]] });

    expect(
      filtersIn(synthApp(reordered), 'eu-north-1')
        .map((f) => f.name)
        .sort(),
    ).toEqual(
      filtersIn(synthApp(config), 'eu-north-1')
        .map((f) => f.name)
        .sort(),
    );
  });

  it('fit the GuardDuty API model’s limits on filter name, rank and description', () => {
    const { shapes } = guardDutyModel();
    const config = makeConfig({ hub: { name: 'a-forty-character-hub-name-for-the-limit' }, suppress });

    const filters = filtersIn(synthApp(config), 'eu-north-1');

    const nameShape = shapes.FilterName as { min: number; max: number };
    const rankShape = shapes.FilterRank as { min: number; max: number };
    const descriptionShape = shapes.FilterDescription as { max: number };
    for (const filter of filters) {
      const name = filter.name as string;
      expect(name.length).toBeGreaterThanOrEqual(nameShape.min);
      expect(name.length).toBeLessThanOrEqual(nameShape.max);
      expect(name).toMatch(/^[A-Za-z0-9._-]+$/); // CreateFilter: period, underscore, dash and alphanumerics
      expect(filter.rank).toBeGreaterThanOrEqual(rankShape.min);
      expect(filter.rank).toBeLessThanOrEqual(rankShape.max);
      expect((filter.description as string).length).toBeLessThanOrEqual(descriptionShape.max);
      expect(filter.description).toMatch(/^[A-Za-z0-9\-.:_{}[\]()/\s]+$/); // CreateFilter's description characters
    }
  });

  it('synthesize filters and tamper rules that terraform validate accepts with hashicorp/aws 5.100.0', () => {
    const config = makeConfig({ suppress });

    const result = terraformValidate('guard-region', synthApp(config).stack(regionStackName('eu-north-1')));

    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.valid).toBe(true);
  }, 60_000);

  it('are listed by synth: which rules went to GuardDuty filters and which stay in the consumer', () => {
    const config = makeConfig({ suppress });

    expect(formatSuppressPlacement(config)).toEqual([
      'suppress: 2 at source (GuardDuty filters, ARCHIVE), 1 at hub (consumer)',
      `  suppress[0] → source: filter ${sourceFilterName(config, config.suppress[0]!)} in us-east-1, us-west-1, us-west-2, eu-north-1`,
      '  suppress[1] → hub: the consumer skips matching findings',
      `  suppress[2] → source: filter ${sourceFilterName(config, config.suppress[2]!)} in eu-north-1`,
      SOURCE_SUPPRESS_WARNING,
    ]);
    expect(SOURCE_SUPPRESS_WARNING).toContain('silence');
    expect(formatSuppressPlacement(makeConfig({ suppress: [{ type: 'Recon:*' }] }))).not.toContain(
      SOURCE_SUPPRESS_WARNING,
    );
  });
});

describe('the canary in synth', () => {
  it('says how often each region’s sample is made, when it is late and which alarms say so; or why it is off', () => {
    expect(formatCanary(makeConfig({ guard: { canary: { everyMinutes: 30 } } }))).toBe(
      'canary: a sample Recon:EC2/PortProbeUnprotectedPort per region every 30 min; late after 60 min (alarms guardduty-hub-canary-late-<region>)',
    );
    expect(formatCanary(makeConfig({ guard: { canary: { enabled: false } } }))).toBe(
      'canary: off (guard.canary.enabled)',
    );
    expect(formatCanary(makeConfig({ guard: { driftCheck: false } }))).toBe(
      'canary: off (it runs in the drift check, and guard.driftCheck is false)',
    );
  });
});
