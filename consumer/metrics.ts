import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DeliveryStats } from './deliver/index.ts';
import type { SkipReason } from './types.ts';

/** CloudWatch namespace and service dimension of the consumer's metrics. */
export const METRICS_NAMESPACE = 'GuardDutyHub';
/** The `service` dimension (and Powertools service name). */
export const SERVICE_NAME = 'guardduty-hub';

/** The consumer's metric names (dashboards and alarms use these). */
export const METRIC_NAMES = {
  findingsReceived: 'FindingsReceived',
  findingsDelivered: 'FindingsDelivered',
  /** Total; each reason also has its own metric, see `skippedMetricName`. */
  findingsSkipped: 'FindingsSkipped',
  slackMessages: 'SlackMessages',
  slackThrottled: 'SlackThrottled',
  failedRecords: 'FailedRecords',
  invalidRecords: 'InvalidRecords',
  /** Findings per digest message, one value per digest sent. */
  digestSize: 'DigestSize',
  /** Records returned to the queue because another consumer instance was deciding about their finding. */
  repeatsDeferred: 'RepeatsDeferred',
  /** Failed reads and writes of the repeat state table (the gate fails open: repeats, never silence). */
  repeatStoreErrors: 'RepeatStoreErrors',
} as const;

/**
 * The metric counting findings skipped for one reason: `FindingsSkipped_below-threshold`, … A
 * separate name rather than a dimension, so all metrics of an invocation go out in one EMF line.
 */
export function skippedMetricName(reason: SkipReason): `FindingsSkipped_${SkipReason}` {
  return `FindingsSkipped_${reason}`;
}

/** A Powertools `Metrics` for the consumer (namespace and service from the Lambda environment when set). */
export function createMetrics(env: NodeJS.ProcessEnv = process.env): Metrics {
  return new Metrics({
    namespace: env.POWERTOOLS_METRICS_NAMESPACE || METRICS_NAMESPACE,
    serviceName: env.POWERTOOLS_SERVICE_NAME || SERVICE_NAME,
  });
}

/** Where metrics go: a Powertools `Metrics`, or anything with these two methods (replay counts them itself). */
export interface MetricsSink {
  addMetric(name: string, unit: typeof MetricUnit.Count, value: number): unknown;
  publishStoredMetrics(): unknown;
}

/** What one invocation counted. */
export interface InvocationCounts {
  readonly findingsReceived: number;
  readonly findingsDelivered: number;
  readonly skipped: Readonly<Partial<Record<SkipReason, number>>>;
  readonly failedRecords: number;
  readonly invalidRecords: number;
  /** Records deferred by the repeat gate. Default 0. */
  readonly repeatsDeferred?: number;
  /** Repeat state table failures. Default 0. */
  readonly repeatStoreErrors?: number;
  readonly delivery: DeliveryStats;
}

/** Adds one invocation's counts and publishes them: one EMF line per invocation. */
export function publishInvocationMetrics(metrics: MetricsSink, counts: InvocationCounts): void {
  const count = (name: string, value: number) => metrics.addMetric(name, MetricUnit.Count, value);
  count(METRIC_NAMES.findingsReceived, counts.findingsReceived);
  count(METRIC_NAMES.findingsDelivered, counts.findingsDelivered);
  const skippedTotal = Object.values(counts.skipped).reduce((sum, n) => sum + (n ?? 0), 0);
  count(METRIC_NAMES.findingsSkipped, skippedTotal);
  for (const [reason, n] of Object.entries(counts.skipped)) {
    if (n) count(skippedMetricName(reason as SkipReason), n);
  }
  count(METRIC_NAMES.slackMessages, counts.delivery.slackMessages);
  count(METRIC_NAMES.slackThrottled, counts.delivery.slackThrottled);
  count(METRIC_NAMES.failedRecords, counts.failedRecords);
  count(METRIC_NAMES.invalidRecords, counts.invalidRecords);
  count(METRIC_NAMES.repeatsDeferred, counts.repeatsDeferred ?? 0);
  count(METRIC_NAMES.repeatStoreErrors, counts.repeatStoreErrors ?? 0);
  for (const size of counts.delivery.digestSizes) count(METRIC_NAMES.digestSize, size);
  metrics.publishStoredMetrics();
}
