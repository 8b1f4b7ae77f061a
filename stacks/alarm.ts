import type { Construct } from 'constructs';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic/index.js';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription/index.js';
import type { HubConfig } from '../shared/index.ts';
import { alarmTopicName } from '../shared/names.ts';

/** One metric alarm that fires when a statistic goes above a threshold. */
export interface ThresholdAlarmProps {
  /** Alarm name (prefix it with `hub.name-`, see `alarmNamePrefix`). */
  readonly name: string;
  /** What the alarm means and what to do, shown in the notification. */
  readonly description: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** `Sum` for counts, `Maximum` for gauges. */
  readonly statistic: 'Sum' | 'Maximum' | 'Average';
  /** Fires when the statistic is greater than this. */
  readonly threshold: number;
  /** Length of one evaluation period, in seconds. Default 300. */
  readonly periodSeconds?: number;
  /** SNS topic notified on ALARM and on OK. */
  readonly topicArn: string;
  /** `breaching` for a metric that must keep coming (its absence is the fault). Default `notBreaching`. */
  readonly treatMissingData?: 'breaching' | 'notBreaching';
}

/**
 * A `GreaterThanThreshold` alarm over one period that notifies a topic both ways. A missing metric
 * (nothing happened) is not a breach, unless `treatMissingData` says so.
 */
export function thresholdAlarm(scope: Construct, id: string, props: ThresholdAlarmProps): CloudwatchMetricAlarm {
  return new CloudwatchMetricAlarm(scope, id, {
    alarmName: props.name,
    alarmDescription: props.description,
    namespace: props.namespace,
    metricName: props.metricName,
    dimensions: { ...props.dimensions },
    statistic: props.statistic,
    period: props.periodSeconds ?? 300,
    evaluationPeriods: 1,
    comparisonOperator: 'GreaterThanThreshold',
    threshold: props.threshold,
    treatMissingData: props.treatMissingData ?? 'notBreaching',
    alarmActions: [props.topicArn],
    okActions: [props.topicArn],
  });
}

/** Props of {@link queueNotEmptyAlarm}. */
export interface QueueNotEmptyAlarmProps {
  /** Alarm name (prefix it with `hub.name-`, see `alarmNamePrefix`). */
  readonly name: string;
  /** What the alarm means and what to do. */
  readonly description: string;
  /** The SQS queue watched (in the alarm's own region). */
  readonly queueName: string;
  /** SNS topic notified on ALARM and on OK (in the alarm's own region). */
  readonly topicArn: string;
}

/**
 * Fires as soon as a queue holds a visible message (`ApproximateNumberOfMessagesVisible` maximum > 0
 * over 5 minutes): every dead-letter queue has one.
 */
export function queueNotEmptyAlarm(
  scope: Construct,
  id: string,
  props: QueueNotEmptyAlarmProps,
): CloudwatchMetricAlarm {
  return thresholdAlarm(scope, id, {
    name: props.name,
    description: props.description,
    namespace: 'AWS/SQS',
    metricName: 'ApproximateNumberOfMessagesVisible',
    dimensions: { QueueName: props.queueName },
    statistic: 'Maximum',
    threshold: 0,
    topicArn: props.topicArn,
  });
}

/**
 * The `<name>-alarms` topic in the provider's region, with the optional email subscription. Every
 * region needs its own: a CloudWatch alarm can only notify a topic in its own region.
 */
export function alarmTopic(scope: Construct, id: string, config: Pick<HubConfig, 'hub' | 'alarms'>): SnsTopic {
  const topic = new SnsTopic(scope, id, { name: alarmTopicName(config) });
  if (config.alarms.email !== undefined) {
    new SnsTopicSubscription(scope, `${id}Email`, {
      topicArn: topic.arn,
      protocol: 'email',
      endpoint: config.alarms.email,
    });
  }
  return topic;
}
