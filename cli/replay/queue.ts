import type {
  ChangeMessageVisibilityCommand,
  SendMessageBatchCommand,
  SendMessageBatchResult,
} from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import type { SqsLike } from '../../lambdas/consumer/index.ts';
import { DEAD_LETTER_ATTRIBUTES } from '../../shared/index.ts';

/** The queue URL replay's in-memory queue answers to. */
export const REPLAY_QUEUE_URL = 'https://sqs.replay.local/000000000000/guardduty-hub-replay';
/** The URL of its dead-letter queue: what the consumer sends a record it gives up on to. */
export const REPLAY_DLQ_URL = 'https://sqs.replay.local/000000000000/guardduty-hub-replay-dlq';
const REPLAY_QUEUE_ARN = 'arn:aws:sqs:replay:000000000000:guardduty-hub-replay';

interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly source: string;
  /** The body parsed, until the first receive hands it over with the record. */
  parsed: object | undefined;
  receiveCount: number;
  visibleAtMs: number;
  receiptHandle: string | undefined;
  /** Visibility asked for with ChangeMessageVisibility during the current receive, in seconds. */
  requestedVisibilitySeconds: number | undefined;
}

/** A `ChangeMessageVisibility` request the queue received. */
export interface VisibilityChange {
  readonly messageId: string;
  readonly seconds: number;
  readonly atMs: number;
}

/** A message in the dead-letter queue. */
export interface DeadLettered {
  readonly messageId: string;
  readonly source: string;
  readonly body: string;
  /** `GuardDutyHub.*` attributes the consumer set (absent when the queue moved it on its own). */
  readonly attributes: Readonly<Record<string, string>>;
}

/** Options of the in-memory queue. */
export interface InMemoryQueueOptions {
  /** Receives before a message is dead-lettered (`queue.maxReceiveCount`). */
  readonly maxReceiveCount: number;
  /** Milliseconds a failed message without a visibility request stays hidden. */
  readonly defaultVisibilityMs: number;
}

/**
 * Just enough of SQS for replay: messages are received in order, hidden while in flight, deleted on
 * success, offered again after their visibility timeout on failure (or the one asked for with
 * `ChangeMessageVisibility`), and dead-lettered after `maxReceiveCount` receives.
 */
export class InMemoryQueue implements SqsLike {
  readonly #messages = new Map<string, QueuedMessage>();
  readonly #byReceipt = new Map<string, QueuedMessage>();
  /** Parsed bodies handed over with records in flight (first receives only), by record; dropped at `settle`. */
  readonly #parsed = new Map<object, object>();
  readonly #options: InMemoryQueueOptions;
  /** Every visibility change asked for. */
  readonly visibilityChanges: VisibilityChange[] = [];
  /**
   * Messages moved to the dead-letter queue: by the consumer (with its `reason` and `kind`) or by
   * the queue after `maxReceiveCount` receives (without them, as SQS does).
   */
  readonly deadLettered: DeadLettered[] = [];
  readonly #now: () => number;
  #receipts = 0;

  constructor(options: InMemoryQueueOptions, now: () => number) {
    this.#options = options;
    this.#now = now;
  }

  /**
   * Adds a message, visible at once. `parsed`: its body already parsed, handed to the consumer with
   * the first receive (see {@link parsedBody}); later receives leave the body to be parsed again.
   */
  enqueue(messageId: string, body: string, source: string, parsed?: object): void {
    this.#messages.set(messageId, {
      messageId,
      body,
      source,
      parsed,
      receiveCount: 0,
      visibleAtMs: 0,
      receiptHandle: undefined,
      requestedVisibilitySeconds: undefined,
    });
  }

  /** Messages neither deleted nor dead-lettered. */
  get size(): number {
    return this.#messages.size;
  }

  /** When the next hidden message becomes visible, or undefined when none is waiting. */
  nextVisibleAtMs(): number | undefined {
    let next: number | undefined;
    for (const message of this.#messages.values())
      if (next === undefined || message.visibleAtMs < next) next = message.visibleAtMs;
    return next;
  }

  /** Receives up to `max` visible messages as SQS records (they are hidden until `settle`). */
  receive(max: number): SQSRecord[] {
    const nowMs = this.#now();
    const receivedAt = String(nowMs);
    const records: SQSRecord[] = [];
    for (const message of this.#messages.values()) {
      if (records.length >= max) break;
      if (message.visibleAtMs > nowMs) continue;
      message.receiveCount += 1;
      message.visibleAtMs = Number.POSITIVE_INFINITY;
      message.requestedVisibilitySeconds = undefined;
      this.#receipts += 1;
      const receiptHandle = `replay-${this.#receipts}`;
      message.receiptHandle = receiptHandle;
      this.#byReceipt.set(receiptHandle, message);
      const record = toRecord(message, receiptHandle, receivedAt);
      if (message.parsed !== undefined) this.#parsed.set(record, message.parsed);
      message.parsed = undefined;
      records.push(record);
    }
    return records;
  }

  /** The parsed body of a record of a first receive not yet settled, else undefined (the consumer parses the body). */
  parsedBody(record: object): object | undefined {
    return this.#parsed.get(record);
  }

  /** Settles a receive: deletes the records not in `failedIds`, hides or dead-letters the others. */
  settle(records: readonly SQSRecord[], failedIds: ReadonlySet<string>): void {
    const nowMs = this.#now();
    for (const record of records) {
      this.#parsed.delete(record);
      const message = this.#messages.get(record.messageId);
      if (!message) continue;
      this.#byReceipt.delete(record.receiptHandle);
      message.receiptHandle = undefined;
      if (!failedIds.has(record.messageId)) {
        this.#messages.delete(record.messageId);
      } else if (message.receiveCount >= this.#options.maxReceiveCount) {
        this.#messages.delete(record.messageId);
        this.deadLettered.push({
          messageId: message.messageId,
          source: message.source,
          body: message.body,
          attributes: {},
        });
      } else {
        const seconds = message.requestedVisibilitySeconds;
        message.visibleAtMs = nowMs + (seconds === undefined ? this.#options.defaultVisibilityMs : seconds * 1000);
      }
    }
  }

  /**
   * `ChangeMessageVisibility` for a message in flight, and `SendMessageBatch` to {@link REPLAY_DLQ_URL}
   * (the consumer moving a record it gives up on; the record itself is then acknowledged).
   */
  async send(command: ChangeMessageVisibilityCommand | SendMessageBatchCommand): Promise<object> {
    if ('Entries' in command.input) return this.#sendToDeadLetterQueue(command.input);
    const { ReceiptHandle, VisibilityTimeout } = command.input;
    const message = ReceiptHandle === undefined ? undefined : this.#byReceipt.get(ReceiptHandle);
    if (!message || VisibilityTimeout === undefined) {
      throw Object.assign(new Error('the receipt handle is not valid for this queue'), {
        name: 'ReceiptHandleIsInvalid',
      });
    }
    message.requestedVisibilitySeconds = VisibilityTimeout;
    this.visibilityChanges.push({ messageId: message.messageId, seconds: VisibilityTimeout, atMs: this.#now() });
    return {};
  }

  #sendToDeadLetterQueue(input: SendMessageBatchCommand['input']): SendMessageBatchResult {
    if (input.QueueUrl !== REPLAY_DLQ_URL) {
      throw Object.assign(new Error(`no such queue: ${input.QueueUrl}`), { name: 'QueueDoesNotExist' });
    }
    const successful: NonNullable<SendMessageBatchResult['Successful']> = [];
    for (const entry of input.Entries ?? []) {
      const attributes = Object.fromEntries(
        Object.entries(entry.MessageAttributes ?? {}).map(([name, value]) => [name, value.StringValue ?? '']),
      );
      const sourceId = attributes[DEAD_LETTER_ATTRIBUTES.sourceMessageId] ?? '';
      const source = this.#messages.get(sourceId)?.source ?? '';
      this.deadLettered.push({ messageId: sourceId, source, body: entry.MessageBody ?? '', attributes });
      successful.push({ Id: entry.Id, MessageId: `dlq-${this.deadLettered.length}`, MD5OfMessageBody: '' });
    }
    return { Successful: successful, Failed: [] };
  }
}

function toRecord(message: QueuedMessage, receiptHandle: string, receivedAt: string): SQSRecord {
  return {
    messageId: message.messageId,
    receiptHandle,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: receivedAt,
      SenderId: 'replay',
      ApproximateFirstReceiveTimestamp: receivedAt,
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: REPLAY_QUEUE_ARN,
    awsRegion: 'replay',
  };
}
