import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DeliveryStats } from './port/outcome.ts';
import type { SkipReason } from './types.ts';
import { METRICS_NAMESPACE, METRIC_NAMES, SERVICE_NAME, deliveredMetricName } from '../shared/telemetry.ts';

export { METRICS_NAMESPACE, METRIC_NAMES, SERVICE_NAME, deliveredMetricName };

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

/** Metrics that go nowhere (replay counts for itself; the sandbox and benchmarks need none). */
export const NO_METRICS: MetricsSink = { addMetric: () => undefined, publishStoredMetrics: () => undefined };

/** What one invocation counted. */
export interface InvocationCounts {
  readonly findingsReceived: number;
  readonly findingsDelivered: number;
  /** `findingsDelivered` by destination type; each type has its own metric, `FindingsDelivered_<type>`. */
  readonly deliveredByType: Readonly<Record<string, number>>;
  readonly skipped: Readonly<Partial<Record<SkipReason, number>>>;
  readonly failedRecords: number;
  readonly invalidRecords: number;
  /** Records the consumer moved to the DLQ itself. */
  readonly deadLettered: number;
  /** Records deferred by the repeat gate. */
  readonly repeatsDeferred: number;
  /** Repeat state table failures. */
  readonly repeatStoreErrors: number;
  readonly delivery: DeliveryStats;
}

/** Adds one invocation's counts and publishes them: one EMF line per invocation. */
export function publishInvocationMetrics(metrics: MetricsSink, counts: InvocationCounts): void {
  const count = (name: string, value: number) => metrics.addMetric(name, MetricUnit.Count, value);
  count(METRIC_NAMES.findingsReceived, counts.findingsReceived);
  count(METRIC_NAMES.findingsDelivered, counts.findingsDelivered);
  for (const [type, n] of Object.entries(counts.deliveredByType)) count(deliveredMetricName(type), n);
  const skippedTotal = Object.values(counts.skipped).reduce((sum, n) => sum + (n ?? 0), 0);
  count(METRIC_NAMES.findingsSkipped, skippedTotal);
  for (const [reason, n] of Object.entries(counts.skipped)) {
    if (n) count(skippedMetricName(reason as SkipReason), n);
  }
  count(METRIC_NAMES.slackMessages, counts.delivery.slackMessages);
  count(METRIC_NAMES.slackThrottled, counts.delivery.slackThrottled);
  count(METRIC_NAMES.slackWebApiCalls, counts.delivery.webApiCalls);
  count(METRIC_NAMES.failedRecords, counts.failedRecords);
  count(METRIC_NAMES.invalidRecords, counts.invalidRecords);
  count(METRIC_NAMES.deadLettered, counts.deadLettered);
  count(METRIC_NAMES.repeatsDeferred, counts.repeatsDeferred);
  count(METRIC_NAMES.repeatStoreErrors, counts.repeatStoreErrors);
  count(METRIC_NAMES.webhookRefused, counts.delivery.webhooksRefused);
  for (const size of counts.delivery.digestSizes) count(METRIC_NAMES.digestSize, size);
  metrics.publishStoredMetrics();
}
