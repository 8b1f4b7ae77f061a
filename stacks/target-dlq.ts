import { Construct } from 'constructs';
import { Lazy } from 'cdktf';
import type {
  CloudwatchEventTargetDeadLetterConfig,
  CloudwatchEventTargetRetryPolicy,
} from '@cdktf/provider-aws/lib/cloudwatch-event-target/index.js';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue/index.js';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy/index.js';
import { queueNotEmptyAlarm, thresholdAlarm } from './alarm.ts';
import { daysToSeconds, policyJson } from './common.ts';

/**
 * How long EventBridge keeps retrying a target before the event goes to the target's DLQ: 24 hours
 * and 185 attempts, the maximums (EventBridge's defaults, stated so that a change is a diff).
 */
export const TARGET_RETRY = {
  maximumEventAgeInSeconds: 86_400,
  maximumRetryAttempts: 185,
} as const satisfies CloudwatchEventTargetRetryPolicy;

/** Retention of an EventBridge target's DLQ, in days: 14, the SQS maximum (the events exist nowhere else). */
export const TARGET_DLQ_RETENTION_DAYS = 14;

/** Props of {@link TargetDeadLetter}. */
export interface TargetDeadLetterProps {
  /** SQS queue name (from `names.ts`). */
  readonly queueName: string;
  /** ARN of the rule whose target dead-letters here: the only source EventBridge may send for. */
  readonly ruleArn: string;
  /** Dimensions of the rule's `AWS/Events` metrics: `RuleName`, plus `EventBusName` for a rule on a custom bus. */
  readonly ruleDimensions: Readonly<Record<string, string>>;
  /** Alarm names: `<prefix>…-dlq-not-empty…` and `<prefix>…-dlq-send-failed…`. */
  readonly alarmNames: { readonly notEmpty: string; readonly sendFailed: string };
  /** What the target delivers to, for the alarm descriptions (`the hub queue`). */
  readonly targetLabel: string;
  /** The CLI selector of this DLQ (`hub-rule`, `forwarder-us-east-1`), for the alarm descriptions. */
  readonly cliId: string;
  /** SNS topic in the queue's region that the alarms notify. */
  readonly topicArn: string;
}

/**
 * The dead-letter queue of one EventBridge target, in the rule's region (EventBridge requires it):
 * SSE with SQS-managed keys (EventBridge cannot use the AWS managed `aws/sqs` KMS key), 14 days of
 * retention, a queue policy that lets `events.amazonaws.com` send only on behalf of that rule, an
 * alarm as soon as it holds a message, and an alarm when EventBridge could not even send to it
 * (`InvocationsFailedToBeSentToDlq`: those events are lost).
 */
export class TargetDeadLetter extends Construct {
  /** The DLQ. */
  readonly queue: SqsQueue;
  /** Rules whose targets may dead-letter here (the policy is written at synth, so rules may be added). */
  readonly #ruleArns: string[];

  constructor(scope: Construct, id: string, props: TargetDeadLetterProps) {
    super(scope, id);
    this.queue = new SqsQueue(this, 'Queue', {
      name: props.queueName,
      messageRetentionSeconds: daysToSeconds(TARGET_DLQ_RETENTION_DAYS),
      sqsManagedSseEnabled: true,
    });

    this.#ruleArns = [props.ruleArn];
    const sourceArns = (): string | readonly string[] =>
      this.#ruleArns.length === 1 ? props.ruleArn : [...this.#ruleArns];
    new SqsQueuePolicy(this, 'Policy', {
      queueUrl: this.queue.url,
      policy: Lazy.stringValue({
        produce: () =>
          policyJson([
            {
              Sid: 'RuleDeadLetters',
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: this.queue.arn,
              Condition: { ArnEquals: { 'aws:SourceArn': sourceArns() } },
            },
          ]),
      }),
    });

    const hint = `inspect with guardduty-hub dlq peek --queue ${props.cliId}, send on with guardduty-hub dlq redrive --queue ${props.cliId}`;
    queueNotEmptyAlarm(this, 'NotEmpty', {
      name: props.alarmNames.notEmpty,
      description: `Findings EventBridge could not deliver to ${props.targetLabel} wait in ${props.queueName}; ${hint}`,
      queueName: props.queueName,
      topicArn: props.topicArn,
    });
    thresholdAlarm(this, 'SendFailed', {
      name: props.alarmNames.sendFailed,
      description: `EventBridge could not deliver findings to ${props.targetLabel} nor to the DLQ ${props.queueName}: they are lost; check the DLQ's queue policy`,
      namespace: 'AWS/Events',
      metricName: 'InvocationsFailedToBeSentToDlq',
      dimensions: props.ruleDimensions,
      statistic: 'Sum',
      threshold: 0,
      topicArn: props.topicArn,
    });
  }

  /** Lets another rule of the same region dead-letter here too (the tamper rule shares the forwarder's DLQ). */
  acceptFrom(ruleArn: string): void {
    this.#ruleArns.push(ruleArn);
  }

  /** The target's `dead_letter_config`. */
  get deadLetterConfig(): CloudwatchEventTargetDeadLetterConfig {
    return { arn: this.queue.arn };
  }
}
