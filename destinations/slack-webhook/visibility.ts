import type { ChangeMessageVisibilityCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { ConsumerLogger } from '../../core/log.ts';
import pLimit from 'p-limit';

/**
 * The part of an SQS client the consumer uses (an `SQSClient`, or replay's in-memory queue):
 * `ChangeMessageVisibility` on the hub queue, `SendMessageBatch` to the DLQ.
 */
export interface SqsLike {
  send(command: ChangeMessageVisibilityCommand | SendMessageBatchCommand): Promise<unknown>;
}

/** Bounds of a visibility request, in seconds: at least a few seconds, at most SQS's 12 hours. */
export const VISIBILITY_BOUNDS = { minSeconds: 5, maxSeconds: 43_200 } as const;

/** Seconds from `nowMs` until `retryAtMs`, rounded up and kept within `VISIBILITY_BOUNDS`. */
export function visibilitySeconds(
  retryAtMs: number,
  nowMs: number,
  minSeconds: number = VISIBILITY_BOUNDS.minSeconds,
): number {
  const seconds = Math.ceil((retryAtMs - nowMs) / 1000);
  return Math.min(VISIBILITY_BOUNDS.maxSeconds, Math.max(minSeconds, seconds));
}

/** The queue URL of an SQS queue ARN (`arn:aws:sqs:REGION:ACCOUNT:NAME`), or undefined. */
export function queueUrlFromArn(arn: string | undefined): string | undefined {
  const parts = arn?.split(':');
  if (parts?.length !== 6 || parts[2] !== 'sqs') return undefined;
  const [, partition, , region, account, name] = parts;
  const domain = partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://sqs.${region}.${domain}/${account}/${name}`;
}

/** One record to keep invisible for a while. */
export interface VisibilityRequest {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly seconds: number;
}

/**
 * Asks SQS to offer each record again after its `seconds` (`ChangeMessageVisibility`). A failure is
 * logged and otherwise ignored: the record then comes back after the queue's own visibility timeout.
 * Returns how many requests succeeded.
 */
export async function requestVisibility(
  sqs: SqsLike,
  queueUrl: string,
  requests: readonly VisibilityRequest[],
  logger: Pick<ConsumerLogger, 'warn'>,
): Promise<number> {
  if (requests.length === 0) return 0;
  // Loaded on first use: the SDK module is only needed when something is deferred.
  const { ChangeMessageVisibilityCommand } = await import('@aws-sdk/client-sqs');
  const limit = pLimit(10);
  const results = await Promise.all(
    requests.map((request) =>
      limit(async () => {
        try {
          await sqs.send(
            new ChangeMessageVisibilityCommand({
              QueueUrl: queueUrl,
              ReceiptHandle: request.receiptHandle,
              VisibilityTimeout: request.seconds,
            }),
          );
          return true;
        } catch (error) {
          logger.warn('ChangeMessageVisibility failed; the record returns after the queue visibility timeout', {
            messageId: request.messageId,
            visibilityTimeoutSeconds: request.seconds,
            error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
          });
          return false;
        }
      }),
    ),
  );
  return results.filter(Boolean).length;
}
