import type { Message } from '@aws-sdk/client-sqs';
import { DEAD_LETTER_ATTRIBUTES, DEAD_LETTER_KINDS, type DeadLetterKind } from '../../../shared/dead-letter.ts';
import type { DeadLetterQueueKind } from '../../../shared/index.ts';

/**
 * Why a message sits in a DLQ, from its message attributes: what the consumer recorded when it moved
 * a record to the hub DLQ itself (`shared/dead-letter.ts`), nothing when SQS moved it, or what
 * EventBridge records on every event it dead-letters from a target.
 */

/**
 * The String attributes EventBridge sets on each event it sends to a target's DLQ (EventBridge User
 * Guide, "Using dead-letter queues to process undelivered events").
 */
export const EVENTBRIDGE_DLQ_ATTRIBUTES = {
  ruleArn: 'RULE_ARN',
  targetArn: 'TARGET_ARN',
  /** e.g. `CONNECTION_FAILURE`, `NO_PERMISSIONS`, `RESOURCE_NOT_FOUND`, `SDK_CLIENT_ERROR`, `THROTTLING`. */
  errorCode: 'ERROR_CODE',
  errorMessage: 'ERROR_MESSAGE',
  /** `MaximumRetryAttempts` or `MaximumEventAgeInSeconds`, when retries ran out. */
  exhaustedRetryCondition: 'EXHAUSTED_RETRY_CONDITION',
  retryAttempts: 'RETRY_ATTEMPTS',
} as const;

/** The consumer gave up on the record and moved it, with its reason. */
export interface ConsumerDeadLetter {
  readonly movedBy: 'consumer';
  readonly kind: DeadLetterKind | 'unknown';
  readonly reason: string;
  /** The record's `ApproximateReceiveCount` in the hub queue when it was moved. */
  readonly receiveCount: number | undefined;
  readonly sourceMessageId: string | undefined;
  /** ISO 8601. */
  readonly movedAt: string | undefined;
}

/** SQS moved the record after `maxReceiveCount` receives: the consumer recorded nothing. */
export interface SqsDeadLetter {
  readonly movedBy: 'sqs';
}

/** EventBridge could not deliver the event to the rule's target. */
export interface EventBridgeDeadLetter {
  readonly movedBy: 'eventbridge';
  readonly ruleArn: string | undefined;
  readonly targetArn: string | undefined;
  readonly errorCode: string | undefined;
  readonly errorMessage: string | undefined;
  readonly exhaustedRetryCondition: string | undefined;
  readonly retryAttempts: number | undefined;
}

/** Why a message is in a DLQ. */
export type DeadLetterCause = ConsumerDeadLetter | SqsDeadLetter | EventBridgeDeadLetter;

/** What `dlq peek` says of a hub DLQ record that SQS moved. */
export const NO_REASON_RECORDED =
  "no reason recorded: SQS moved it after maxReceiveCount receives (the consumer crashed or timed out on its last receive); see the consumer's logs";

/** Reads the cause from a message of a DLQ of `kind`. */
export function deadLetterCause(message: Message, kind: DeadLetterQueueKind): DeadLetterCause {
  const attribute = (name: string): string | undefined => message.MessageAttributes?.[name]?.StringValue;
  const count = (name: string): number | undefined => {
    const value = Number(attribute(name));
    return attribute(name) === undefined || !Number.isFinite(value) ? undefined : value;
  };
  if (kind !== 'hub-queue') {
    const names = EVENTBRIDGE_DLQ_ATTRIBUTES;
    return {
      movedBy: 'eventbridge',
      ruleArn: attribute(names.ruleArn),
      targetArn: attribute(names.targetArn),
      errorCode: attribute(names.errorCode),
      errorMessage: attribute(names.errorMessage),
      exhaustedRetryCondition: attribute(names.exhaustedRetryCondition),
      retryAttempts: count(names.retryAttempts),
    };
  }
  const reason = attribute(DEAD_LETTER_ATTRIBUTES.reason);
  if (reason === undefined) return { movedBy: 'sqs' };
  const kindValue = attribute(DEAD_LETTER_ATTRIBUTES.kind);
  return {
    movedBy: 'consumer',
    kind: (DEAD_LETTER_KINDS as readonly string[]).includes(kindValue ?? '')
      ? (kindValue as DeadLetterKind)
      : 'unknown',
    reason,
    receiveCount: count(DEAD_LETTER_ATTRIBUTES.receiveCount),
    sourceMessageId: attribute(DEAD_LETTER_ATTRIBUTES.sourceMessageId),
    movedAt: attribute(DEAD_LETTER_ATTRIBUTES.movedAt),
  };
}

/** The cause in one line, for the `why` column. */
export function describeCause(cause: DeadLetterCause): string {
  switch (cause.movedBy) {
    case 'sqs':
      return NO_REASON_RECORDED;
    case 'consumer': {
      const receives =
        cause.receiveCount === undefined
          ? ''
          : ` after ${cause.receiveCount} receive${cause.receiveCount === 1 ? '' : 's'}`;
      const when = cause.movedAt === undefined ? '' : `, moved ${cause.movedAt}`;
      return `${cause.kind}${receives}${when}: ${cause.reason}`;
    }
    case 'eventbridge': {
      if (cause.errorCode === undefined && cause.errorMessage === undefined)
        return 'no EventBridge error attributes (was it sent by EventBridge?)';
      const retries =
        cause.exhaustedRetryCondition === undefined
          ? ''
          : ` (retries exhausted: ${cause.exhaustedRetryCondition}, ${cause.retryAttempts ?? '?'} attempts)`;
      const target = cause.targetArn === undefined ? '' : ` delivering to ${cause.targetArn}`;
      return `${cause.errorCode ?? 'error'}: ${cause.errorMessage ?? 'no message'}${target}${retries}`;
    }
  }
}
