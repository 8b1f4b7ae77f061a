import { GetMetricStatisticsCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { destinationTypeOf, type DestinationType, type HubConfig } from '../../../shared/index.ts';
import { METRICS_NAMESPACE, SERVICE_NAME, deliveredMetricName } from '../../../shared/telemetry.ts';
import { call, section, type Section } from '../../aws/index.ts';

/**
 * The destinations of the config by type, with what each type took lately: the consumer counts the
 * findings destinations of each type accepted as `FindingsDelivered_<type>` (the default's type after a
 * failover), so a pager or a Teams channel that has gone quiet shows beside the Slack channels.
 */

/** How far back `status` sums deliveries: a day. */
export const DELIVERED_WINDOW_MS = 24 * 60 * 60 * 1000;

/** One destination type of the config. */
export interface DestinationTypeStatus {
  readonly type: DestinationType;
  /** Its destinations, in config order. */
  readonly destinations: string[];
  /** Findings destinations of this type accepted in the last 24 hours; 0 without datapoints. */
  readonly deliveredLast24h: Section<number>;
}

/** Every destination type the config uses, in order of first use, with its deliveries of the last day. */
export async function readDestinations(
  cloudwatch: CloudWatchClient,
  config: Pick<HubConfig, 'destinations'>,
  now: Date,
): Promise<DestinationTypeStatus[]> {
  const byType = new Map<DestinationType, string[]>();
  for (const name of Object.keys(config.destinations)) {
    const type = destinationTypeOf(config, name);
    byType.set(type, [...(byType.get(type) ?? []), name]);
  }
  return Promise.all(
    [...byType].map(async ([type, destinations]) => ({
      type,
      destinations,
      deliveredLast24h: await section(() => deliveredSince(cloudwatch, type, now)),
    })),
  );
}

/** The sum of `FindingsDelivered_<type>` over {@link DELIVERED_WINDOW_MS} before `now`. */
async function deliveredSince(cloudwatch: CloudWatchClient, type: DestinationType, now: Date): Promise<number> {
  const { Datapoints: points = [] } = await call('GetMetricStatistics', () =>
    cloudwatch.send(
      new GetMetricStatisticsCommand({
        Namespace: METRICS_NAMESPACE,
        MetricName: deliveredMetricName(type),
        Dimensions: [{ Name: 'service', Value: SERVICE_NAME }],
        StartTime: new Date(now.getTime() - DELIVERED_WINDOW_MS),
        EndTime: now,
        Period: 3600,
        Statistics: ['Sum'],
      }),
    ),
  );
  return points.reduce((sum, point) => sum + (point.Sum ?? 0), 0);
}
