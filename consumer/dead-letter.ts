import type { SendMessageBatchRequestEntry, SendMessageBatchResult } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { DEAD_LETTER_ATTRIBUTES, DEAD_LETTER_REASON_MAX_CHARS, type DeadLetterKind } from '../shared/dead-letter.ts';
import type { SqsLike } from './deliver/index.ts';
import type { ConsumerLogger } from './log.ts';

/**
 * The consumer's own move of a record to the hub DLQ, with why: what `dlq peek` shows. A record is
 * moved when retrying cannot help (not a finding event; Slack refused it for good, at the default
 * destination too) or on its last allowed receive. Moved records are acknowledged; a record whose
 * move failed is handed back as usual, so SQS moves it on its own after `maxReceiveCount`.
 */

/** One record to move, and why. */
export interface DeadLetter {
  readonly record: SQSRecord;
  readonly kind: DeadLetterKind;
  /** One line; never a URL or a token. */
  readonly reason: string;
}

/** `SendMessageBatch` takes at most 10 entries. */
const BATCH_ENTRIES = 10;

/**
 * Sends each record's body to `dlqUrl` with the {@link DEAD_LETTER_ATTRIBUTES}; returns the message
 * ids of the records that were moved (the others stay failures). Never throws.
 */
export async function moveToDeadLetterQueue(
  sqs: SqsLike,
  dlqUrl: string,
  letters: readonly DeadLetter[],
  nowMs: number,
  logger: Pick<ConsumerLogger, 'warn'>,
): Promise<Set<string>> {
  const moved = new Set<string>();
  if (letters.length === 0) return moved;
  // Loaded on first use: nothing is dead-lettered in a healthy run.
  const { SendMessageBatchCommand } = await import('@aws-sdk/client-sqs');
  for (let start = 0; start < letters.length; start += BATCH_ENTRIES) {
    const chunk = letters.slice(start, start + BATCH_ENTRIES);
    const entries = chunk.map((letter, index) => entryOf(letter, index, nowMs));
    try {
      const result = (await sqs.send(new SendMessageBatchCommand({ QueueUrl: dlqUrl, Entries: entries }))) as SendMessageBatchResult;
      for (const ok of result.Successful ?? []) {
        const letter = ok.Id === undefined ? undefined : chunk[Number(ok.Id)];
        if (letter) moved.add(letter.record.messageId);
      }
      for (const failed of result.Failed ?? []) {
        const letter = failed.Id === undefined ? undefined : chunk[Number(failed.Id)];
        logger.warn('Could not move a record to the DLQ; it is handed back instead', { messageId: letter?.record.messageId, code: failed.Code });
      }
    } catch (error) {
      logger.warn('Could not move records to the DLQ; they are handed back instead', {
        records: chunk.length,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
    }
  }
  for (const letter of letters) {
    if (moved.has(letter.record.messageId)) {
      logger.warn('Record moved to the DLQ', { messageId: letter.record.messageId, kind: letter.kind, reason: letter.reason });
    }
  }
  return moved;
}

function entryOf(letter: DeadLetter, index: number, nowMs: number): SendMessageBatchRequestEntry {
  const text = (value: string) => ({ DataType: 'String', StringValue: value });
  const reason = letter.reason.replace(/\s+/g, ' ').trim().slice(0, DEAD_LETTER_REASON_MAX_CHARS) || 'no reason given';
  return {
    Id: String(index),
    MessageBody: letter.record.body,
    MessageAttributes: {
      [DEAD_LETTER_ATTRIBUTES.reason]: text(reason),
      [DEAD_LETTER_ATTRIBUTES.kind]: text(letter.kind),
      [DEAD_LETTER_ATTRIBUTES.receiveCount]: text(letter.record.attributes.ApproximateReceiveCount ?? '1'),
      [DEAD_LETTER_ATTRIBUTES.sourceMessageId]: text(letter.record.messageId),
      [DEAD_LETTER_ATTRIBUTES.movedAt]: text(new Date(nowMs).toISOString()),
    },
  };
}
