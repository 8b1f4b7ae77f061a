import { ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { parseRecord } from '../../../lambdas/consumer/index.ts';
import type { DeadLetterQueueKind } from '../../../shared/index.ts';
import { call, queueCounts, type DeadLetterQueueRef } from '../../aws/index.ts';
import { makeVisible } from './visibility.ts';
import { deadLetterCause, describeCause, type DeadLetterCause } from './why.ts';

/** One DLQ message as `dlq peek` shows it. */
export interface PeekedMessage {
  readonly messageId: string;
  /** `ApproximateReceiveCount` (this peek's receive included). */
  readonly receiveCount: number;
  /** When the message was first sent to the hub queue, ISO 8601. */
  readonly sentAt: string | undefined;
  /** True when the body is a GuardDuty finding event the consumer can parse. */
  readonly parsed: boolean;
  readonly findingId: string | undefined;
  readonly accountId: string | undefined;
  readonly region: string | undefined;
  readonly type: string | undefined;
  readonly severity: number | undefined;
  readonly firstSeen: string | undefined;
  readonly lastSeen: string | undefined;
  /** Why it is in the DLQ, in one line (from {@link cause}; an unparseable body says so too). */
  readonly reason: string;
  /** Why it is in the DLQ, as recorded: by the consumer, by EventBridge, or nothing (SQS moved it). */
  readonly cause: DeadLetterCause;
}

/** What `dlq peek` prints for one DLQ. */
export interface PeekReport {
  readonly dlq: {
    /** The `--queue` selector. */
    readonly id: string;
    readonly kind: DeadLetterQueueKind;
    readonly region: string;
    readonly name: string;
    readonly url: string;
  };
  /** Messages the DLQ held when the peek started (`ApproximateNumberOfMessages`). */
  readonly depth: number;
  readonly messages: PeekedMessage[];
}

/** Options of {@link peekDlq}. */
export interface PeekOptions {
  /** Most messages to show (1–100). */
  readonly max: number;
  /**
   * Seconds each message stays hidden while the peek collects distinct messages; every message is
   * made visible again (visibility 0) as soon as the peek ends, so this only bounds the damage if that
   * last call fails. Default 30.
   */
  readonly holdSeconds?: number;
  /** Long-poll wait per receive, in seconds (0–20); long polling sees every SQS server. Default 1. */
  readonly waitTimeSeconds?: number;
}

/** Largest `--max`. */
export const PEEK_MAX = 100;

/**
 * Reads up to `max` messages from the DLQ without deleting any: each receive hides the message for
 * `holdSeconds` so the next receive returns others, and the peek then sets every received message's
 * visibility back to 0. Receiving raises each message's `ApproximateReceiveCount` by one (SQS counts
 * every receive); the DLQ has no redrive policy of its own, so nothing moves because of it.
 */
export async function peekDlq(sqs: SQSClient, dlq: DeadLetterQueueRef, options: PeekOptions): Promise<PeekReport> {
  const depth = queueCounts(dlq).visible;
  const wanted = Math.min(options.max, depth);
  const holdSeconds = options.holdSeconds ?? 30;
  const received = new Map<string, Message>();
  const handles: string[] = [];
  try {
    while (received.size < wanted) {
      const { Messages: batch = [] } = await call('ReceiveMessage', () =>
        sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: dlq.url,
            MaxNumberOfMessages: Math.min(10, wanted - received.size),
            VisibilityTimeout: holdSeconds,
            WaitTimeSeconds: options.waitTimeSeconds ?? 1,
            MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
            MessageAttributeNames: ['All'],
          }),
        ),
      );
      if (batch.length === 0) break;
      for (const message of batch) {
        if (message.ReceiptHandle) handles.push(message.ReceiptHandle);
        if (message.MessageId && !received.has(message.MessageId)) received.set(message.MessageId, message);
      }
    }
  } finally {
    await makeVisible(sqs, dlq.url, handles, holdSeconds);
  }
  const { id, kind, region } = dlq.spec;
  return {
    dlq: { id, kind, region, name: dlq.name, url: dlq.url },
    depth,
    messages: [...received.values()].map((message) => describeMessage(message, kind)),
  };
}

/**
 * What a DLQ message is about and why it is there, from its body (an EventBridge finding event, in
 * every DLQ) and its attributes (see `why.ts`).
 */
export function describeMessage(message: Message, kind: DeadLetterQueueKind = 'hub-queue'): PeekedMessage {
  const sent = Number(message.Attributes?.SentTimestamp);
  const cause = deadLetterCause(message, kind);
  const base = {
    messageId: message.MessageId ?? '?',
    receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 0),
    sentAt: Number.isFinite(sent) && sent > 0 ? new Date(sent).toISOString() : undefined,
    cause,
  };
  const parsed = parseRecord(message.Body ?? '');
  if (!parsed.ok) {
    return {
      ...base,
      parsed: false,
      findingId: undefined,
      accountId: undefined,
      region: undefined,
      type: undefined,
      severity: undefined,
      firstSeen: undefined,
      lastSeen: undefined,
      // The consumer's own reason already says what is wrong with the body.
      reason:
        cause.movedBy === 'consumer'
          ? describeCause(cause)
          : `${describeCause(cause)}; the body is not a finding event: ${parsed.reason}`,
    };
  }
  const { finding } = parsed;
  return {
    ...base,
    parsed: true,
    findingId: finding.id,
    accountId: finding.accountId,
    region: finding.region,
    type: finding.type,
    severity: finding.severity,
    firstSeen: finding.firstSeen,
    lastSeen: finding.lastSeen,
    reason: describeCause(cause),
  };
}
