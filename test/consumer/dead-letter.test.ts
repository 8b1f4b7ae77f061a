import { randomUUID } from 'node:crypto';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, inject, it } from 'vitest';
import { moveToDeadLetterQueue, reasonAttribute, type DeadLetter } from '../../lambdas/consumer/dead-letter.ts';
import { SILENT_LOGGER } from '../../lambdas/consumer/index.ts';
import { DEAD_LETTER_REASON_MAX_CHARS } from '../../shared/index.ts';
import { makeSqsRecord } from '../factories/index.ts';
import { localClientConfig } from '../support/aws.ts';
import { SQS_TEXT } from '../support/mutate.ts';

/**
 * The reason attribute of a dead letter: a reason quoting a finding's text must hold only what SQS
 * accepts ({@link SQS_TEXT}), or the move fails and the record is handed back instead of dead-lettered.
 */

describe('reasonAttribute', () => {
  it('puts the reason on one line', () => {
    expect(reasonAttribute('  detail.id\n\tis missing  ')).toBe('detail.id is missing');
  });

  it('replaces control characters, halves of surrogate pairs and U+FFFE with U+FFFD, and keeps whole emoji', () => {
    const reason = reasonAttribute('bad \u0000 \u0007 \uFFFE \uD83D x \uDE00 ok 😀');

    expect(reason).toBe('bad \uFFFD \uFFFD \uFFFD \uFFFD x \uFFFD ok 😀');
    expect(reason).toMatch(SQS_TEXT);
  });

  it(`cuts to ${DEAD_LETTER_REASON_MAX_CHARS} characters between code points, never inside an emoji`, () => {
    const reason = reasonAttribute(`x${'😀'.repeat(DEAD_LETTER_REASON_MAX_CHARS)}`);

    expect(reason.length).toBe(DEAD_LETTER_REASON_MAX_CHARS - 1);
    expect(reason).toMatch(SQS_TEXT);
  });

  it('says so when there is no reason', () => {
    expect(reasonAttribute(' \n ')).toBe('no reason given');
  });
});

describe('moveToDeadLetterQueue (moto)', () => {
  const sqs = new SQSClient(localClientConfig(inject('motoEndpoint'), 'us-east-1'));

  async function movedInto(letters: readonly DeadLetter[]) {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `dlq-${randomUUID()}` }));
    const calls: number[] = [];
    const counting = {
      send: (command: { input: { Entries?: unknown[] } }) => {
        calls.push(command.input.Entries?.length ?? 0);
        return sqs.send(command as never);
      },
    };
    const moved = await moveToDeadLetterQueue(counting as never, QueueUrl!, letters, Date.now(), SILENT_LOGGER);
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    return { moved: moved.size, queued: Number(Attributes?.ApproximateNumberOfMessages), calls };
  }

  const letter = (i: number, bytes: number): DeadLetter => ({
    record: makeSqsRecord('x'.repeat(bytes), { messageId: `m-${i}` }),
    kind: 'invalid',
    reason: `record ${i} is not a finding event`,
  });

  it('moves ten records of 200 KB, which no single SendMessageBatch can carry (moto refuses a batch over 1 MiB)', async () => {
    const result = await movedInto(Array.from({ length: 10 }, (_, i) => letter(i, 200_000)));

    expect(result).toEqual({ moved: 10, queued: 10, calls: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1] });
  });

  it('puts small records ten to a call', async () => {
    const result = await movedInto(Array.from({ length: 12 }, (_, i) => letter(i, 100)));

    expect(result).toEqual({ moved: 12, queued: 12, calls: [10, 2] });
  });
});
