import type { QueueAttributeName } from '@aws-sdk/client-sqs';
import { DLQ_IDS, deadLetterQueues, type DeadLetterQueueSpec, type HubConfig } from '../../shared/index.ts';
import { UsageError } from '../errors.ts';
import type { AwsClients } from './clients.ts';
import { QUEUE_COUNTS, findNamedQueue, type QueueRef } from './queues.ts';

/**
 * The hub's dead-letter queues as the CLI sees them: the hub queue's DLQ, the hub rule target's DLQ
 * and each region's forwarder target DLQ (`stacks/names.ts` defines them once), selected by id.
 */

/** A dead-letter queue found in AWS, with what the stacks say about it. */
export interface DeadLetterQueueRef extends QueueRef {
  readonly spec: DeadLetterQueueSpec;
}

/** How `status` and `dlq` name a DLQ in messages: `DLQ`, `hub rule DLQ`, `forwarder DLQ (us-east-1)`. */
export function deadLetterQueueLabel(spec: Pick<DeadLetterQueueSpec, 'kind' | 'region'>): string {
  switch (spec.kind) {
    case 'hub-queue':
      return 'DLQ';
    case 'hub-rule':
      return 'hub rule DLQ';
    case 'forwarder':
      return `forwarder DLQ (${spec.region})`;
  }
}

/** Selector options of `dlq peek` and `dlq redrive`. */
export interface DeadLetterSelection {
  /** One DLQ id (`hub`, `hub-rule`, `forwarder-<region>`); default `hub`. */
  readonly queue?: string;
  /** Every DLQ. */
  readonly all?: boolean;
}

/** The DLQs a selection names, in {@link deadLetterQueues} order; an unknown id is a {@link UsageError} listing the known ones. */
export function selectDeadLetterQueues(config: HubConfig, selection: DeadLetterSelection): DeadLetterQueueSpec[] {
  const all = deadLetterQueues(config);
  if (selection.all) {
    if (selection.queue !== undefined) throw new UsageError('give either --queue or --all, not both');
    return all;
  }
  const id = selection.queue ?? DLQ_IDS.hubQueue;
  const found = all.find((spec) => spec.id === id);
  if (found === undefined)
    throw new UsageError(`unknown DLQ '${id}': use one of ${all.map((spec) => spec.id).join(', ')} (or --all)`);
  return [found];
}

/** Finds one DLQ in its region and reads its attributes; a missing queue is `ResourceMissingError` (exit 2) with a deploy hint. */
export async function findDeadLetterQueue(
  clients: AwsClients,
  config: HubConfig,
  spec: DeadLetterQueueSpec,
  attributeNames: readonly QueueAttributeName[] = QUEUE_COUNTS,
): Promise<DeadLetterQueueRef> {
  const lookup = { role: deadLetterQueueLabel(spec), name: spec.name, region: spec.region, stack: spec.stack };
  const found = await findNamedQueue(clients.sqs(spec.region), config, lookup, attributeNames);
  return { ...found, spec };
}
