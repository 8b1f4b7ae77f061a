import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule/index.js';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target/index.js';
import { canaryEnabled, lowestThreshold, type HubConfig } from '../../shared/index.ts';
import { alarmTopic, thresholdAlarm } from '../alarm.ts';
import { findingPatternFrom } from '../common.ts';
import {
  alarmNamePrefix,
  alarmTopicArn,
  forwarderDlqId,
  forwarderDlqName,
  forwarderRoleArn,
  forwarderRuleName,
  hubBusArn,
} from '../../shared/names.ts';
import { TARGET_RETRY, TargetDeadLetter } from '../target-dlq.ts';

/**
 * The target that sends a region rule's events to the hub bus, as both region rules do (findings and
 * tamper events): the forwarder role, {@link TARGET_RETRY}, and the region's forwarder DLQ (a rule
 * other than the DLQ's own must also be let in with `deadLetter.acceptFrom`).
 */
export function hubBusTarget(
  scope: Construct,
  rule: CloudwatchEventRule,
  config: Pick<HubConfig, 'hub'>,
  deadLetter: TargetDeadLetter,
): CloudwatchEventTarget {
  return new CloudwatchEventTarget(scope, 'HubBusTarget', {
    rule: rule.name,
    eventBusName: 'default',
    targetId: 'hub-bus',
    arn: hubBusArn(config),
    roleArn: forwarderRoleArn(config),
    retryPolicy: { ...TARGET_RETRY },
    deadLetterConfig: deadLetter.deadLetterConfig,
  });
}

/**
 * The forwarder's event pattern: GuardDuty findings at or above the lowest threshold any account
 * is delivered at, so nothing that some route wants is dropped, and nothing below all of them travels;
 * every S3 object scan result and coverage event (no severity; the consumer decides); and the canary.
 */
export function forwarderPattern(config: Pick<HubConfig, 'accounts' | 'defaults' | 'guard'>): object {
  return findingPatternFrom(
    lowestThreshold(config),
    canaryEnabled(config) ? config.guard.canary.findingType : undefined,
  );
}

/** Props of {@link Forwarder}. */
export interface ForwarderProps {
  /** `hub`, `accounts`, `defaults` and `alarms`. */
  readonly config: Pick<HubConfig, 'hub' | 'accounts' | 'defaults' | 'alarms' | 'guard'>;
  /** The region whose default bus this forwarder reads. */
  readonly region: string;
}

/**
 * The rule on a region's default bus that sends findings to the hub bus (through the forwarder
 * role), the target's dead-letter queue in this region, and alarms on failed deliveries and on the
 * DLQ. The hub resources are named, not referenced, so region stacks deploy independently of the hub stack.
 */
export class Forwarder extends Construct {
  /** The forwarder rule. */
  readonly rule: CloudwatchEventRule;
  /** Where the rule's target puts the events it could not deliver to the hub bus. */
  readonly deadLetter: TargetDeadLetter;

  constructor(scope: Construct, id: string, props: ForwarderProps) {
    super(scope, id);
    const { config, region } = props;

    this.rule = new CloudwatchEventRule(this, 'Rule', {
      name: forwarderRuleName(config),
      description: `GuardDuty findings in ${region}, to the hub bus in ${config.hub.region}`,
      eventBusName: 'default',
      eventPattern: JSON.stringify(forwarderPattern(config)),
    });

    // An alarm notifies topics in its own region only: the hub region uses the hub stack's topic,
    // other regions get a topic of the same name.
    const topicArn =
      region === config.hub.region ? alarmTopicArn(config, region) : alarmTopic(this, 'AlarmTopic', config).arn;
    const prefix = alarmNamePrefix(config);
    const ruleName = forwarderRuleName(config);

    this.deadLetter = new TargetDeadLetter(this, 'DeadLetter', {
      queueName: forwarderDlqName(config),
      ruleArn: this.rule.arn,
      ruleDimensions: { RuleName: ruleName },
      alarmNames: {
        notEmpty: `${prefix}forward-dlq-not-empty-${region}`,
        sendFailed: `${prefix}forward-dlq-send-failed-${region}`,
      },
      targetLabel: `the hub bus in ${config.hub.region}`,
      cliId: forwarderDlqId(region),
      topicArn,
    });

    hubBusTarget(this, this.rule, config, this.deadLetter);

    thresholdAlarm(this, 'FailedInvocations', {
      name: `${prefix}forward-failed-${region}`,
      description: `The forwarder in ${region} could not deliver findings to the hub bus; check the forwarder role and the hub bus`,
      namespace: 'AWS/Events',
      metricName: 'FailedInvocations',
      dimensions: { RuleName: ruleName },
      statistic: 'Sum',
      threshold: 0,
      topicArn,
    });
  }
}
