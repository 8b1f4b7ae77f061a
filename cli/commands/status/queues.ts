import { GetMetricStatisticsCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { deadLetterQueues, type DeadLetterQueueKind, type HubConfig } from '../../../shared/index.ts';
import {
  call,
  findDeadLetterQueue,
  findQueue,
  queueCounts,
  section,
  type AwsClients,
  type QueueCounts,
  type Section,
} from '../../aws/index.ts';

/** The hub queue and every DLQ as `status` shows them. */
export interface QueuesStatus {
  readonly queue: QueueStatus & {
    /** CloudWatch `ApproximateAgeOfOldestMessage`, maximum over the last 5 minutes; `null` without a datapoint. */
    readonly oldestMessageAgeSeconds: Section<number | null>;
  };
  /** The hub queue's DLQ (also the first of {@link deadLetterQueues}). */
  readonly dlq: Section<QueueStatus>;
  /** Every DLQ: the hub queue's, the hub rule target's, then each region's forwarder target's. */
  readonly deadLetterQueues: DeadLetterQueueStatus[];
}

/** One DLQ in `status`. */
export interface DeadLetterQueueStatus {
  /** The `dlq --queue` selector. */
  readonly id: string;
  readonly kind: DeadLetterQueueKind;
  readonly region: string;
  /** Its counts, or why they could not be read (missing: its stack is not deployed). */
  readonly queue: Section<QueueStatus>;
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
 * Reads the hub queue and every DLQ (each in its own region). A missing hub queue is fatal
 * (`ResourceMissingError`, exit 2: nothing else makes sense without it); a missing or unreadable DLQ
 * is reported in its section.
 */
export async function readQueues(clients: AwsClients, config: HubConfig, now: Date): Promise<QueuesStatus> {
  const hubRegion = config.hub.region;
  const hub = await findQueue(clients.sqs(hubRegion), config, 'hub queue');
  const [dlqs, oldest] = await Promise.all([
    Promise.all(
      deadLetterQueues(config).map(async (spec): Promise<DeadLetterQueueStatus> => {
        const queue = await section(async () => {
          const found = await findDeadLetterQueue(clients, config, spec);
          return { name: found.name, url: found.url, arn: found.arn, ...queueCounts(found) };
        });
        return { id: spec.id, kind: spec.kind, region: spec.region, queue };
      }),
    ),
    section(() => oldestMessageAgeSeconds(clients.cloudwatch(hubRegion), hub.name, now)),
  ]);
  return {
    queue: { name: hub.name, url: hub.url, arn: hub.arn, ...queueCounts(hub), oldestMessageAgeSeconds: oldest },
    dlq: hubDlqOf(dlqs),
    deadLetterQueues: dlqs,
  };
}

/** Maximum `ApproximateAgeOfOldestMessage` of `queueName` over the last 5 minutes, or `null` when CloudWatch has no datapoint. */
export async function oldestMessageAgeSeconds(
  cloudwatch: CloudWatchClient,
  queueName: string,
  now: Date,
): Promise<number | null> {
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

/** The hub queue's DLQ: the first of `deadLetterQueues(config)`, which always lists it. */
function hubDlqOf(dlqs: readonly DeadLetterQueueStatus[]): DeadLetterQueueStatus['queue'] {
  const [hub] = dlqs;
  if (hub === undefined) throw new Error('deadLetterQueues(config) lists no hub DLQ');
  return hub.queue;
}
