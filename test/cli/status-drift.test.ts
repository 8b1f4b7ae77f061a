import { PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateCustomDetectionRuleAssociationCommand,
  CreateFilterCommand,
  CreateIPSetCommand,
  CreateThreatIntelSetCommand,
  ListDetectorsCommand,
  UpdateDetectorCommand,
  type GuardDutyClient,
} from '@aws-sdk/client-guardduty';
import { describe, expect, inject, it } from 'vitest';
import type { StatusReport } from '../../cli/commands/status/index.ts';
import {
  SLACK_FILTER_MADE_BY,
  SLACK_FILTER_PREFIX,
  SLACK_FILTER_TAGS,
  sourceFilterName,
  stateTableName,
} from '../../shared/index.ts';
import { runCli } from '../support/cli-run.ts';
import { arrangeWorld, member, type World } from '../support/cli-world.ts';
import { ensureStateTable } from '../integration/repeats-table.ts';
import { dynamoCanaryStore } from '../../core/canary/index.ts';

// Drift in `status` against the local AWS: filters, IP sets, threat intel sets and detector features
// are GuardDuty's as moto and devkit/localaws serve them (localaws adds ListFilters, filter tags and
// the four kinds of list, and Custom Detection Rule associations); alarms are moto's CloudWatch in
// each region; members come from the world's ListMembers.

const endpoint = inject('motoEndpoint');
const TYPE = 'Recon:EC2/PortProbeUnprotectedPort';

const status = (world: World, ...flags: string[]) =>
  runCli(['status', '--config', world.configPath, ...flags], { clients: world.clients });

async function detectorIn(guardduty: GuardDutyClient): Promise<string> {
  const { DetectorIds: [id] = [] } = await guardduty.send(new ListDetectorsCommand({}));
  if (id === undefined) throw new Error('the world has no detector in this region');
  return id;
}

async function createFilter(guardduty: GuardDutyClient, name: string, tags?: Record<string, string>): Promise<void> {
  await guardduty.send(
    new CreateFilterCommand({
      DetectorId: await detectorIn(guardduty),
      Name: name,
      Action: 'ARCHIVE',
      FindingCriteria: { Criterion: { type: { Equals: [TYPE] } } },
      Tags: tags,
    }),
  );
}

describe('status drift', () => {
  it('shows a filter made by hand with attention and the fix, labels a Slack-made one without attention, and a config filter present is not missing', async () => {
    // Arrange: a source rule whose filter the us-west-1 stack made; one filter by hand, one from Slack
    const suppress = [{ type: TYPE, regions: ['us-west-1'], at: 'source' }];
    const world = await arrangeWorld(endpoint, { config: { suppress } });
    const guardduty = world.aws('us-west-1').guardduty;
    const configFilter = sourceFilterName(world.config, { type: TYPE, regions: ['us-west-1'], at: 'source' });
    await createFilter(guardduty, configFilter);
    await createFilter(guardduty, 'hand-made-quiet');
    await createFilter(guardduty, `${SLACK_FILTER_PREFIX}portprobe`, {
      [SLACK_FILTER_TAGS.madeBy]: SLACK_FILTER_MADE_BY,
    });
    const detectorId = await detectorIn(guardduty);

    // Act
    const json = await status(world, '--json');
    const text = await status(world);

    // Assert
    expect(json.exitCode).toBe(1);
    const report = json.json<StatusReport>();
    expect(report.drift.find((r) => r.region === 'us-west-1')?.filters).toEqual({
      missing: [],
      unknown: [
        { name: `${SLACK_FILTER_PREFIX}portprobe`, action: 'ARCHIVE', origin: 'slack' },
        { name: 'hand-made-quiet', action: 'ARCHIVE', origin: 'outside the config' },
      ],
    });
    expect(report.attention).toEqual([
      `us-west-1: filter hand-made-quiet (ARCHIVE) is not in the config and hides findings: move it into suppress: or delete it (aws guardduty delete-filter --region us-west-1 --detector-id ${detectorId} --filter-name hand-made-quiet)`,
    ]);
    expect(text.stdout).toMatch(
      /us-west-1 +filters +not in config: gdh-slack-portprobe \(made from Slack, listed below\), hand-made-quiet \(ARCHIVE\)\n/,
    );
  });

  it('says a filter of a source rule missing in GuardDuty needs the region stack deployed', async () => {
    const world = await arrangeWorld(endpoint, {
      config: { suppress: [{ type: TYPE, regions: ['eu-north-1'], at: 'source' }] },
    });
    const name = sourceFilterName(world.config, { type: TYPE, regions: ['eu-north-1'], at: 'source' });

    const json = await status(world, '--json');
    const text = await status(world);

    expect(json.exitCode).toBe(1);
    const report = json.json<StatusReport>();
    expect(report.drift.find((r) => r.region === 'eu-north-1')?.filters).toEqual({
      missing: [{ name, ruleIndex: 0 }],
      unknown: [],
    });
    expect(report.attention).toEqual([
      `eu-north-1: filter ${name} of suppress[0] is missing in GuardDuty: deploy the region-eu-north-1 stack (cdktf deploy region-eu-north-1)`,
    ]);
    expect(text.stdout).toMatch(new RegExp(`eu-north-1 +filters +missing: ${name} \\(suppress\\[0\\]\\)\\n`));
    expect(text.stdout).toMatch(
      /us-east-1 +ok +features none listed, members 1 Enabled, filters as in the config, lists none, rules none, canary not read \(no state table: deploy the hub stack\), alarms none found\n/,
    );
  });

  it('lists an ACTIVE trusted IP set with attention and how to deactivate it, and a threat intel set without', async () => {
    const world = await arrangeWorld(endpoint);
    const guardduty = world.aws('us-east-1').guardduty;
    const detectorId = await detectorIn(guardduty);
    const { IpSetId: ipSetId } = await guardduty.send(
      new CreateIPSetCommand({
        DetectorId: detectorId,
        Name: 'office',
        Format: 'TXT',
        Location: 's3://lists/office.txt',
        Activate: true,
      }),
    );
    await guardduty.send(
      new CreateThreatIntelSetCommand({
        DetectorId: detectorId,
        Name: 'bad-ips',
        Format: 'STIX',
        Location: 's3://lists/bad.stix',
        Activate: true,
      }),
    );

    const json = await status(world, '--json');
    const text = await status(world);

    expect(json.exitCode).toBe(1);
    const report = json.json<StatusReport>();
    expect(report.drift.find((r) => r.region === 'us-east-1')?.threatLists).toEqual({
      ipSets: [{ id: ipSetId, name: 'office', status: 'ACTIVE', format: 'TXT', location: 's3://lists/office.txt' }],
      trustedEntitySets: [],
      threatIntelSets: [expect.objectContaining({ name: 'bad-ips', status: 'ACTIVE' })],
      threatEntitySets: [],
    });
    expect(report.attention).toEqual([
      `us-east-1: trusted IP set office is ACTIVE and not in the config: GuardDuty makes no findings for what it lists (s3://lists/office.txt); deactivate it (aws guardduty update-ip-set --region us-east-1 --detector-id ${detectorId} --ip-set-id ${ipSetId} --no-activate) or delete it`,
    ]);
    expect(text.stdout).toMatch(/ +lists +trusted IP set office ACTIVE; threat intel set bad-ips ACTIVE\n/);
    expect(text.stdout).toMatch(/us-east-1 +lists +trusted IP set office ACTIVE/);
    expect(text.stdout).toMatch(
      /us-west-1 +ok +features none listed, members 2 Enabled, filters as in the config, lists none, rules none, canary not read \(no state table: deploy the hub stack\), alarms none found\n/,
    );
  });

  it('shows a detector feature that is disabled, without attention', async () => {
    const world = await arrangeWorld(endpoint);
    const guardduty = world.aws('us-west-2').guardduty;
    await guardduty.send(
      new UpdateDetectorCommand({
        DetectorId: await detectorIn(guardduty),
        Features: [
          { Name: 'S3_DATA_EVENTS', Status: 'ENABLED' },
          { Name: 'RDS_LOGIN_EVENTS', Status: 'DISABLED' },
          {
            Name: 'RUNTIME_MONITORING',
            Status: 'ENABLED',
            AdditionalConfiguration: [{ Name: 'EKS_ADDON_MANAGEMENT', Status: 'DISABLED' }],
          },
        ],
      }),
    );

    const json = await status(world, '--json');
    const text = await status(world);

    expect(json.exitCode).toBe(0);
    const detector = json.json<StatusReport>().regions.find((r) => r.region === 'us-west-2')?.detector;
    expect(detector).toMatchObject({
      features: [
        { name: 'S3_DATA_EVENTS', status: 'ENABLED', additional: [] },
        { name: 'RDS_LOGIN_EVENTS', status: 'DISABLED', additional: [] },
        {
          name: 'RUNTIME_MONITORING',
          status: 'ENABLED',
          additional: [{ name: 'EKS_ADDON_MANAGEMENT', status: 'DISABLED' }],
        },
      ],
    });
    expect(text.stdout).toMatch(
      /us-west-2 +features +2 enabled; disabled: RDS_LOGIN_EVENTS, RUNTIME_MONITORING\/EKS_ADDON_MANAGEMENT\n/,
    );
  });

  it('lists a Custom Detection Rule in dry run with attention and how to switch it to live, and a live one without', async () => {
    // Arrange: two rules associated in us-west-2, one live and one in dry run
    const world = await arrangeWorld(endpoint);
    const guardduty = world.aws('us-west-2').guardduty;
    await guardduty.send(
      new CreateCustomDetectionRuleAssociationCommand({ RuleId: 'ami-shared-publicly', Mode: 'LIVE' }),
    );
    const { RuleAssociation: dry } = await guardduty.send(
      new CreateCustomDetectionRuleAssociationCommand({ RuleId: 'flow-logs-deleted', Mode: 'DRY_RUN' }),
    );
    const expiresAt = dry?.ExpiresAt?.toISOString();

    // Act
    const json = await status(world, '--json');
    const text = await status(world);

    // Assert
    expect(json.exitCode).toBe(1);
    const report = json.json<StatusReport>();
    expect(report.drift.find((r) => r.region === 'us-west-2')?.detectionRules).toEqual([
      { ruleId: 'ami-shared-publicly', associationId: expect.any(String), mode: 'LIVE' },
      { ruleId: 'flow-logs-deleted', associationId: dry?.AssociationId, mode: 'DRY_RUN', expiresAt },
    ]);
    expect(expiresAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(report.attention).toEqual([
      `us-west-2: Custom Detection Rule flow-logs-deleted runs in dry run until ${expiresAt}: GuardDuty counts its matches in CloudWatch metrics but makes no findings; switch it to live (aws guardduty update-custom-detection-rule-association --region us-west-2 --rule-id flow-logs-deleted --association-id ${dry?.AssociationId} --mode LIVE) or delete the association`,
    ]);
    expect(text.stdout).toMatch(
      new RegExp(`us-west-2 +rules +1 live; dry run: flow-logs-deleted until ${expiresAt?.slice(0, 10)}\\n`),
    );
    expect(report.drift.find((r) => r.region === 'us-east-1')?.detectionRules).toEqual([]);
  });

  it('shows a member the config expects that was removed, with attention, in the drift block and --json', async () => {
    // Arrange: member1 left us-west-1 (disassociated: Removed); member2 is still Enabled there
    const world = await arrangeWorld(endpoint, {
      members: { 'us-west-1': [member('222222222222', 'Removed'), member('333333333333', 'Enabled')] },
    });

    // Act
    const json = await status(world, '--json');
    const text = await status(world);

    // Assert
    expect(json.exitCode).toBe(1);
    const report = json.json<StatusReport>();
    expect(report.regions.find((r) => r.region === 'us-west-1')?.members).toEqual([
      { accountId: '222222222222', name: 'member1', status: 'Removed', expected: 'Enabled', ok: false },
      { accountId: '333333333333', name: 'member2', status: 'Enabled', expected: 'Enabled', ok: true },
    ]);
    expect(report.attention).toEqual(['us-west-1: member 222222222222 (member1) is Removed, expected Enabled']);
    expect(text.stdout).toMatch(/us-west-1 +members +1 Enabled; not Enabled: 222222222222 \(member1\) Removed\n/);
  });

  it('reads the alarms of every region and names the region of one in ALARM outside the hub region', async () => {
    // Arrange: the eu-north-1 region stack's forwarder alarm, in ALARM, in its own region
    const world = await arrangeWorld(endpoint);
    const cloudwatch = world.aws('eu-north-1').cloudwatch;
    const name = 'guardduty-hub-forward-failed-eu-north-1';
    const description =
      'The forwarder in eu-north-1 could not deliver findings to the hub bus; check the forwarder role and the hub bus';
    await cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: name,
        AlarmDescription: description,
        Namespace: 'AWS/Events',
        MetricName: 'FailedInvocations',
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    );
    await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: 'ALARM', StateReason: 'failed' }));

    const json = await status(world, '--json');
    const text = await status(world);

    expect(json.exitCode).toBe(1);
    const report = json.json<StatusReport>();
    expect(report.drift.find((r) => r.region === 'eu-north-1')?.alarms).toEqual([
      expect.objectContaining({ name, region: 'eu-north-1', state: 'ALARM', description }),
    ]);
    expect(report.alarms).toEqual([]);
    expect(report.attention).toEqual([`eu-north-1: alarm ${name} is in ALARM: ${description}`]);
    expect(text.stdout).toContain(`  eu-north-1  alarms  1; ${name} ALARM\n`);
  });

  it('says in its place when a list API or the rule associations API is refused, reads the others, and needs no attention for it', async () => {
    const refused = () => Promise.reject(Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' }));
    const world = await arrangeWorld(endpoint, {
      emulate: { guardduty: { ListTrustedEntitySets: refused, ListCustomDetectionRuleAssociations: refused } },
    });

    const json = await status(world, '--json');
    const text = await status(world);

    expect(json.exitCode).toBe(0);
    const lists = json.json<StatusReport>().drift.find((r) => r.region === 'us-east-1')?.threatLists;
    expect(lists).toEqual({
      ipSets: [],
      trustedEntitySets: { error: 'ListTrustedEntitySets failed: AccessDeniedException: not allowed' },
      threatIntelSets: [],
      threatEntitySets: [],
    });
    expect(text.stdout).toMatch(
      /us-east-1 +lists +trusted entity sets: ListTrustedEntitySets failed: AccessDeniedException: not allowed\n/,
    );
    const report = json.json<StatusReport>();
    expect(report.drift.find((r) => r.region === 'us-east-1')?.detectionRules).toEqual({
      error: 'ListCustomDetectionRuleAssociations failed: AccessDeniedException: not allowed',
    });
    expect(report.attention).toEqual([]);
    expect(text.stdout).toMatch(
      /\n +rules +ListCustomDetectionRuleAssociations failed: AccessDeniedException: not allowed\n/,
    );
  });

  it('shows each region’s canary from the state table: a late one with attention, one arriving, one never made', async () => {
    const world = await arrangeWorld(endpoint);
    const dynamodb = world.aws(world.config.hub.region).dynamodb;
    await ensureStateTable(dynamodb, stateTableName(world.config));
    const store = dynamoCanaryStore({ client: dynamodb, tableName: stateTableName(world.config) });
    const now = Date.now();
    // budget: 60 min + FIFTEEN_MINUTES + 15 min = 90 min
    await store.update('us-east-1', {
      firstSentAtMs: now - 200 * 60_000,
      seenArrivals: 1,
      seenAtMs: now - 120 * 60_000,
    });
    await store.update('us-west-1', {
      firstSentAtMs: now - 200 * 60_000,
      seenArrivals: 3,
      seenAtMs: now - 10 * 60_000,
    });

    const [text, json] = [await status(world), await status(world, '--json')];

    expect(text.stdout).toMatch(/\n +us-east-1 +canary +late: last arrived 2 h ago \(budget 1 h 30 min\)\n/);
    expect(text.stdout).toMatch(/us-west-1 +ok +.*canary arrived 10 min ago \(budget 1 h 30 min\)/);
    expect(text.stdout).toMatch(/us-west-2 +ok +.*canary none made yet/);
    const report = json.json<StatusReport>();
    expect(report.attention).toContain(
      'us-east-1: the canary is late (last arrived 2 h ago): findings from us-east-1 may not reach the hub; the drift alert names the hop most likely broken',
    );
    const late = report.drift.find((r) => r.region === 'us-east-1')?.canary as { ageSeconds: number };
    expect(late).toMatchObject({ state: 'late', budgetSeconds: 5400, arrivals: 0 });
    expect(late.ageSeconds).toBeGreaterThanOrEqual(7200);
    expect(late.ageSeconds).toBeLessThan(7260);
  });

  it('carries every drift field per region in --json, and a region without a detector reads none of them', async () => {
    const world = await arrangeWorld(endpoint, { detectorRegions: ['us-east-1', 'us-west-1', 'us-west-2'] });

    const run = await status(world, '--json');

    const report = run.json<StatusReport>();
    expect(report.drift.map((r) => r.region)).toEqual(['us-east-1', 'us-west-1', 'us-west-2', 'eu-north-1']);
    const none = { ipSets: [], trustedEntitySets: [], threatIntelSets: [], threatEntitySets: [] };
    for (const region of report.drift) {
      expect(region).toEqual({
        region: region.region,
        filters: { missing: [], unknown: [] },
        threatLists: none,
        detectionRules: [],
        alarms: [],
        canary: { error: expect.stringContaining('ResourceNotFoundException') },
      });
    }
    expect(report.regions.find((r) => r.region === 'us-east-1')?.detector).toMatchObject({ features: [] });
  });
});
