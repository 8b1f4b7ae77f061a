import { partitionOf } from './regions.ts';
import type { HubConfig } from './config/index.ts';

/**
 * Every resource name and ARN the stacks and the CLI agree on, defined once. Names derive from
 * `hub.name`; ARNs from `hub.account`, a region (the hub region unless given) and that region's
 * partition. Nothing here reads the environment or calls AWS.
 */

/** The part of the config that names depend on. */
export type NamingConfig = Pick<HubConfig, 'hub'>;

/** Event bus in the hub region that every region forwards findings to. */
export const hubBusName = (config: NamingConfig): string => `${config.hub.name}-hub`;

/** Rule on the hub bus that delivers findings to the hub queue. */
export const hubRuleName = (config: NamingConfig): string => `${config.hub.name}-to-queue`;

/** SQS queue the consumer reads findings from. */
export const hubQueueName = (config: NamingConfig): string => `${config.hub.name}-findings`;

/** Dead-letter queue of the hub queue. */
export const dlqName = (config: NamingConfig): string => `${config.hub.name}-findings-dlq`;

/** Dead-letter queue of the hub rule's SQS target (events the rule could not put in the hub queue), in the hub region. */
export const hubRuleDlqName = (config: NamingConfig): string => `${config.hub.name}-to-queue-dlq`;

/** Dead-letter queue of each region's forwarder target (events it could not put on the hub bus), in that region. */
export const forwarderDlqName = (config: NamingConfig): string => `${config.hub.name}-forward-dlq`;

/** The consumer Lambda function. */
export const functionName = (config: NamingConfig): string => `${config.hub.name}-consumer`;

/** The consumer's execution role. */
export const consumerRoleName = (config: NamingConfig): string => `${config.hub.name}-consumer`;

/** The consumer's CloudWatch log group (the name Lambda logs to). */
export const consumerLogGroupName = (config: NamingConfig): string => `/aws/lambda/${functionName(config)}`;

/** Role that forwarder rules assume to put events on the hub bus. */
export const forwarderRoleName = (config: NamingConfig): string => `${config.hub.name}-forwarder`;

/** Rule on each region's default bus that forwards findings to the hub bus. */
export const forwarderRuleName = (config: NamingConfig): string => `${config.hub.name}-forward`;

/** Rule on each region's default bus that forwards GuardDuty configuration changes (CloudTrail) to the hub bus. */
export const tamperRuleName = (config: NamingConfig): string => `${config.hub.name}-tamper`;

/** The scheduled drift check (a second function over the consumer bundle), its role and log group. */
export const driftFunctionName = (config: NamingConfig): string => `${config.hub.name}-drift`;

/** The EventBridge Scheduler schedule that runs the drift check, and the role it invokes it with. */
export const driftScheduleName = (config: NamingConfig): string => `${config.hub.name}-drift-check`;

/** The triage function (Slack interactivity: the function URL's front and its asynchronous worker), its role and log group. */
export const triageFunctionName = (config: NamingConfig): string => `${config.hub.name}-triage`;

/** DynamoDB table that remembers delivered findings, for repeat suppression. */
export const stateTableName = (config: NamingConfig): string => `${config.hub.name}-finding-state`;

/**
 * The state table's sparse global secondary index of notified GuardDuty findings: partition key
 * `findingType` (S), sort key `notifiedAt` (N, epoch ms), on the records of findings only. "Suppress
 * like this" counts the findings its filter would have matched with one Query on it.
 */
export const FINDING_HISTORY_INDEX = { name: 'by-type', hashKey: 'findingType', rangeKey: 'notifiedAt' } as const;

/** SNS topic that alarms notify; one per region (CloudWatch alarms notify topics in their own region only). */
export const alarmTopicName = (config: NamingConfig): string => `${config.hub.name}-alarms`;

/** CloudWatch dashboard of the hub. */
export const dashboardName = (config: NamingConfig): string => config.hub.name;

/** Prefix of every alarm name, so that the CLI can list them. */
export const alarmNamePrefix = (config: NamingConfig): string => `${config.hub.name}-`;

/** `arn:<partition>:<service>:<region>:<hub account>:<resource>`; IAM ARNs leave the region out. */
function hubArn(config: NamingConfig, service: string, resource: string, region: string = config.hub.region): string {
  return `arn:${partitionOf(region)}:${service}:${service === 'iam' ? '' : region}:${config.hub.account}:${resource}`;
}

/** ARN of the hub event bus. */
export const hubBusArn = (config: NamingConfig): string => hubArn(config, 'events', `event-bus/${hubBusName(config)}`);

/** ARN of the hub rule (a rule on a custom bus: `rule/<bus>/<rule>`). */
export const hubRuleArn = (config: NamingConfig): string =>
  hubArn(config, 'events', `rule/${hubBusName(config)}/${hubRuleName(config)}`);

/** ARN of the forwarder rule in `region` (a rule on the default bus: `rule/<rule>`). */
export const forwarderRuleArn = (config: NamingConfig, region: string): string =>
  hubArn(config, 'events', `rule/${forwarderRuleName(config)}`, region);

/** ARN of the SQS queue `name` in `region` (the hub region by default). */
export const queueArn = (config: NamingConfig, name: string, region: string = config.hub.region): string =>
  hubArn(config, 'sqs', name, region);

/** ARN of the consumer function. */
export const functionArn = (config: NamingConfig): string =>
  hubArn(config, 'lambda', `function:${functionName(config)}`);

/** ARN of the triage function (it invokes itself asynchronously for the slow work). */
export const triageFunctionArn = (config: NamingConfig): string =>
  hubArn(config, 'lambda', `function:${triageFunctionName(config)}`);

/** ARN of the triage function's role: the principal behind its GuardDuty calls, quiet in tamper alerts. */
export const triageRoleArn = (config: NamingConfig): string =>
  hubArn(config, 'iam', `role/${triageFunctionName(config)}`);

/** ARN of the drift check's role: with `triage:`, it deletes expired Slack-made filters (quiet in tamper alerts). */
export const driftRoleArn = (config: NamingConfig): string =>
  hubArn(config, 'iam', `role/${driftFunctionName(config)}`);

/** ARN of the forwarder role (IAM is global: no region; the partition is the hub region's). */
export const forwarderRoleArn = (config: NamingConfig): string =>
  hubArn(config, 'iam', `role/${forwarderRoleName(config)}`);

/** ARN of the alarm topic in `region` (the hub region by default). */
export const alarmTopicArn = (config: NamingConfig, region: string = config.hub.region): string =>
  hubArn(config, 'sns', alarmTopicName(config), region);

/**
 * What fills a dead-letter queue: `hub-queue` (records the consumer gave up on, moved by the consumer
 * or by SQS after `maxReceiveCount`), `hub-rule` (events the hub rule could not deliver to the hub
 * queue), `forwarder` (events a region's forwarder could not put on the hub bus).
 */
export const DEAD_LETTER_QUEUE_KINDS = ['hub-queue', 'hub-rule', 'forwarder'] as const;

/** One of {@link DEAD_LETTER_QUEUE_KINDS}. */
export type DeadLetterQueueKind = (typeof DEAD_LETTER_QUEUE_KINDS)[number];

/** CLI selectors of the dead-letter queues in the hub region. */
export const DLQ_IDS = { hubQueue: 'hub', hubRule: 'hub-rule' } as const;

/** CLI selector of the forwarder target's dead-letter queue in `region`. */
export const forwarderDlqId = (region: string): string => `forwarder-${region}`;

/** One dead-letter queue of the hub, as the stacks create it and the CLI finds it. */
export interface DeadLetterQueueSpec {
  /** Selector the CLI accepts (`dlq peek --queue <id>`): `hub`, `hub-rule`, `forwarder-<region>`. */
  readonly id: string;
  readonly kind: DeadLetterQueueKind;
  /** SQS queue name. */
  readonly name: string;
  /** Region the queue lives in. */
  readonly region: string;
  /** The stack that creates it (`hub`, `region-<name>`), for "has it been deployed?" hints. */
  readonly stack: string;
  /** ARN of the EventBridge rule whose target dead-letters into it (EventBridge DLQs only). */
  readonly ruleArn?: string;
}

/** Every dead-letter queue: the hub queue's, the hub rule target's, then each region's forwarder target's (config order). */
export function deadLetterQueues(config: NamingConfig & Pick<HubConfig, 'regions'>): DeadLetterQueueSpec[] {
  const hubRegion = config.hub.region;
  return [
    { id: DLQ_IDS.hubQueue, kind: 'hub-queue', name: dlqName(config), region: hubRegion, stack: STACK_NAMES.hub },
    {
      id: DLQ_IDS.hubRule,
      kind: 'hub-rule',
      name: hubRuleDlqName(config),
      region: hubRegion,
      stack: STACK_NAMES.hub,
      ruleArn: hubRuleArn(config),
    },
    ...config.regions.map(
      (region): DeadLetterQueueSpec => ({
        id: forwarderDlqId(region),
        kind: 'forwarder',
        name: forwarderDlqName(config),
        region,
        stack: regionStackName(region),
        ruleArn: forwarderRuleArn(config, region),
      }),
    ),
  ];
}

/** Terraform stack names: `hub`, `region-<name>`, `org`. */
export const STACK_NAMES = {
  hub: 'hub',
  org: 'org',
} as const;

/** Name of the stack for one region. */
export const regionStackName = (region: string): string => `region-${region}`;
