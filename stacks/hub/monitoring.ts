import { Construct } from 'constructs';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard/index.js';
import type { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic/index.js';
import { CANARY_AGE_METRIC, canaryBudgetSeconds, canaryEnabled, type HubConfig } from '../../shared/index.ts';
import { METRICS_NAMESPACE, METRIC_NAMES, SERVICE_NAME } from '../../shared/telemetry.ts';
import { alarmTopic, queueNotEmptyAlarm, thresholdAlarm, type ThresholdAlarmProps } from '../alarm.ts';
import {
  alarmNamePrefix,
  dashboardName,
  deadLetterQueues,
  dlqName,
  functionName,
  hubQueueName,
} from '../../shared/names.ts';

/** Props of {@link Monitoring}. */
export interface MonitoringProps {
  /** `alarms` settings, `hub`, `regions` (the dashboard charts every region's forwarder DLQ), and the canary's settings. */
  readonly config: Pick<HubConfig, 'hub' | 'alarms' | 'regions' | 'guard' | 'guardduty'>;
}

/** The dimension Powertools Metrics adds to every consumer metric. */
const CONSUMER_DIMENSIONS = { service: SERVICE_NAME } as const;

/**
 * Alarms on the consumer's own metrics (`Sum` over 5 minutes above 0), by metric name, with what each
 * means. The alarm is named after the metric (`SlackThrottled` → `<hub.name>-slack-throttled`).
 */
const CONSUMER_METRIC_ALARMS: Readonly<Record<string, string>> = {
  [METRIC_NAMES.slackThrottled]:
    'Slack answered 429 (rate limited); consider lowering delivery.messagesPerSecond or raising digests',
  [METRIC_NAMES.failedRecords]:
    'The consumer returned records to the queue; they retry and end in the DLQ if they keep failing',
  [METRIC_NAMES.repeatStoreErrors]:
    'The consumer could not read or write the finding-state table; repeats are not suppressed until it recovers',
  [METRIC_NAMES.webhookRefused]:
    'A destination secret holds a URL the consumer refuses (not https, not a Slack webhook host): its findings go to the default destination; fix the secret',
  [METRIC_NAMES.deadLettered]:
    'The consumer moved records to the DLQ with their reason; guardduty-hub dlq peek shows why',
};

/**
 * The alarm topic (with the optional email subscription), the hub's alarms and its dashboard.
 * Names come from `names.ts`, so this construct needs no references to the resources it watches.
 */
export class Monitoring extends Construct {
  /** The topic every hub alarm notifies. */
  readonly topic: SnsTopic;
  /** The dashboard. */
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { config } = props;
    this.topic = alarmTopic(this, 'Alarms', config);
    const topicArn = this.topic.arn;

    queueNotEmptyAlarm(this, 'DlqNotEmpty', {
      name: `${alarmNamePrefix(config)}dlq-not-empty`,
      description: `Findings reached the DLQ ${dlqName(config)}; inspect them (guardduty-hub dlq peek) and redrive them`,
      queueName: dlqName(config),
      topicArn,
    });
    for (const { id: alarmId, ...spec } of thresholdAlarmSpecs(config))
      thresholdAlarm(this, alarmId, { ...spec, topicArn });

    this.dashboard = new CloudwatchDashboard(this, 'Dashboard', {
      dashboardName: dashboardName(config),
      dashboardBody: JSON.stringify(dashboardBody(config)),
    });
  }
}

/** One threshold alarm of the hub: its construct id and its props but the topic. */
type ThresholdAlarmSpec = Omit<ThresholdAlarmProps, 'topicArn'> & { readonly id: string };

/** The hub's threshold alarms: hub queue age and depth, consumer errors and throttles, and the consumer's own metrics. */
function thresholdAlarmSpecs(config: MonitoringProps['config']): ThresholdAlarmSpec[] {
  const prefix = alarmNamePrefix(config);
  const queue = { QueueName: hubQueueName(config) };
  const fn = { FunctionName: functionName(config) };
  const sqs = { namespace: 'AWS/SQS', dimensions: queue, statistic: 'Maximum' } as const;
  const lambda = { namespace: 'AWS/Lambda', dimensions: fn, statistic: 'Sum', threshold: 0 } as const;
  return [
    {
      id: 'QueueAge',
      name: `${prefix}queue-oldest-message`,
      description: `A finding has waited more than ${config.alarms.oldestMessageAgeSeconds} s in the hub queue; the consumer is failing or too slow`,
      ...sqs,
      metricName: 'ApproximateAgeOfOldestMessage',
      threshold: config.alarms.oldestMessageAgeSeconds,
    },
    {
      id: 'QueueDepth',
      name: `${prefix}queue-depth`,
      description: `More than ${config.alarms.queueDepth} findings wait in the hub queue`,
      ...sqs,
      metricName: 'ApproximateNumberOfMessagesVisible',
      threshold: config.alarms.queueDepth,
    },
    {
      id: 'ConsumerErrors',
      name: `${prefix}consumer-errors`,
      description: 'The consumer Lambda failed (whole invocations, not single records); see its logs',
      ...lambda,
      metricName: 'Errors',
    },
    {
      id: 'ConsumerThrottles',
      name: `${prefix}consumer-throttles`,
      description: 'The consumer Lambda was throttled; check account concurrency and delivery.maxConcurrency',
      ...lambda,
      metricName: 'Throttles',
    },
    ...canaryAlarmSpecs(config),
    ...Object.entries(CONSUMER_METRIC_ALARMS).map(([metricName, description]) => ({
      id: metricName,
      name: `${prefix}${metricName.replace(/(?<=[a-z])(?=[A-Z])/g, '-').toLowerCase()}`,
      description,
      namespace: METRICS_NAMESPACE,
      metricName,
      dimensions: CONSUMER_DIMENSIONS,
      statistic: 'Sum' as const,
      threshold: 0,
    })),
  ];
}

/**
 * One alarm per region on its canary's age, in the hub region: over the budget, or no age put for a
 * period (the drift check itself stopped), it notifies the alarm topic, by email, whatever is broken
 * downstream (Slack included). The period holds two drift checks, so one late run is not a breach.
 */
function canaryAlarmSpecs(config: MonitoringProps['config']): ThresholdAlarmSpec[] {
  if (!canaryEnabled(config)) return [];
  const budget = canaryBudgetSeconds(config);
  return config.regions.map((region) => ({
    id: `CanaryAge-${region}`,
    name: `${alarmNamePrefix(config)}canary-late-${region}`,
    description: `No canary from ${region} reached the consumer in ${budget} s (or the drift check stopped): findings from ${region} may not be arriving; see guardduty-hub status`,
    namespace: METRICS_NAMESPACE,
    metricName: CANARY_AGE_METRIC,
    dimensions: { Region: region },
    statistic: 'Maximum' as const,
    threshold: budget,
    periodSeconds: Math.max(300, 2 * config.guard.driftCheckMinutes * 60),
    treatMissingData: 'breaching' as const,
  }));
}

type Metric = readonly (string | Readonly<Record<string, string>>)[];

/** Visible messages of every DLQ, each labelled by its CLI selector; a forwarder DLQ is read in its own region. */
function dlqDepthMetrics(config: Pick<HubConfig, 'hub' | 'regions'>): Metric[] {
  return deadLetterQueues(config).map((dlq) => [
    'AWS/SQS',
    'ApproximateNumberOfMessagesVisible',
    'QueueName',
    dlq.name,
    { label: dlq.id, region: dlq.region },
  ]);
}

interface Widget {
  readonly title: string;
  readonly metrics: readonly Metric[];
  readonly stat: 'Sum' | 'Maximum' | 'Average';
}

/** The dashboard's widgets, in reading order: the queue and its DLQs, the consumer function, the hub's own metrics. */
function dashboardWidgets(config: Pick<HubConfig, 'hub' | 'regions'>): Widget[] {
  return [...queueWidgets(config), ...functionWidgets(config), ...hubWidgets()];
}

function queueWidgets(config: Pick<HubConfig, 'hub' | 'regions'>): Widget[] {
  const queue = ['QueueName', hubQueueName(config)];
  const visible = ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', ...queue] as const;
  const inFlight = ['AWS/SQS', 'ApproximateNumberOfMessagesNotVisible', ...queue] as const;
  return [
    { title: 'Hub queue depth', stat: 'Maximum', metrics: [visible, inFlight] },
    {
      title: 'Hub queue oldest message (s)',
      stat: 'Maximum',
      metrics: [['AWS/SQS', 'ApproximateAgeOfOldestMessage', ...queue]],
    },
    { title: 'DLQ depth (every hop)', stat: 'Maximum', metrics: dlqDepthMetrics(config) },
  ];
}

function functionWidgets(config: Pick<HubConfig, 'hub'>): Widget[] {
  const fn = ['FunctionName', functionName(config)];
  const lambda = (metric: string, ...extra: Metric): Metric => ['AWS/Lambda', metric, ...fn, ...extra];
  return [
    { title: 'Consumer invocations', stat: 'Sum', metrics: [lambda('Invocations')] },
    { title: 'Consumer errors and throttles', stat: 'Sum', metrics: [lambda('Errors'), lambda('Throttles')] },
    {
      title: 'Consumer duration (ms)',
      stat: 'Average',
      metrics: [lambda('Duration'), lambda('Duration', { stat: 'Maximum' })],
    },
    { title: 'Consumer concurrent executions', stat: 'Maximum', metrics: [lambda('ConcurrentExecutions')] },
  ];
}

function hubWidgets(): Widget[] {
  const hub = (metric: string): Metric => [METRICS_NAMESPACE, metric, 'service', SERVICE_NAME];
  const names = METRIC_NAMES;
  return [
    {
      title: 'Findings delivered and skipped',
      stat: 'Sum',
      metrics: [hub(names.findingsReceived), hub(names.findingsDelivered), hub(names.findingsSkipped)],
    },
    {
      title: 'Slack messages, Web API calls and throttles',
      stat: 'Sum',
      metrics: [hub(names.slackMessages), hub(names.slackWebApiCalls), hub(names.slackThrottled)],
    },
    {
      title: 'Failed records, repeats and state table',
      stat: 'Sum',
      metrics: [
        hub(names.failedRecords),
        hub(names.invalidRecords),
        hub(names.deadLettered),
        hub(names.webhookRefused),
        hub(`${names.findingsSkipped}_repeat`),
        hub(names.repeatsDeferred),
        hub(names.repeatStoreErrors),
      ],
    },
  ];
}

/** The dashboard JSON: three widgets a row, 5-minute periods. */
export function dashboardBody(config: Pick<HubConfig, 'hub' | 'regions'>): { widgets: object[] } {
  const widgets = dashboardWidgets(config);
  return {
    widgets: widgets.map((widget, i) => ({
      type: 'metric',
      x: (i % 3) * 8,
      y: Math.floor(i / 3) * 6,
      width: 8,
      height: 6,
      properties: {
        title: widget.title,
        metrics: widget.metrics,
        stat: widget.stat,
        period: 300,
        region: config.hub.region,
        view: 'timeSeries',
      },
    })),
  };
}
