import { GetMetricStatisticsCommand, type CloudWatchClient, type Dimension } from '@aws-sdk/client-cloudwatch';
import { call } from '../../aws/index.ts';

/** A metric the smoke test watches. */
export interface WatchedMetric {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: readonly Dimension[];
}

/** Sum of a metric's 1-minute `Sum` datapoints from `start` (inclusive) to `end`. */
export async function metricSum(
  cloudwatch: CloudWatchClient,
  metric: WatchedMetric,
  start: Date,
  end: Date,
): Promise<number> {
  const { Datapoints: points = [] } = await call('GetMetricStatistics', () =>
    cloudwatch.send(
      new GetMetricStatisticsCommand({
        Namespace: metric.namespace,
        MetricName: metric.name,
        Dimensions: [...metric.dimensions],
        StartTime: start,
        EndTime: end,
        Period: 60,
        Statistics: ['Sum'],
      }),
    ),
  );
  return points.reduce((total, point) => total + (point.Sum ?? 0), 0);
}

/** `time` rounded down to the whole minute (CloudWatch's 1-minute buckets start there). */
export function floorToMinute(time: Date): Date {
  return new Date(Math.floor(time.getTime() / 60_000) * 60_000);
}
