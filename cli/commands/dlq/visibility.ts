import { ChangeMessageVisibilityBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { call } from '../../aws/index.ts';
import { AwsCallError } from '../../errors.ts';

/**
 * Makes received messages visible again at once (visibility 0), 10 per call. Throws
 * {@link AwsCallError} when SQS refuses some: they then stay hidden until `holdSeconds` pass.
 */
export async function makeVisible(
  sqs: SQSClient,
  queueUrl: string,
  handles: readonly string[],
  holdSeconds: number,
): Promise<void> {
  for (let start = 0; start < handles.length; start += 10) {
    const entries = handles
      .slice(start, start + 10)
      .map((handle, i) => ({ Id: `m${start + i}`, ReceiptHandle: handle, VisibilityTimeout: 0 }));
    const result = await call('ChangeMessageVisibilityBatch', () =>
      sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: queueUrl, Entries: entries })),
    );
    const failures = result.Failed ?? [];
    if (failures.length > 0) {
      throw new AwsCallError(
        'ChangeMessageVisibilityBatch',
        `${failures.length} message(s) stay hidden in the DLQ for up to ${holdSeconds} s (${failures[0]?.Code ?? 'unknown'}: ${failures[0]?.Message ?? ''})`,
      );
    }
  }
}
