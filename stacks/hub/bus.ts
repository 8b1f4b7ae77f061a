import { Construct } from 'constructs';
import { CloudwatchEventBus } from '@cdktf/provider-aws/lib/cloudwatch-event-bus/index.js';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule/index.js';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import type { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue/index.js';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy/index.js';
import type { HubConfig } from '../../shared/index.ts';
import { HUB_EVENT_PATTERN, policyJson, serviceTrustPolicy } from '../common.ts';
import {
  DLQ_IDS,
  alarmNamePrefix,
  forwarderRoleName,
  hubBusName,
  hubRuleDlqName,
  hubRuleName,
} from '../../shared/names.ts';
import { TARGET_RETRY, TargetDeadLetter } from '../target-dlq.ts';

/** Props of {@link HubBus}. */
export interface HubBusProps {
  /** `hub` settings. */
  readonly config: Pick<HubConfig, 'hub'>;
  /** The queue that the hub rule delivers to. */
  readonly queue: SqsQueue;
  /** The hub region's alarm topic, for the alarms on the rule target's DLQ. */
  readonly alarmTopicArn: string;
}

/**
 * The hub event bus that every region forwards findings to, the rule that delivers them to the hub
 * queue (retrying, then dead-lettering into its own DLQ), the queue policy that lets only that rule
 * send, and the role forwarders use to put events.
 */
export class HubBus extends Construct {
  /** The hub bus. */
  readonly bus: CloudwatchEventBus;
  /** The rule on the hub bus that targets the queue. */
  readonly rule: CloudwatchEventRule;
  /** Where the rule's target puts the events it could not deliver to the hub queue. */
  readonly deadLetter: TargetDeadLetter;
  /** The role that forwarder rules in every region assume. */
  readonly forwarderRole: IamRole;

  constructor(scope: Construct, id: string, props: HubBusProps) {
    super(scope, id);
    const { config, queue } = props;

    this.bus = new CloudwatchEventBus(this, 'Bus', { name: hubBusName(config) });

    this.rule = new CloudwatchEventRule(this, 'Rule', {
      name: hubRuleName(config),
      description: 'GuardDuty findings and configuration changes forwarded from every region, to the hub queue',
      eventBusName: this.bus.name,
      eventPattern: JSON.stringify(HUB_EVENT_PATTERN),
    });

    const prefix = alarmNamePrefix(config);
    this.deadLetter = new TargetDeadLetter(this, 'DeadLetter', {
      queueName: hubRuleDlqName(config),
      ruleArn: this.rule.arn,
      // Metrics of a rule on a custom bus carry both dimensions.
      ruleDimensions: { EventBusName: hubBusName(config), RuleName: hubRuleName(config) },
      alarmNames: { notEmpty: `${prefix}hub-rule-dlq-not-empty`, sendFailed: `${prefix}hub-rule-dlq-send-failed` },
      targetLabel: 'the hub queue',
      cliId: DLQ_IDS.hubRule,
      topicArn: props.alarmTopicArn,
    });

    // No role on an SQS target: the queue policy below grants the rule itself.
    new CloudwatchEventTarget(this, 'QueueTarget', {
      rule: this.rule.name,
      eventBusName: this.bus.name,
      targetId: 'hub-queue',
      arn: queue.arn,
      retryPolicy: { ...TARGET_RETRY },
      deadLetterConfig: this.deadLetter.deadLetterConfig,
    });

    new SqsQueuePolicy(this, 'QueuePolicy', {
      queueUrl: queue.url,
      policy: policyJson([
        {
          Sid: 'HubRuleSendsFindings',
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: queue.arn,
          Condition: { ArnEquals: { 'aws:SourceArn': this.rule.arn } },
        },
      ]),
    });

    this.forwarderRole = forwarderRole(this, config, this.bus);
  }
}

/** The role that forwarder rules in every region assume to put findings on the hub bus. */
function forwarderRole(scope: Construct, config: HubBusProps['config'], bus: CloudwatchEventBus): IamRole {
  const role = new IamRole(scope, 'ForwarderRole', {
    name: forwarderRoleName(config),
    description: 'Assumed by the forwarder rule in every region to put GuardDuty findings on the hub bus',
    assumeRolePolicy: serviceTrustPolicy('events.amazonaws.com', config.hub.account),
  });
  new IamRolePolicy(scope, 'ForwarderPolicy', {
    name: 'put-events-on-hub-bus',
    role: role.name,
    policy: policyJson([{ Effect: 'Allow', Action: 'events:PutEvents', Resource: bus.arn }]),
  });
  return role;
}
