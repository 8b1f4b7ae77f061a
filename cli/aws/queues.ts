import { GetQueueAttributesCommand, GetQueueUrlCommand, type QueueAttributeName, type SQSClient } from '@aws-sdk/client-sqs';
import type { HubConfig } from '../../shared/index.ts';
import { dlqName, hubQueueName } from '../../stacks/names.ts';
import { ResourceMissingError } from '../errors.ts';
import { awsErrorName, call, toCliError } from './errors.ts';

/** A queue found by name: its URL for calls and its ARN for message move tasks and metrics. */
export interface QueueRef {
  /** `hub queue` or `DLQ`, for messages. */
  readonly role: QueueRole;
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  /** The attributes asked for, as SQS returns them (strings). */
  readonly attributes: Partial<Record<QueueAttributeName, string>>;
}

/** Which of the hub's two queues. */
export type QueueRole = 'hub queue' | 'DLQ';

/** The queue counts that {@link QUEUE_COUNTS} asks for, as numbers. */
export interface QueueCounts {
  /** `ApproximateNumberOfMessages`: waiting to be received. */
  readonly visible: number;
  /** `ApproximateNumberOfMessagesNotVisible`: received, not yet deleted. */
  readonly inFlight: number;
  /** `ApproximateNumberOfMessagesDelayed`. */
  readonly delayed: number;
}

/** Attributes for {@link queueCounts}. */
export const QUEUE_COUNTS = [
  'QueueArn',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
] as const satisfies readonly QueueAttributeName[];

/**
 * Finds one of the hub's queues by the name the stacks give it (`stacks/names.ts`) and reads its
 * attributes. Throws {@link ResourceMissingError} (exit 2) when it does not exist.
 */
export async function findQueue(
  sqs: SQSClient,
  config: HubConfig,
  role: QueueRole,
  attributeNames: readonly QueueAttributeName[] = QUEUE_COUNTS,
): Promise<QueueRef> {
  const name = role === 'DLQ' ? dlqName(config) : hubQueueName(config);
  let url: string | undefined;
  try {
    url = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
  } catch (error) {
    const notFound = awsErrorName(error) === 'QueueDoesNotExist' || (error as { Code?: string }).Code === 'AWS.SimpleQueueService.NonExistentQueue';
    if (!notFound) throw toCliError('GetQueueUrl', error);
    throw new ResourceMissingError(
      `${role} ${name} not found in ${config.hub.region} account ${config.hub.account}: has the hub stack been deployed (cdktf deploy hub)?`,
      name,
      { cause: error },
    );
  }
  if (url === undefined) throw toCliError('GetQueueUrl', new Error(`no QueueUrl for ${name}`));
  const names = [...new Set<QueueAttributeName>(['QueueArn', ...attributeNames])];
  const { Attributes: attributes = {} } = await call('GetQueueAttributes', () =>
    sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: names })),
  );
  return { role, name, url, arn: attributes.QueueArn ?? '', attributes };
}

/** The message counts of a queue read with {@link QUEUE_COUNTS}. */
export function queueCounts(queue: QueueRef): QueueCounts {
  const count = (name: QueueAttributeName): number => Number(queue.attributes[name] ?? 0);
  return {
    visible: count('ApproximateNumberOfMessages'),
    inFlight: count('ApproximateNumberOfMessagesNotVisible'),
    delayed: count('ApproximateNumberOfMessagesDelayed'),
  };
}
