import { describe, expect, it } from 'vitest';
import { makeConfig } from '../factories/config.ts';
import { reference, synthApp, type ResourceBody } from '../support/synth.ts';
import {
  alarmTopicArn,
  dashboardName,
  deadLetterQueues,
  dlqName,
  forwarderDlqName,
  functionName,
  hubBusName,
  hubQueueName,
  hubRuleDlqName,
  hubRuleName,
  regionStackName,
} from '../../shared/index.ts';

const HUB = 'hub';

const alarmsOf = (bodies: [string, ResourceBody][]): Map<string, ResourceBody> =>
  new Map(bodies.map(([, body]) => [body.alarm_name as string, body]));

describe('hub alarms', () => {
  it('alarms on the DLQ, the queue age and depth, consumer errors and throttles, and the consumer metrics', () => {
    // Arrange
    const config = makeConfig({
      alarms: { oldestMessageAgeSeconds: 1200, queueDepth: 500 },
      guard: { canary: { enabled: false } },
    });

    // Act
    const app = synthApp(config);

    // Assert
    const alarms = alarmsOf(app.resources(HUB, 'aws_cloudwatch_metric_alarm'));
    const queue = { QueueName: hubQueueName(config) };
    const fn = { FunctionName: functionName(config) };
    const service = { service: 'guardduty-hub' };
    const expected: Record<string, Partial<ResourceBody>> = {
      'guardduty-hub-dlq-not-empty': {
        namespace: 'AWS/SQS',
        metric_name: 'ApproximateNumberOfMessagesVisible',
        dimensions: { QueueName: dlqName(config) },
        threshold: 0,
      },
      'guardduty-hub-queue-oldest-message': {
        namespace: 'AWS/SQS',
        metric_name: 'ApproximateAgeOfOldestMessage',
        dimensions: queue,
        threshold: 1200,
      },
      'guardduty-hub-queue-depth': {
        namespace: 'AWS/SQS',
        metric_name: 'ApproximateNumberOfMessagesVisible',
        dimensions: queue,
        threshold: 500,
      },
      'guardduty-hub-consumer-errors': { namespace: 'AWS/Lambda', metric_name: 'Errors', dimensions: fn, threshold: 0 },
      'guardduty-hub-consumer-throttles': {
        namespace: 'AWS/Lambda',
        metric_name: 'Throttles',
        dimensions: fn,
        threshold: 0,
      },
      'guardduty-hub-slack-throttled': {
        namespace: 'GuardDutyHub',
        metric_name: 'SlackThrottled',
        dimensions: service,
        threshold: 0,
        statistic: 'Sum',
        period: 300,
      },
      'guardduty-hub-failed-records': {
        namespace: 'GuardDutyHub',
        metric_name: 'FailedRecords',
        dimensions: service,
        threshold: 0,
        statistic: 'Sum',
        period: 300,
      },
      'guardduty-hub-repeat-store-errors': {
        namespace: 'GuardDutyHub',
        metric_name: 'RepeatStoreErrors',
        dimensions: service,
        threshold: 0,
        statistic: 'Sum',
        period: 300,
      },
      'guardduty-hub-webhook-refused': {
        namespace: 'GuardDutyHub',
        metric_name: 'WebhookRefused',
        dimensions: service,
        threshold: 0,
        statistic: 'Sum',
        period: 300,
      },
      'guardduty-hub-dead-lettered': {
        namespace: 'GuardDutyHub',
        metric_name: 'DeadLettered',
        dimensions: service,
        threshold: 0,
        statistic: 'Sum',
        period: 300,
      },
      'guardduty-hub-hub-rule-dlq-not-empty': {
        namespace: 'AWS/SQS',
        metric_name: 'ApproximateNumberOfMessagesVisible',
        dimensions: { QueueName: hubRuleDlqName(config) },
        threshold: 0,
      },
      'guardduty-hub-hub-rule-dlq-send-failed': {
        namespace: 'AWS/Events',
        metric_name: 'InvocationsFailedToBeSentToDlq',
        dimensions: { EventBusName: hubBusName(config), RuleName: hubRuleName(config) },
        threshold: 0,
        statistic: 'Sum',
      },
    };
    expect([...alarms.keys()].sort()).toEqual(Object.keys(expected).sort());
    for (const [name, properties] of Object.entries(expected)) {
      expect(alarms.get(name), name).toMatchObject({ ...properties, comparison_operator: 'GreaterThanThreshold' });
    }
    expect(alarms.get('guardduty-hub-dlq-not-empty')?.treat_missing_data).toBe('notBreaching');
  });

  it('alarms on each region’s canary age over its budget, and when the age stops coming', () => {
    // every 30 min + ONE_HOUR publishing + 10 min margin = 100 min; two 10-minute drift checks per period
    const config = makeConfig({
      guard: { driftCheckMinutes: 10, canary: { everyMinutes: 30, marginMinutes: 10 } },
      guardduty: { findingPublishingFrequency: 'ONE_HOUR' },
    });

    const alarms = alarmsOf(synthApp(config).resources(HUB, 'aws_cloudwatch_metric_alarm'));

    for (const region of config.regions) {
      expect(alarms.get(`guardduty-hub-canary-late-${region}`), region).toMatchObject({
        namespace: 'GuardDutyHub',
        metric_name: 'CanaryAgeSeconds',
        dimensions: { Region: region },
        statistic: 'Maximum',
        threshold: 6000,
        period: 1200,
        treat_missing_data: 'breaching',
        comparison_operator: 'GreaterThanThreshold',
      });
    }
  });

  it('notifies the alarm topic on ALARM and on OK', () => {
    const config = makeConfig();

    const app = synthApp(config);

    const topic = reference(app, HUB, 'aws_sns_topic', 'arn');
    for (const [, alarm] of app.resources(HUB, 'aws_cloudwatch_metric_alarm')) {
      expect(alarm.alarm_actions, alarm.alarm_name as string).toEqual([topic]);
      expect(alarm.ok_actions, alarm.alarm_name as string).toEqual([topic]);
    }
  });

  it('subscribes alarms.email to the topic, and nobody when it is absent', () => {
    const withEmail = synthApp(makeConfig({ alarms: { email: 'oncall@example.com' } }));
    const withoutEmail = synthApp(makeConfig({ alarms: { email: undefined } }));

    expect(withEmail.only(HUB, 'aws_sns_topic_subscription')).toEqual({
      topic_arn: reference(withEmail, HUB, 'aws_sns_topic', 'arn'),
      protocol: 'email',
      endpoint: 'oncall@example.com',
    });
    for (const name of withoutEmail.names)
      expect(withoutEmail.resources(name, 'aws_sns_topic_subscription')).toEqual([]);
  });
});

describe('dashboard', () => {
  it('charts the queues, the consumer and the GuardDutyHub metrics', () => {
    const config = makeConfig();

    const app = synthApp(config);

    const dashboard = app.only(HUB, 'aws_cloudwatch_dashboard');
    expect(dashboard.dashboard_name).toBe(dashboardName(config));
    const body = JSON.parse(dashboard.dashboard_body as string) as {
      widgets: { properties: { metrics: string[][] } }[];
    };
    const charted = body.widgets.flatMap((widget) =>
      widget.properties.metrics.map((metric) => `${metric[0]}/${metric[1]}`),
    );
    expect(new Set(charted)).toEqual(
      new Set([
        'AWS/SQS/ApproximateNumberOfMessagesVisible',
        'AWS/SQS/ApproximateNumberOfMessagesNotVisible',
        'AWS/SQS/ApproximateAgeOfOldestMessage',
        'AWS/Lambda/Invocations',
        'AWS/Lambda/Errors',
        'AWS/Lambda/Throttles',
        'AWS/Lambda/Duration',
        'AWS/Lambda/ConcurrentExecutions',
        'GuardDutyHub/FindingsReceived',
        'GuardDutyHub/FindingsDelivered',
        'GuardDutyHub/FindingsSkipped',
        'GuardDutyHub/SlackThrottled',
        'GuardDutyHub/SlackMessages',
        'GuardDutyHub/SlackWebApiCalls',
        'GuardDutyHub/FailedRecords',
        'GuardDutyHub/InvalidRecords',
        'GuardDutyHub/DeadLettered',
        'GuardDutyHub/WebhookRefused',
        'GuardDutyHub/FindingsSkipped_repeat',
        'GuardDutyHub/RepeatsDeferred',
        'GuardDutyHub/RepeatStoreErrors',
      ]),
    );
  });

  it('charts the depth of every DLQ, each forwarder DLQ read in its own region', () => {
    const config = makeConfig();

    const app = synthApp(config);

    const body = JSON.parse(app.only(HUB, 'aws_cloudwatch_dashboard').dashboard_body as string) as {
      widgets: { properties: { title: string; metrics: unknown[][] } }[];
    };
    const widget = body.widgets.find((w) => w.properties.title.startsWith('DLQ depth'));
    expect(widget?.properties.metrics).toEqual(
      deadLetterQueues(config).map((dlq) => [
        'AWS/SQS',
        'ApproximateNumberOfMessagesVisible',
        'QueueName',
        dlq.name,
        { label: dlq.id, region: dlq.region },
      ]),
    );
    expect(widget?.properties.metrics.map((m) => (m[4] as { region: string }).region)).toEqual([
      'us-west-2',
      'us-west-2',
      ...config.regions,
    ]);
  });
});

describe('forwarder alarms', () => {
  it('alarms on failed forwards, on the forwarder DLQ holding events and on events lost before it, in every region, to a topic in that region', () => {
    const config = makeConfig();

    const app = synthApp(config);

    for (const region of config.regions) {
      const stack = regionStackName(region);
      const alarms = alarmsOf(app.resources(stack, 'aws_cloudwatch_metric_alarm'));
      const rule = { RuleName: 'guardduty-hub-forward' };
      const expected: Record<string, Partial<ResourceBody>> = {
        [`guardduty-hub-forward-failed-${region}`]: {
          namespace: 'AWS/Events',
          metric_name: 'FailedInvocations',
          dimensions: rule,
        },
        [`guardduty-hub-forward-dlq-send-failed-${region}`]: {
          namespace: 'AWS/Events',
          metric_name: 'InvocationsFailedToBeSentToDlq',
          dimensions: rule,
        },
        [`guardduty-hub-forward-dlq-not-empty-${region}`]: {
          namespace: 'AWS/SQS',
          metric_name: 'ApproximateNumberOfMessagesVisible',
          dimensions: { QueueName: forwarderDlqName(config) },
          statistic: 'Maximum',
        },
      };
      expect([...alarms.keys()].sort(), region).toEqual(Object.keys(expected).sort());
      const topic =
        region === config.hub.region ? alarmTopicArn(config) : reference(app, stack, 'aws_sns_topic', 'arn');
      for (const [name, properties] of Object.entries(expected)) {
        expect(alarms.get(name), name).toMatchObject({
          ...properties,
          comparison_operator: 'GreaterThanThreshold',
          threshold: 0,
        });
        expect(alarms.get(name)?.alarm_actions, name).toEqual([topic]);
      }
    }
  });

  it('uses the hub topic in the hub region, and a same-named topic with the same subscription elsewhere', () => {
    const config = makeConfig();

    const app = synthApp(config);

    expect(app.resources(regionStackName(config.hub.region), 'aws_sns_topic')).toEqual([]);
    expect(alarmTopicArn(config)).toBe('arn:aws:sns:us-west-2:111111111111:guardduty-hub-alarms');
    const other = regionStackName('eu-north-1');
    expect(app.only(other, 'aws_sns_topic').name).toBe('guardduty-hub-alarms');
    expect(app.only(other, 'aws_sns_topic_subscription')).toMatchObject({
      protocol: 'email',
      endpoint: 'secops@example.com',
    });
  });
});
