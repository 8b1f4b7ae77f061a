import { GetMetricStatisticsCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { HubConfig } from '../../../shared/index.ts';
import { call, findQueue, queueCounts, section, type QueueCounts, type Section } from '../../aws/index.ts';

/** The hub queue and its DLQ as `status` shows them. */
export interface QueuesStatus {
  readonly queue: QueueStatus & {
    /** CloudWatch `ApproximateAgeOfOldestMessage`, maximum over the last 5 minutes; `null` without a datapoint. */
    readonly oldestMessageAgeSeconds: Section<number | null>;
  };
  readonly dlq: Section<QueueStatus>;
}

/** One queue's name and counts. */
export interface QueueStatus extends QueueCounts {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
}

/** Window over which the oldest message's age is read. */
export const OLDEST_AGE_WINDOW_MS = 5 * 60_000;

/**
 * Reads both queues. A missing hub queue is fatal (`ResourceMissingError`, exit 2: nothing else
 * makes sense without it); a missing or unreadable DLQ is reported in its section.
 */
export async function readQueues(sqs: SQSClient, cloudwatch: CloudWatchClient, config: HubConfig, now: Date): Promise<QueuesStatus> {
  const hub = await findQueue(sqs, config, 'hub queue');
  const [dlq, oldest] = await Promise.all([
    section(async () => {
      const found = await findQueue(sqs, config, 'DLQ');
      return { name: found.name, url: found.url, arn: found.arn, ...queueCounts(found) };
    }),
    section(() => oldestMessageAgeSeconds(cloudwatch, hub.name, now)),
  ]);
  return {
    queue: { name: hub.name, url: hub.url, arn: hub.arn, ...queueCounts(hub), oldestMessageAgeSeconds: oldest },
    dlq,
  };
}

/** Maximum `ApproximateAgeOfOldestMessage` of `queueName` over the last 5 minutes, or `null` when CloudWatch has no datapoint. */
export async function oldestMessageAgeSeconds(cloudwatch: CloudWatchClient, queueName: string, now: Date): Promise<number | null> {
  const { Datapoints: points = [] } = await call('GetMetricStatistics', () =>
    cloudwatch.send(
      new GetMetricStatisticsCommand({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateAgeOfOldestMessage',
        Dimensions: [{ Name: 'QueueName', Value: queueName }],
        StartTime: new Date(now.getTime() - OLDEST_AGE_WINDOW_MS),
        EndTime: now,
        Period: 60,
        Statistics: ['Maximum'],
      }),
    ),
  );
  const values = points.map((point) => point.Maximum).filter((value): value is number => typeof value === 'number');
  return values.length === 0 ? null : Math.max(...values);
}
