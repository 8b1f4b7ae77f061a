import { PutMetricAlarmCommand, PutMetricDataCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { describe, expect, inject, it } from 'vitest';
import type { StatusReport } from '../../cli/commands/status/index.ts';
import { baseRawConfig, deepMerge, makeFindingEvent } from '../factories/index.ts';
import { receiveMessages, sendMessages } from '../support/cli-hub.ts';
import { runCli, writeConfigFile } from '../support/cli-run.ts';
import { arrangeWorld, member, type World } from '../support/cli-world.ts';

// `status` against moto: SQS queues and attributes, CloudWatch metrics and alarms, and GuardDuty
// detectors are moto's. GuardDuty ListMembers (moto lacks it) and Lambda ListEventSourceMappings
// (needs an IAM role and Docker in moto) are answered locally by test/support/cli-world.ts.

const endpoint = inject('motoEndpoint');
const NOW = () => new Date();

const status = (world: World, ...flags: string[]) =>
  runCli(['status', '--config', world.configPath, ...flags], { clients: world.clients, now: NOW });
const finding = () => JSON.stringify(makeFindingEvent());

describe('status', () => {
  it('exits 0 with an empty attention list when queues are empty, the mapping matches and every member is Enabled', async () => {
    const world = await arrangeWorld(endpoint);

    const run = await status(world, '--json');

    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const report = run.json<StatusReport>();
    expect(report.attention).toEqual([]);
    expect(report.queue).toMatchObject({
      name: 'guardduty-hub-findings',
      visible: 0,
      inFlight: 0,
      delayed: 0,
      oldestMessageAgeSeconds: null,
    });
    expect(report.dlq).toMatchObject({ name: 'guardduty-hub-findings-dlq', visible: 0 });
    expect(report.regions.map((r) => r.region)).toEqual(['us-east-1', 'us-west-1', 'us-west-2', 'eu-north-1']);
    expect(report.regions.find((r) => r.region === 'us-west-1')?.members).toEqual([
      expect.objectContaining({ accountId: '222222222222', name: 'member1', status: 'Enabled', ok: true }),
      expect.objectContaining({ accountId: '333333333333', name: 'member2', status: 'Enabled', ok: true }),
    ]);
  });

  it('exits 0 when all is well even if the process already holds an exit code (main returns its own)', async () => {
    // Arrange: an in-process caller (a test, a script) that set process.exitCode before
    const world = await arrangeWorld(endpoint);
    const before = process.exitCode;
    process.exitCode = 1;

    // Act
    const run = await status(world, '--json').finally(() => {
      process.exitCode = before;
    });

    // Assert
    expect(run.exitCode).toBe(0);
  });

  it('counts visible, in-flight and delayed messages, and exits 1 naming the DLQ when it holds messages', async () => {
    const world = await arrangeWorld(endpoint);
    const sqs = world.aws().sqs;
    await sendMessages(sqs, world.queues.hubUrl, [finding(), finding(), finding()]);
    await receiveMessages(sqs, world.queues.hubUrl, 1);
    await sendMessages(sqs, world.queues.hubUrl, [finding()], { delaySeconds: 600 });
    await sendMessages(sqs, world.queues.dlqUrl, [finding(), 'not json']);

    const run = await status(world);

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/hub queue\s+guardduty-hub-findings\s+2\s+1\s+1\s+n\/a/);
    expect(run.stdout).toMatch(/DLQ\s+guardduty-hub-findings-dlq\s+2\s+0\s+0/);
    expect(run.stdout).toContain('Needs attention:\n  - DLQ guardduty-hub-findings-dlq holds 2 messages');
    expect(run.stderr).toBe('guardduty-hub: 1 item needs attention (see the list above)\n');
  });

  it('shows every DLQ with its depth, each read in its own region, and exits 1 naming each one that holds messages', async () => {
    // Arrange: one event in the hub rule's DLQ, two in the eu-north-1 forwarder's, the hub DLQ empty
    const world = await arrangeWorld(endpoint);
    await sendMessages(world.aws().sqs, world.targetDlqUrls['hub-rule']!, [finding()]);
    await sendMessages(world.aws('eu-north-1').sqs, world.targetDlqUrls['forwarder-eu-north-1']!, [
      finding(),
      finding(),
    ]);

    // Act
    const json = await status(world, '--json');
    const text = await status(world);

    // Assert
    expect(json.exitCode).toBe(1);
    const report = json.json<StatusReport>();
    expect(
      report.deadLetterQueues.map((d) => [
        d.id,
        d.kind,
        d.region,
        (d.queue as { name: string; visible: number }).name,
        (d.queue as { visible: number }).visible,
      ]),
    ).toEqual([
      ['hub', 'hub-queue', 'us-west-2', 'guardduty-hub-findings-dlq', 0],
      ['hub-rule', 'hub-rule', 'us-west-2', 'guardduty-hub-to-queue-dlq', 1],
      ['forwarder-us-east-1', 'forwarder', 'us-east-1', 'guardduty-hub-forward-dlq', 0],
      ['forwarder-us-west-1', 'forwarder', 'us-west-1', 'guardduty-hub-forward-dlq', 0],
      ['forwarder-us-west-2', 'forwarder', 'us-west-2', 'guardduty-hub-forward-dlq', 0],
      ['forwarder-eu-north-1', 'forwarder', 'eu-north-1', 'guardduty-hub-forward-dlq', 2],
    ]);
    expect(report.attention).toEqual([
      'hub rule DLQ guardduty-hub-to-queue-dlq holds 1 message: inspect with `dlq peek --queue hub-rule`, send on with `dlq redrive --queue hub-rule`',
      'forwarder DLQ (eu-north-1) guardduty-hub-forward-dlq holds 2 messages: inspect with `dlq peek --queue forwarder-eu-north-1`, send on with `dlq redrive --queue forwarder-eu-north-1`',
    ]);
    expect(text.exitCode).toBe(1);
    expect(text.stdout).toMatch(/hub rule DLQ\s+guardduty-hub-to-queue-dlq\s+1\s+0\s+0/);
    expect(text.stdout).toMatch(/forwarder DLQ \(eu-north-1\)\s+guardduty-hub-forward-dlq\s+2\s+0\s+0/);
    expect(text.stdout).toMatch(/forwarder DLQ \(us-east-1\)\s+guardduty-hub-forward-dlq\s+0\s+0\s+0/);
  });

  it('says which stack to deploy when a target DLQ does not exist, and still reads the others', async () => {
    const world = await arrangeWorld(endpoint, { withoutTargetDlqs: true });

    const run = await status(world, '--json');

    expect(run.exitCode).toBe(1);
    const report = run.json<StatusReport>();
    expect(report.dlq).toMatchObject({ name: 'guardduty-hub-findings-dlq', visible: 0 });
    expect(report.attention).toContain(
      `forwarder DLQ (us-east-1) guardduty-hub-forward-dlq not found in us-east-1 account ${world.accountId}: has the region-us-east-1 stack been deployed (cdktf deploy region-us-east-1)?`,
    );
    expect(report.attention).toContain(
      `hub rule DLQ guardduty-hub-to-queue-dlq not found in us-west-2 account ${world.accountId}: has the hub stack been deployed (cdktf deploy hub)?`,
    );
    expect(report.attention).toHaveLength(5);
  });

  it('reads the oldest message age as the maximum over the last 5 minutes', async () => {
    const world = await arrangeWorld(endpoint);
    const now = Date.now();
    const point = (minutesAgo: number, value: number) => ({
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: 'guardduty-hub-findings' }],
      Timestamp: new Date(now - minutesAgo * 60_000),
      Value: value,
    });
    await world
      .aws()
      .cloudwatch.send(
        new PutMetricDataCommand({ Namespace: 'AWS/SQS', MetricData: [point(1, 120), point(4, 310), point(20, 9000)] }),
      );

    const run = await status(world, '--json');

    expect(run.json<StatusReport>().queue.oldestMessageAgeSeconds).toBe(310);
  });

  it('lists each destination type with its destinations and the findings they took in the last 24 hours', async () => {
    // Arrange: a webhook, a pager and a Teams channel; the consumer's per-type metric as it emits it
    // (namespace GuardDutyHub, dimension service), one datapoint older than the day
    const world = await arrangeWorld(endpoint, {
      config: {
        defaults: { destination: 'security', destinations: ['security', 'oncall'] },
        destinations: {
          oncall: { type: 'pagerduty', routingKeySecret: 'guardduty-hub/pagerduty/oncall', minSeverity: 'critical' },
          secops: { type: 'teams', workflowUrlSecret: 'guardduty-hub/teams/secops' },
        },
      },
    });
    const now = Date.now();
    const point = (type: string, hoursAgo: number, value: number) => ({
      MetricName: `FindingsDelivered_${type}`,
      Dimensions: [{ Name: 'service', Value: 'guardduty-hub' }],
      Timestamp: new Date(now - hoursAgo * 3_600_000),
      Value: value,
    });
    await world.aws().cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: 'GuardDutyHub',
        MetricData: [
          point('slack-webhook', 1, 40),
          point('slack-webhook', 5, 2),
          point('pagerduty', 2, 3),
          point('pagerduty', 30, 50),
        ],
      }),
    );

    const json = await status(world, '--json');
    const text = await status(world);

    expect(json.json<StatusReport>().destinations).toEqual([
      { type: 'slack-webhook', destinations: ['security', 'team-a'], deliveredLast24h: 42 },
      { type: 'pagerduty', destinations: ['oncall'], deliveredLast24h: 3 },
      { type: 'teams', destinations: ['secops'], deliveredLast24h: 0 },
    ]);
    expect(text.stdout).toMatch(/Destinations\n\s+type\s+destinations\s+findings delivered \(24 h\)/);
    expect(text.stdout).toMatch(/pagerduty\s+oncall\s+3\n/);
  });

  it('lists an alarm in ALARM, a member not Enabled, a missing expected member, a mapping that differs and a missing detector', async () => {
    const world = await arrangeWorld(endpoint, {
      detectorRegions: ['us-east-1', 'us-west-1', 'us-west-2'],
      members: {
        'us-west-1': [member('222222222222', 'Invited'), member('444444444444', 'Enabled')],
      },
      mapping: { BatchSize: 10, ScalingConfig: undefined },
    });
    const cloudwatch = world.aws().cloudwatch;
    for (const name of ['guardduty-hub-dlq-not-empty', 'guardduty-hub-oldest-message', 'other-alarm']) {
      await cloudwatch.send(
        new PutMetricAlarmCommand({
          AlarmName: name,
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Statistic: 'Maximum',
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
        }),
      );
    }
    await cloudwatch.send(
      new SetAlarmStateCommand({
        AlarmName: 'guardduty-hub-dlq-not-empty',
        StateValue: 'ALARM',
        StateReason: 'threshold crossed',
      }),
    );
    await cloudwatch.send(
      new SetAlarmStateCommand({ AlarmName: 'guardduty-hub-oldest-message', StateValue: 'OK', StateReason: 'fine' }),
    );
    await cloudwatch.send(
      new SetAlarmStateCommand({ AlarmName: 'other-alarm', StateValue: 'ALARM', StateReason: 'not ours' }),
    );

    const run = await status(world, '--json');

    expect(run.exitCode).toBe(1);
    const report = run.json<StatusReport>();
    expect(report.attention).toEqual([
      'alarm guardduty-hub-dlq-not-empty is in ALARM',
      'event source mapping batch size is 10, config says 100',
      'event source mapping maximum concurrency is unset, config says 2',
      'us-west-1: member 222222222222 (member1) is Invited, expected Enabled',
      'us-west-1: member 333333333333 (member2) is not a member, expected Enabled',
      'eu-north-1: no GuardDuty detector (has the region-eu-north-1 stack been deployed?)',
    ]);
    expect(report.alarms).toEqual([
      expect.objectContaining({ name: 'guardduty-hub-dlq-not-empty', state: 'ALARM' }),
      expect.objectContaining({ name: 'guardduty-hub-oldest-message', state: 'OK' }),
    ]);
    expect(run.stderr).toBe('guardduty-hub: 6 items need attention (see attention in the JSON report)\n');
  });

  it('shows members the config does not list without counting them as problems', async () => {
    const world = await arrangeWorld(endpoint, {
      members: { 'us-west-2': [member('444444444444', 'Resigned'), member('333333333333', 'Enabled')] },
    });

    const run = await status(world);

    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/us-west-2 +\w+ +n\/a +444444444444 +Resigned +not in config/);
    expect(run.stdout).toContain('Nothing needs attention.');
  });

  it('reports a missing event source mapping', async () => {
    const world = await arrangeWorld(endpoint, { mapping: null });

    const run = await status(world, '--json');

    expect(run.json<StatusReport>().attention).toEqual([
      `no event source mapping from ${world.queues.hubArn} to guardduty-hub-consumer`,
    ]);
  });

  it('keeps reporting when one region refuses: that row says the error, the others are read, exit 1', async () => {
    const world = await arrangeWorld(endpoint, { refusingRegions: { 'us-west-1': 'AccessDeniedException' } });

    const run = await status(world);

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(
      /us-west-1 +error +ListDetectors failed: AccessDeniedException: User is not authorized to perform guardduty:ListDetectors in us-west-1/,
    );
    expect(run.stdout).toMatch(/us-east-1 +\w{32} +member2 +333333333333 +Enabled +ok/);
    expect(run.stdout).toContain('  - us-west-1: ListDetectors failed: AccessDeniedException');
  });

  it('exits 2 with a deploy hint when the hub queue does not exist', async () => {
    const world = await arrangeWorld(endpoint, { withoutQueues: true });

    const run = await status(world);

    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `guardduty-hub: hub queue guardduty-hub-findings not found in us-west-2 account ${world.accountId}: has the hub stack been deployed (cdktf deploy hub)?\n`,
    );
  });

  it('exits 2 naming the key when the config is invalid, before calling AWS', async () => {
    const configPath = writeConfigFile(deepMerge(baseRawConfig(), { delivery: { batchSize: 0 } }));

    const run = await runCli(['status', '--config', configPath]);

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(
      `guardduty-hub: Invalid config ${configPath} (1 problem):\n  - delivery.batchSize: must be a whole number from 1 to 10000\n`,
    );
  });
});
