import { randomUUID } from 'node:crypto';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';

/**
 * A local stand-in for the Lambda SQS event source mapping: it receives from a real SQS API (moto,
 * or another local implementation), builds the `SQSEvent` Lambda would build, invokes the handler
 * and deletes what the handler did not report in `batchItemFailures` (ReportBatchItemFailures on).
 * Failed records are left alone: they become visible again after the visibility timeout (or
 * whatever `ChangeMessageVisibility` the handler did), and the queue's redrive policy moves them
 * to the DLQ after `maxReceiveCount` receives, as in AWS.
 *
 * Differences from AWS: one invocation at a time (no `maximumConcurrency`), no 6 MB payload limit,
 * and `visibilityTimeoutSeconds` may override the queue's timeout to keep tests fast.
 */

/** The handler shape the poller invokes: the consumer's `handler` fits. */
export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

/** Options of {@link EventSourcePoller}. */
export interface EventSourcePollerOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  /** `eventSourceARN` of every record. */
  readonly queueArn: string;
  /** `awsRegion` of every record. */
  readonly awsRegion: string;
  readonly handler: SqsHandler;
  /** Records per invocation, 1–10,000 (AWS default 10). */
  readonly batchSize?: number;
  /** Seconds spent filling a batch, 0–300 (AWS default 0: one ReceiveMessage). */
  readonly maximumBatchingWindowSeconds?: number;
  /** `FunctionResponseTypes: ['ReportBatchItemFailures']`; default true. Off: any throw fails the batch. */
  readonly reportBatchItemFailures?: boolean;
  /** Overrides the queue's visibility timeout on ReceiveMessage (tests only; Lambda never does). */
  readonly visibilityTimeoutSeconds?: number;
  /** The function timeout the fake `Context` counts down from; default 60 s. */
  readonly functionTimeoutMs?: number;
  /** Pause after a poll that found nothing; default 100 ms. */
  readonly idleDelayMs?: number;
  /** `run()` stops after this many polls in a row find nothing; default: never. */
  readonly stopAfterEmptyPolls?: number;
}

/** What one invocation received and returned. */
export interface Invocation {
  readonly event: SQSEvent;
  /** The handler's response, when it returned. */
  readonly response: SQSBatchResponse | undefined;
  /** What the handler threw, when it threw. */
  readonly error: unknown;
  /** Message ids deleted after the invocation. */
  readonly deleted: readonly string[];
  /** Message ids left in the queue (failures). */
  readonly failed: readonly string[];
}

/** Options of {@link EventSourcePoller.runUntilEmpty}. */
export interface RunUntilEmptyOptions {
  /** Fail when the queue still holds messages after this long; default 20 s. */
  readonly timeoutMs?: number;
}

/** Thrown when the poller cannot reach the end it was asked for. */
export class EventSourcePollerError extends Error {
  override readonly name = 'EventSourcePollerError';
}

const MAX_MESSAGES_PER_RECEIVE = 10;

/** Polls one queue and invokes one handler, like a Lambda SQS event source mapping. */
export class EventSourcePoller {
  /** Every invocation so far, oldest first. */
  readonly invocations: Invocation[] = [];
  readonly #options: EventSourcePollerOptions;
  #stopped = false;

  constructor(options: EventSourcePollerOptions) {
    this.#options = options;
  }

  /**
   * Receives one batch (filling it within the batching window), invokes the handler once when the
   * batch is not empty, and deletes the successes. Returns the invocation, or undefined when the
   * queue had nothing visible.
   */
  async drainOnce(): Promise<Invocation | undefined> {
    const messages = await this.#receiveBatch();
    if (messages.length === 0) return undefined;
    const event: SQSEvent = { Records: messages.map((message) => this.#toRecord(message)) };
    let response: SQSBatchResponse | undefined;
    let error: unknown;
    try {
      response = (await this.#options.handler(event, this.#context())) ?? undefined;
    } catch (thrown) {
      error = thrown;
    }
    const failed = failedIds(event, response, error, this.#options.reportBatchItemFailures ?? true);
    const toDelete = event.Records.filter((record) => !failed.has(record.messageId));
    await this.#delete(toDelete);
    const invocation: Invocation = {
      event,
      response,
      error,
      deleted: toDelete.map((record) => record.messageId),
      failed: [...failed],
    };
    this.invocations.push(invocation);
    return invocation;
  }

  /**
   * Polls until the queue holds no message at all (visible, in flight or delayed): every record
   * was deleted or moved to the DLQ. SQS counts are approximate (moto's too, under load), so the
   * queue must look empty on two polls in a row. Throws `EventSourcePollerError` after `timeoutMs`.
   */
  async runUntilEmpty({ timeoutMs = 20_000 }: RunUntilEmptyOptions = {}): Promise<Invocation[]> {
    const start = this.invocations.length;
    const deadline = Date.now() + timeoutMs;
    let emptyChecks = 0;
    for (;;) {
      const invocation = await this.drainOnce();
      if (invocation !== undefined) {
        emptyChecks = 0;
        continue;
      }
      const held = await this.messagesHeld();
      emptyChecks = held === 0 ? emptyChecks + 1 : 0;
      if (emptyChecks >= 2) return this.invocations.slice(start);
      if (Date.now() > deadline) {
        throw new EventSourcePollerError(
          `queue ${this.#options.queueUrl} still holds ${held} message(s) after ${timeoutMs} ms`,
        );
      }
      await sleep(this.#options.idleDelayMs ?? 100);
    }
  }

  /** Polls until `stop()` is called or `stopAfterEmptyPolls` polls in a row find nothing. */
  async run(): Promise<void> {
    this.#stopped = false;
    let emptyPolls = 0;
    const limit = this.#options.stopAfterEmptyPolls ?? Number.POSITIVE_INFINITY;
    while (!this.#stopped && emptyPolls < limit) {
      const invocation = await this.drainOnce();
      if (invocation !== undefined) {
        emptyPolls = 0;
        continue;
      }
      emptyPolls += 1;
      await sleep(this.#options.idleDelayMs ?? 100);
    }
  }

  /** Makes `run()` return after the current poll. */
  stop(): void {
    this.#stopped = true;
  }

  /** Messages in the queue: visible + in flight + delayed (SQS's approximate counts). */
  async messagesHeld(): Promise<number> {
    const { Attributes: attributes = {} } = await this.#options.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: this.#options.queueUrl,
        AttributeNames: [
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesNotVisible',
          'ApproximateNumberOfMessagesDelayed',
        ],
      }),
    );
    return (
      Number(attributes.ApproximateNumberOfMessages ?? 0) +
      Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0) +
      Number(attributes.ApproximateNumberOfMessagesDelayed ?? 0)
    );
  }

  async #receiveBatch(): Promise<Message[]> {
    const batchSize = this.#options.batchSize ?? MAX_MESSAGES_PER_RECEIVE;
    const windowMs = (this.#options.maximumBatchingWindowSeconds ?? 0) * 1000;
    const deadline = Date.now() + windowMs;
    const batch: Message[] = [];
    do {
      const received = await this.#receive(Math.min(MAX_MESSAGES_PER_RECEIVE, batchSize - batch.length));
      batch.push(...received);
      if (windowMs === 0) break;
      if (received.length === 0 && batch.length < batchSize && Date.now() < deadline) {
        await sleep(Math.min(this.#options.idleDelayMs ?? 100, Math.max(0, deadline - Date.now())));
      }
    } while (batch.length < batchSize && Date.now() < deadline);
    return batch;
  }

  async #receive(maxNumberOfMessages: number): Promise<Message[]> {
    const { Messages: messages = [] } = await this.#options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.#options.queueUrl,
        MaxNumberOfMessages: maxNumberOfMessages,
        WaitTimeSeconds: 0,
        // Both spellings: moto reads either, local-aws-sqs 2.0.2 only the older `AttributeNames`.
        AttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
        ...(this.#options.visibilityTimeoutSeconds === undefined
          ? {}
          : { VisibilityTimeout: this.#options.visibilityTimeoutSeconds }),
      }),
    );
    return messages;
  }

  async #delete(records: readonly SQSRecord[]): Promise<void> {
    for (let i = 0; i < records.length; i += MAX_MESSAGES_PER_RECEIVE) {
      const chunk = records.slice(i, i + MAX_MESSAGES_PER_RECEIVE);
      const result = await this.#options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.#options.queueUrl,
          Entries: chunk.map((record, j) => ({ Id: String(j), ReceiptHandle: record.receiptHandle })),
        }),
      );
      if ((result.Failed ?? []).length > 0) {
        throw new EventSourcePollerError(`DeleteMessageBatch failed: ${JSON.stringify(result.Failed)}`);
      }
    }
  }

  #toRecord(message: Message): SQSRecord {
    const attributes = message.Attributes ?? {};
    return {
      messageId: message.MessageId ?? '',
      receiptHandle: message.ReceiptHandle ?? '',
      body: message.Body ?? '',
      attributes: {
        ...attributes,
        ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
        SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
        SenderId: attributes.SenderId ?? 'AIDAEXAMPLE',
        ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      },
      messageAttributes: toRecordAttributes(message.MessageAttributes),
      md5OfBody: message.MD5OfBody ?? '',
      ...(message.MD5OfMessageAttributes === undefined
        ? {}
        : { md5OfMessageAttributes: message.MD5OfMessageAttributes }),
      eventSource: 'aws:sqs',
      eventSourceARN: this.#options.queueArn,
      awsRegion: this.#options.awsRegion,
    };
  }

  #context(): Context {
    const timeoutMs = this.#options.functionTimeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
    const functionName = 'local-event-source-poller';
    const unsupported = (): never => {
      throw new EventSourcePollerError('callback-style Context methods are not supported');
    };
    return {
      callbackWaitsForEmptyEventLoop: true,
      functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:${this.#options.awsRegion}:123456789012:function:${functionName}`,
      memoryLimitInMB: '256',
      awsRequestId: randomUUID(),
      logGroupName: `/aws/lambda/${functionName}`,
      logStreamName: 'local',
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: unsupported,
      fail: unsupported,
      succeed: unsupported,
    };
  }
}

/**
 * The records Lambda leaves in the queue: all of them when the handler threw (or, with
 * ReportBatchItemFailures, reported an id that is not in the batch); else the reported ones.
 */
function failedIds(
  event: SQSEvent,
  response: SQSBatchResponse | undefined,
  error: unknown,
  reportBatchItemFailures: boolean,
): Set<string> {
  const all = new Set(event.Records.map((record) => record.messageId));
  if (error !== undefined) return all;
  if (!reportBatchItemFailures) return new Set();
  const reported = (response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier);
  if (reported.some((id) => !all.has(id))) return all;
  return new Set(reported);
}

function toRecordAttributes(attributes: Record<string, MessageAttributeValue> | undefined): SQSMessageAttributes {
  const out: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(attributes ?? {})) {
    out[name] = {
      dataType: value.DataType ?? 'String',
      ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
      ...(value.BinaryValue === undefined ? {} : { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }),
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map((item) => Buffer.from(item).toString('base64')),
    };
  }
  return out;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
