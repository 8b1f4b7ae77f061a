import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { parseRecord } from '../../../lambdas/consumer/index.ts';
import { call, describeAwsError, queueCounts, type DeadLetterQueueRef, type QueueRef } from '../../aws/index.ts';
import type { OutputStream } from '../../output/index.ts';
import { makeVisible } from './visibility.ts';

/**
 * `dlq redrive` for an EventBridge target's DLQ (the hub rule's or a forwarder's). What waits there
 * is the EventBridge event itself, never a hub-queue record, and SQS's message move tasks only redrive
 * DLQs of SQS queues, so each event is sent on by hand to where it was going, the hub queue:
 *
 * - hub rule DLQ: the rule's SQS target delivers the event JSON as the message body, with no message
 *   attributes; `SendMessage` of the body unchanged is exactly what the target would have delivered.
 * - forwarder DLQ: the event was on its way to the hub bus, whose only rule delivers it to the hub
 *   queue. Putting it back on the hub bus is not possible faithfully: `PutEvents` from a client may
 *   not use a `source` starting with `aws.` (reserved for AWS services: the entry fails with
 *   `NotAuthorizedForSourceException`), and it would give the event a new id, time and region. So the
 *   event goes straight to the hub queue, as the hub rule would have put it there; the body must be a
 *   GuardDuty finding event (what the hub rule's pattern matches), else it stays in the DLQ.
 *
 * Each message is deleted from the DLQ only after the hub queue accepted it, so a failure between the
 * two leaves a copy in both (the consumer folds the repeat), never none.
 */

/** One message that was not sent on (or sent on but not deleted), and why. */
export interface ForwardFailure {
  readonly messageId: string;
  readonly reason: string;
  /** True when the hub queue has it but it could not be deleted from the DLQ (it would be sent again). */
  readonly sent: boolean;
}

/** Outcome of sending an EventBridge DLQ's events on to the hub queue. */
export interface ForwardResult {
  readonly outcome: 'nothing-to-redrive' | 'forwarded';
  readonly dlq: { readonly id: string; readonly name: string; readonly region: string };
  /** The hub queue's name. */
  readonly destination: string;
  /** Visible messages when the redrive started. */
  readonly toMove: number;
  /** Messages the hub queue accepted and the DLQ no longer holds. */
  readonly moved: number;
  readonly failed: number;
  readonly failures: ForwardFailure[];
}

/** Options of {@link forwardEvents}. */
export interface ForwardOptions {
  /** Most messages sent per second; as fast as SQS answers when absent. */
  readonly ratePerSecond: number | undefined;
  /** Seconds a received message stays hidden while it is handled; failures are made visible again at the end. Default 120. */
  readonly holdSeconds?: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Where progress goes (stderr): one rewritten line on a terminal, one line per batch otherwise. */
  readonly progress: OutputStream;
}

/** Receives the DLQ's events in batches of 10, sends each to the hub queue, and deletes what was sent. */
export async function forwardEvents(
  dlqSqs: SQSClient,
  dlq: DeadLetterQueueRef,
  hubSqs: SQSClient,
  hub: QueueRef,
  options: ForwardOptions,
): Promise<ForwardResult> {
  const toMove = queueCounts(dlq).visible;
  const summary = { dlq: { id: dlq.spec.id, name: dlq.name, region: dlq.spec.region }, destination: hub.name, toMove };
  if (toMove === 0) return { outcome: 'nothing-to-redrive', ...summary, moved: 0, failed: 0, failures: [] };
  const holdSeconds = options.holdSeconds ?? 120;
  const seen = new Set<string>();
  const keep: string[] = [];
  const failures: ForwardFailure[] = [];
  let moved = 0;
  const tty = options.progress.isTTY === true;
  try {
    for (;;) {
      const fresh = (await receive(dlqSqs, dlq.url, holdSeconds)).filter((m) => !seen.has(m.MessageId ?? ''));
      if (fresh.length === 0) break;
      const started = Date.now();
      const done: Message[] = [];
      for (const message of fresh) {
        seen.add(message.MessageId ?? '');
        const problem = await sendOn(hubSqs, hub.url, message);
        if (problem === undefined) done.push(message);
        else {
          failures.push({ messageId: message.MessageId ?? '?', reason: problem, sent: false });
          keep.push(message.ReceiptHandle ?? '');
        }
      }
      const notDeleted = await deleteSent(dlqSqs, dlq.url, done);
      failures.push(...notDeleted);
      moved += done.length - notDeleted.length;
      const line = `moved ${moved} / ${toMove}${failures.length > 0 ? `, ${failures.length} failed` : ''} (${dlq.spec.id})`;
      options.progress.write(tty ? `\r${line}\u001b[K` : `${line}\n`);
      if (options.ratePerSecond !== undefined)
        await options.sleep(Math.max(0, (fresh.length / options.ratePerSecond) * 1000 - (Date.now() - started)));
    }
  } finally {
    if (tty) options.progress.write('\n');
    await makeVisible(dlqSqs, dlq.url, keep, holdSeconds);
  }
  return { outcome: 'forwarded', ...summary, moved, failed: failures.length, failures };
}

async function receive(sqs: SQSClient, url: string, holdSeconds: number): Promise<Message[]> {
  const { Messages: messages = [] } = await call('ReceiveMessage', () =>
    sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: holdSeconds,
        WaitTimeSeconds: 1,
      }),
    ),
  );
  return messages;
}

/** Sends one event to the hub queue as the hub rule's target would (body unchanged, no attributes); the problem, if any. */
async function sendOn(sqs: SQSClient, hubUrl: string, message: Message): Promise<string | undefined> {
  const body = message.Body ?? '';
  const parsed = parseRecord(body);
  if (!parsed.ok) return `not a GuardDuty finding event (${parsed.reason}); left in the DLQ`;
  try {
    await sqs.send(new SendMessageCommand({ QueueUrl: hubUrl, MessageBody: body }));
    return undefined;
  } catch (error) {
    return `SendMessage to the hub queue failed: ${describeAwsError(error)}; left in the DLQ`;
  }
}

/** Deletes what the hub queue accepted; returns the ones that could not be deleted. */
async function deleteSent(sqs: SQSClient, url: string, sent: readonly Message[]): Promise<ForwardFailure[]> {
  if (sent.length === 0) return [];
  const entries = sent.map((m, i) => ({ Id: `m${i}`, ReceiptHandle: m.ReceiptHandle ?? '' }));
  const reasonFor = (detail: string) =>
    `sent to the hub queue, but DeleteMessage failed (${detail}): it stays in the DLQ and a later redrive sends it again`;
  try {
    const result = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: entries }));
    return (result.Failed ?? []).map((f) => ({
      messageId: sent[Number(f.Id?.slice(1))]?.MessageId ?? '?',
      reason: reasonFor(f.Code ?? 'unknown'),
      sent: true,
    }));
  } catch (error) {
    return sent.map((m) => ({ messageId: m.MessageId ?? '?', reason: reasonFor(describeAwsError(error)), sent: true }));
  }
}
