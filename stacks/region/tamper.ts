import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule/index.js';
import { tamperEventPattern, type HubConfig } from '../../shared/index.ts';
import { tamperRuleName } from '../../shared/names.ts';
import type { TargetDeadLetter } from '../target-dlq.ts';
import { hubBusTarget } from './forwarder.ts';

/** Props of {@link TamperRule}. */
export interface TamperRuleProps {
  /** `hub` (names of the hub bus and the forwarder role). */
  readonly config: Pick<HubConfig, 'hub'>;
  /** The region whose default bus this rule reads. */
  readonly region: string;
  /** Where its target dead-letters: the region's forwarder DLQ, which then accepts this rule too. */
  readonly deadLetter: TargetDeadLetter;
}

/**
 * The rule on a region's default bus for GuardDuty API calls that weaken it (CloudTrail management
 * events, `AWS API Call via CloudTrail`, the exact event names of `TAMPER_EVENT_NAMES`), sent to the
 * hub bus the way findings are: same target shape, role, retry policy and DLQ as the forwarder.
 * CloudTrail delivers these events to EventBridge only while a trail records management events
 * (see docs/guarding.md, "Tamper alerts").
 */
export class TamperRule extends Construct {
  /** The tamper rule. */
  readonly rule: CloudwatchEventRule;

  constructor(scope: Construct, id: string, props: TamperRuleProps) {
    super(scope, id);
    const { config, region } = props;

    this.rule = new CloudwatchEventRule(this, 'Rule', {
      name: tamperRuleName(config),
      description: `GuardDuty configuration changes in ${region} (CloudTrail), to the hub bus in ${config.hub.region}`,
      eventBusName: 'default',
      eventPattern: JSON.stringify(tamperEventPattern()),
    });

    hubBusTarget(this, this.rule, config, props.deadLetter);
    props.deadLetter.acceptFrom(this.rule.arn);
  }
}
