import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  type QueueAttributeName,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { STACK_NAMES, dlqName, hubQueueName, type HubConfig } from '../../shared/index.ts';
import { ResourceMissingError } from '../errors.ts';
import { awsErrorName, call, toCliError } from './errors.ts';

/** A queue found by name: its URL for calls and its ARN for message move tasks and metrics. */
export interface QueueRef {
  /** What the queue is, for messages (`hub queue`, `DLQ`, `forwarder DLQ in us-east-1`). */
  readonly role: string;
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  /** The attributes asked for, as SQS returns them (strings). */
  readonly attributes: Partial<Record<QueueAttributeName, string>>;
}

/** Which of the hub region's two finding queues {@link findQueue} looks up. */
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

/** A queue to look up by name, and what to say when it is missing. */
export interface QueueLookup {
  /** What the queue is, for messages (see {@link QueueRef.role}). */
  readonly role: string;
  readonly name: string;
  /** The region the client is in (for the message). */
  readonly region: string;
  /** The stack that creates it (`hub`, `region-us-east-1`), for the deploy hint. */
  readonly stack: string;
}

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
  return findNamedQueue(sqs, config, { role, name, region: config.hub.region, stack: STACK_NAMES.hub }, attributeNames);
}

/** Like {@link findQueue}, for any queue of the hub in any region (the client must be in `lookup.region`). */
export async function findNamedQueue(
  sqs: SQSClient,
  config: HubConfig,
  lookup: QueueLookup,
  attributeNames: readonly QueueAttributeName[] = QUEUE_COUNTS,
): Promise<QueueRef> {
  const { role, name } = lookup;
  let url: string | undefined;
  try {
    url = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
  } catch (error) {
    const notFound =
      awsErrorName(error) === 'QueueDoesNotExist' ||
      (error as { Code?: string }).Code === 'AWS.SimpleQueueService.NonExistentQueue';
    if (!notFound) throw toCliError('GetQueueUrl', error);
    throw new ResourceMissingError(
      `${role} ${name} not found in ${lookup.region} account ${config.hub.account}: has the ${lookup.stack} stack been deployed (cdktf deploy ${lookup.stack})?`,
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
