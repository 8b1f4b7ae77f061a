import type { SendMessageBatchRequestEntry, SendMessageBatchResult } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { DEAD_LETTER_ATTRIBUTES, DEAD_LETTER_REASON_MAX_CHARS, type DeadLetterKind } from '../../shared/dead-letter.ts';
import type { SqsLike } from '../../destinations/slack-webhook/index.ts';
import type { ConsumerLogger } from '../../core/log.ts';

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
 * Bytes of one `SendMessageBatch` call, bodies and attributes together. SQS's limit on the sum is
 * the message size limit (1 MiB now, 256 KiB on queues that kept the old maximum); the lower one
 * holds everywhere. EventBridge events are at most 256 KB, so ten invalid records can exceed it.
 */
const BATCH_BYTES = 256 * 1024;

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
  for (const batch of batchesOf(letters.map((letter) => ({ letter, entry: entryOf(letter, nowMs) })))) {
    const chunk = batch.map(({ letter }) => letter);
    const entries = batch.map(({ entry }, index) => ({ ...entry, Id: String(index) }));
    try {
      const result = (await sqs.send(
        new SendMessageBatchCommand({ QueueUrl: dlqUrl, Entries: entries }),
      )) as SendMessageBatchResult;
      for (const ok of result.Successful ?? []) {
        const letter = ok.Id === undefined ? undefined : chunk[Number(ok.Id)];
        if (letter) moved.add(letter.record.messageId);
      }
      for (const failed of result.Failed ?? []) {
        const letter = failed.Id === undefined ? undefined : chunk[Number(failed.Id)];
        logger.warn('Could not move a record to the DLQ; it is handed back instead', {
          messageId: letter?.record.messageId,
          code: failed.Code,
        });
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
      logger.warn('Record moved to the DLQ', {
        messageId: letter.record.messageId,
        kind: letter.kind,
        reason: letter.reason,
      });
    }
  }
  return moved;
}

/** Characters SQS refuses in message text: outside #x9, #xA, #xD, #x20–#xD7FF, #xE000–#xFFFD, #x10000–#x10FFFF. */
const NOT_SQS_TEXT = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/**
 * A reason as an attribute SQS takes: on one line, a character SQS refuses (a control character, half
 * of a surrogate pair, which a reason quoting a finding can carry) replaced by U+FFFD, cut between
 * code points to {@link DEAD_LETTER_REASON_MAX_CHARS}.
 */
export function reasonAttribute(reason: string): string {
  const clean = reason.replace(/\s+/g, ' ').trim().replace(NOT_SQS_TEXT, '\uFFFD');
  let cut = '';
  for (const char of clean) {
    if (cut.length + char.length > DEAD_LETTER_REASON_MAX_CHARS) break;
    cut += char;
  }
  return cut || 'no reason given';
}

/** A letter and its entry, without the `Id` (its place in the call it goes in). */
interface Outgoing {
  readonly letter: DeadLetter;
  readonly entry: Omit<SendMessageBatchRequestEntry, 'Id'>;
}

/** The letters in calls of at most {@link BATCH_ENTRIES} entries and {@link BATCH_BYTES} bytes (a larger letter goes alone). */
function batchesOf(outgoing: readonly Outgoing[]): Outgoing[][] {
  const batches: Outgoing[][] = [];
  let current: Outgoing[] = [];
  let bytes = 0;
  for (const item of outgoing) {
    const size = entryBytes(item.entry);
    if (current.length > 0 && (current.length === BATCH_ENTRIES || bytes + size > BATCH_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** What SQS counts of an entry: the body and each attribute's name, type and value, in UTF-8. */
function entryBytes(entry: Outgoing['entry']): number {
  let bytes = Buffer.byteLength(entry.MessageBody ?? '');
  for (const [name, value] of Object.entries(entry.MessageAttributes ?? {})) {
    bytes +=
      Buffer.byteLength(name) + Buffer.byteLength(value.DataType ?? '') + Buffer.byteLength(value.StringValue ?? '');
  }
  return bytes;
}

function entryOf(letter: DeadLetter, nowMs: number): Outgoing['entry'] {
  const text = (value: string) => ({ DataType: 'String', StringValue: value });
  const reason = reasonAttribute(letter.reason);
  return {
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
