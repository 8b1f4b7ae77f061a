import { Construct } from 'constructs';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue/index.js';
import { SqsQueueRedriveAllowPolicy } from '@cdktf/provider-aws/lib/sqs-queue-redrive-allow-policy/index.js';
import type { HubConfig } from '../../shared/index.ts';
import { daysToSeconds } from '../common.ts';
import { dlqName, hubQueueName } from '../../shared/names.ts';

/** Props of {@link FindingQueues}. */
export interface FindingQueuesProps {
  /** `queue` settings and `hub.name`. */
  readonly config: Pick<HubConfig, 'hub' | 'queue'>;
}

/**
 * The hub queue and its dead-letter queue. A message moves to the DLQ after `queue.maxReceiveCount`
 * receives; only the hub queue may use the DLQ (`byQueue`). Both are encrypted with SQS-managed keys.
 */
export class FindingQueues extends Construct {
  /** The queue the consumer reads. */
  readonly queue: SqsQueue;
  /** Where messages go after `maxReceiveCount` failed receives. */
  readonly dlq: SqsQueue;

  constructor(scope: Construct, id: string, props: FindingQueuesProps) {
    super(scope, id);
    const { queue } = props.config;

    this.dlq = new SqsQueue(this, 'Dlq', {
      name: dlqName(props.config),
      messageRetentionSeconds: daysToSeconds(queue.dlqRetentionDays),
      sqsManagedSseEnabled: true,
    });

    this.queue = new SqsQueue(this, 'Queue', {
      name: hubQueueName(props.config),
      visibilityTimeoutSeconds: queue.visibilityTimeoutSeconds,
      messageRetentionSeconds: daysToSeconds(queue.retentionDays),
      sqsManagedSseEnabled: true,
      redrivePolicy: JSON.stringify({ deadLetterTargetArn: this.dlq.arn, maxReceiveCount: queue.maxReceiveCount }),
    });

    new SqsQueueRedriveAllowPolicy(this, 'DlqRedriveAllow', {
      queueUrl: this.dlq.url,
      redriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [this.queue.arn] }),
    });
  }
}
