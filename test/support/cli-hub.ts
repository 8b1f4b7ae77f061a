import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { HubConfig } from '../../shared/index.ts';
import { deadLetterQueues, dlqName, hubQueueName } from '../../shared/names.ts';

/**
 * The hub's two queues, created by the names the stacks give them (`stacks/names.ts`) with the
 * settings that matter to the CLI (redrive policy from the hub queue to the DLQ, retention), and
 * helpers to fill and count them. Created directly rather than through test/support/provision.ts,
 * which needs the synthesized stacks: the CLI only depends on the names and the redrive policy.
 */

/** URLs and ARNs of the created queues. */
export interface HubQueues {
  readonly hubUrl: string;
  readonly hubArn: string;
  readonly dlqUrl: string;
  readonly dlqArn: string;
}

/** Creates the DLQ, then the hub queue redriving to it after `queue.maxReceiveCount` receives. */
export async function createHubQueues(sqs: SQSClient, config: HubConfig): Promise<HubQueues> {
  const dlq = await sqs.send(
    new CreateQueueCommand({
      QueueName: dlqName(config),
      Attributes: { MessageRetentionPeriod: String(config.queue.dlqRetentionDays * 86_400) },
    }),
  );
  const dlqArn = await arnOf(sqs, dlq.QueueUrl!);
  const hub = await sqs.send(
    new CreateQueueCommand({
      QueueName: hubQueueName(config),
      Attributes: {
        VisibilityTimeout: String(config.queue.visibilityTimeoutSeconds),
        MessageRetentionPeriod: String(config.queue.retentionDays * 86_400),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: config.queue.maxReceiveCount }),
      },
    }),
  );
  return { hubUrl: hub.QueueUrl!, hubArn: await arnOf(sqs, hub.QueueUrl!), dlqUrl: dlq.QueueUrl!, dlqArn };
}

/**
 * Creates the EventBridge targets' DLQs (the hub rule's in the hub region, each region's forwarder's in
 * that region) by their names, and returns their URLs by `dlq --queue` id.
 */
export async function createTargetDlqs(
  sqsIn: (region: string) => SQSClient,
  config: HubConfig,
): Promise<Record<string, string>> {
  const urls: Record<string, string> = {};
  for (const spec of deadLetterQueues(config)) {
    if (spec.kind === 'hub-queue') continue;
    const created = await sqsIn(spec.region).send(
      new CreateQueueCommand({ QueueName: spec.name, Attributes: { MessageRetentionPeriod: String(14 * 86_400) } }),
    );
    urls[spec.id] = created.QueueUrl!;
  }
  return urls;
}

/** Options of {@link sendMessages}. */
export interface SendOptions {
  readonly delaySeconds?: number;
  readonly attributes?: Record<string, MessageAttributeValue>;
}

/** Sends each body as one message. */
export async function sendMessages(
  sqs: SQSClient,
  queueUrl: string,
  bodies: readonly string[],
  options: SendOptions = {},
): Promise<void> {
  for (const body of bodies) {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: body,
        ...(options.delaySeconds === undefined ? {} : { DelaySeconds: options.delaySeconds }),
        ...(options.attributes === undefined ? {} : { MessageAttributes: options.attributes }),
      }),
    );
  }
}

/** Receives (and keeps in flight for `visibilityTimeoutSeconds`) up to `count` messages, as a consumer would. */
export async function receiveMessages(
  sqs: SQSClient,
  queueUrl: string,
  count: number,
  visibilityTimeoutSeconds = 300,
): Promise<number> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: count,
      VisibilityTimeout: visibilityTimeoutSeconds,
    }),
  );
  return Messages.length;
}

/** Visible, in-flight and delayed counts of a queue. */
export async function countMessages(
  sqs: SQSClient,
  queueUrl: string,
): Promise<{ visible: number; inFlight: number; delayed: number }> {
  const { Attributes: a = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return {
    visible: Number(a.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(a.ApproximateNumberOfMessagesDelayed ?? 0),
  };
}

async function arnOf(sqs: SQSClient, queueUrl: string): Promise<string> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  return Attributes.QueueArn!;
}
