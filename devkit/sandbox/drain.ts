import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

/**
 * Runs a handler over a queue the way the Lambda SQS event source mapping does, until the queue has
 * nothing visible: receive up to `batchSize` (≤ 10 per ReceiveMessage), invoke, delete what the
 * handler did not report in `batchItemFailures` (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html).
 */

/** Options of {@link drainQueue}. */
export interface DrainOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly region: string;
  readonly handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;
  /** Records per invocation; the mapping's batch size, at most 10 here. */
  readonly batchSize: number;
  /** The function timeout, for `getRemainingTimeInMillis`. */
  readonly functionTimeoutMs: number;
  /** Stop after this long even if messages keep coming back; default 60 s. */
  readonly timeoutMs?: number;
}

/** Invocations made and records left for a retry. */
export interface DrainResult {
  readonly invocations: number;
  readonly failedRecords: number;
}

function toRecord(message: import('@aws-sdk/client-sqs').Message, arn: string, region: string): SQSRecord {
  const a = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: a.ApproximateReceiveCount ?? '1',
      SentTimestamp: a.SentTimestamp ?? String(Date.now()),
      SenderId: a.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: a.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: arn,
    awsRegion: region,
  };
}

/** Drains the queue; see the module comment. */
export async function drainQueue(options: DrainOptions): Promise<DrainResult> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let invocations = 0;
  let failedRecords = 0;
  while (Date.now() < deadline) {
    const { Messages = [] } = await options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: options.queueUrl,
        MaxNumberOfMessages: Math.min(10, options.batchSize),
        MessageSystemAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) break;
    const records = Messages.map((m) => toRecord(m, options.queueArn, options.region));
    const started = Date.now();
    const context = { getRemainingTimeInMillis: () => options.functionTimeoutMs - (Date.now() - started) } as Context;
    const response = await options.handler({ Records: records }, context);
    invocations += 1;
    const failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    failedRecords += failed.size;
    const done = records.filter((r) => !failed.has(r.messageId));
    if (done.length > 0) {
      await options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: options.queueUrl,
          Entries: done.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
        }),
      );
    }
  }
  return { invocations, failedRecords };
}
