import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { awsClients, uniqueAccountId, type AwsClients } from '../support/aws.ts';
import { EventSourcePoller, type SqsHandler } from '../support/event-source-poller.ts';

// The local event source mapping against moto's SQS (the poller itself is what these tests prove).

const endpoint = inject('motoEndpoint');
const REGION = 'us-west-2';
let aws: AwsClients;

beforeEach(() => {
  // An account of its own: nothing to reset, nothing shared with tests running beside it.
  aws = awsClients(endpoint, REGION, { accountId: uniqueAccountId() });
});
afterEach(() => aws.destroy());

async function queueWithDlq(maxReceiveCount: number): Promise<{ url: string; arn: string; dlqUrl: string }> {
  const dlq = await aws.sqs.send(new CreateQueueCommand({ QueueName: 'poller-dlq' }));
  const dlqArn = await queueArn(dlq.QueueUrl!);
  const queue = await aws.sqs.send(
    new CreateQueueCommand({
      QueueName: 'poller',
      Attributes: {
        VisibilityTimeout: '1',
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }),
      },
    }),
  );
  return { url: queue.QueueUrl!, arn: await queueArn(queue.QueueUrl!), dlqUrl: dlq.QueueUrl! };
}

async function queueArn(url: string): Promise<string> {
  const { Attributes } = await aws.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  return Attributes!.QueueArn!;
}

async function send(url: string, bodies: readonly string[]): Promise<void> {
  for (let i = 0; i < bodies.length; i += 10) {
    const entries = bodies.slice(i, i + 10).map((body, j) => ({ Id: String(i + j), MessageBody: body }));
    await aws.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries }));
  }
}

async function bodiesIn(url: string): Promise<string[]> {
  const { Messages = [] } = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
  return Messages.map((message) => message.Body!).sort();
}

function poller(
  queue: { url: string; arn: string },
  handler: SqsHandler,
  batchSize = 10,
  window = 0,
): EventSourcePoller {
  return new EventSourcePoller({
    sqs: aws.sqs,
    queueUrl: queue.url,
    queueArn: queue.arn,
    awsRegion: REGION,
    handler,
    batchSize,
    maximumBatchingWindowSeconds: window,
    idleDelayMs: 50,
  });
}

const failBodies =
  (bad: ReadonlySet<string>): SqsHandler =>
  async (event: SQSEvent): Promise<SQSBatchResponse> => ({
    batchItemFailures: event.Records.filter((r) => bad.has(r.body)).map((r) => ({ itemIdentifier: r.messageId })),
  });

describe('EventSourcePoller on moto', () => {
  it('builds SQS event records the way Lambda does', async () => {
    const queue = await queueWithDlq(5);
    await send(queue.url, ['one']);
    const seen: SQSEvent[] = [];

    await poller(queue, async (event) => void seen.push(event)).drainOnce();

    const record = seen[0]!.Records[0]!;
    expect(record).toMatchObject({ body: 'one', eventSource: 'aws:sqs', eventSourceARN: queue.arn, awsRegion: REGION });
    expect(record.attributes.ApproximateReceiveCount).toBe('1');
    expect(record.receiptHandle).not.toBe('');
  });

  it('deletes the records the handler did not report as failed and leaves the failures', async () => {
    const queue = await queueWithDlq(5);
    await send(queue.url, ['a', 'b', 'c']);

    const invocation = await poller(queue, failBodies(new Set(['b']))).drainOnce();

    expect(invocation!.deleted).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await bodiesIn(queue.url)).toEqual(['b']);
  });

  it('leaves the whole batch in the queue when the handler throws', async () => {
    const queue = await queueWithDlq(5);
    await send(queue.url, ['a', 'b']);

    const invocation = await poller(queue, async () => {
      throw new Error('boom');
    }).drainOnce();

    expect(invocation!.failed).toHaveLength(2);
    expect(invocation!.deleted).toEqual([]);
  });

  it('fills a batch beyond 10 records within the batching window', async () => {
    const queue = await queueWithDlq(5);
    await send(
      queue.url,
      Array.from({ length: 25 }, (_, i) => `m${i}`),
    );
    const sizes: number[] = [];

    await poller(queue, async (event) => void sizes.push(event.Records.length), 25, 1).drainOnce();

    expect(sizes).toEqual([25]);
  });

  it('moves a record that keeps failing to the DLQ after maxReceiveCount receives', async () => {
    const queue = await queueWithDlq(2);
    await send(queue.url, ['ok', 'poison']);
    const local = poller(queue, failBodies(new Set(['poison'])));

    await local.runUntilEmpty({ timeoutMs: 15_000 });

    const poisonReceives = local.invocations.flatMap((i) => i.event.Records).filter((r) => r.body === 'poison');
    expect(poisonReceives.map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['1', '2']);
    expect(await bodiesIn(queue.dlqUrl)).toEqual(['poison']);
  });

  it('runs until told to stop after a number of polls that find nothing', async () => {
    const queue = await queueWithDlq(5);
    await send(queue.url, ['a', 'b']);
    const seen: string[] = [];
    const local = new EventSourcePoller({
      sqs: aws.sqs,
      queueUrl: queue.url,
      queueArn: queue.arn,
      awsRegion: REGION,
      handler: async (event) => void seen.push(...event.Records.map((r) => r.body)),
      idleDelayMs: 20,
      stopAfterEmptyPolls: 3,
    });

    await local.run();

    expect(seen.sort()).toEqual(['a', 'b']);
    expect(await local.messagesHeld()).toBe(0);
  });

  it('respects a visibility change the handler makes before failing a record', async () => {
    const queue = await queueWithDlq(5);
    await send(queue.url, ['retry-now']);
    const local = poller(queue, async (event) => {
      const record = event.Records[0]!;
      if (record.attributes.ApproximateReceiveCount !== '1') return;
      await aws.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queue.url,
          ReceiptHandle: record.receiptHandle,
          VisibilityTimeout: 0,
        }),
      );
      return { batchItemFailures: [{ itemIdentifier: record.messageId }] };
    });

    await local.drainOnce();
    const second = await local.drainOnce();

    expect(second?.event.Records[0]?.attributes.ApproximateReceiveCount).toBe('2');
  });
});
