import type { HubConfig } from '../shared/index.ts';
import { partitionOf } from '../shared/index.ts';

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

/** DynamoDB table that remembers delivered findings, for repeat suppression. */
export const stateTableName = (config: NamingConfig): string => `${config.hub.name}-finding-state`;

/** SNS topic that alarms notify; one per region (CloudWatch alarms notify topics in their own region only). */
export const alarmTopicName = (config: NamingConfig): string => `${config.hub.name}-alarms`;

/** CloudWatch dashboard of the hub. */
export const dashboardName = (config: NamingConfig): string => config.hub.name;

/** Prefix of every alarm name, so that the CLI can list them. */
export const alarmNamePrefix = (config: NamingConfig): string => `${config.hub.name}-`;

/** The region's partition as it appears in ARNs. */
const partition = (region: string): string => partitionOf(region);

/** ARN of the hub event bus. */
export const hubBusArn = (config: NamingConfig): string =>
  `arn:${partition(config.hub.region)}:events:${config.hub.region}:${config.hub.account}:event-bus/${hubBusName(config)}`;

/** ARN of the rule on the hub bus (the queue policy's `aws:SourceArn`). */
export const hubRuleArn = (config: NamingConfig): string =>
  `arn:${partition(config.hub.region)}:events:${config.hub.region}:${config.hub.account}:rule/${hubBusName(config)}/${hubRuleName(config)}`;

/** ARN of the hub queue. */
export const hubQueueArn = (config: NamingConfig): string =>
  `arn:${partition(config.hub.region)}:sqs:${config.hub.region}:${config.hub.account}:${hubQueueName(config)}`;

/** ARN of the DLQ. */
export const dlqArn = (config: NamingConfig): string =>
  `arn:${partition(config.hub.region)}:sqs:${config.hub.region}:${config.hub.account}:${dlqName(config)}`;

/** URL of the hub queue (the classic `sqs.<region>.amazonaws.com` form, which every SDK accepts). */
export const hubQueueUrl = (config: NamingConfig): string => queueUrl(config, hubQueueName(config));

/** URL of the DLQ. */
export const dlqUrl = (config: NamingConfig): string => queueUrl(config, dlqName(config));

function queueUrl(config: NamingConfig, name: string): string {
  const domain = partitionOf(config.hub.region) === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://sqs.${config.hub.region}.${domain}/${config.hub.account}/${name}`;
}

/** ARN of the consumer function. */
export const functionArn = (config: NamingConfig): string =>
  `arn:${partition(config.hub.region)}:lambda:${config.hub.region}:${config.hub.account}:function:${functionName(config)}`;

/** ARN of the forwarder role (IAM is global: no region). */
export const forwarderRoleArn = (config: NamingConfig): string =>
  `arn:${partition(config.hub.region)}:iam::${config.hub.account}:role/${forwarderRoleName(config)}`;

/** ARN of the state table. */
export const stateTableArn = (config: NamingConfig): string =>
  `arn:${partition(config.hub.region)}:dynamodb:${config.hub.region}:${config.hub.account}:table/${stateTableName(config)}`;

/** ARN of the alarm topic in `region` (the hub region by default). */
export const alarmTopicArn = (config: NamingConfig, region: string = config.hub.region): string =>
  `arn:${partition(region)}:sns:${region}:${config.hub.account}:${alarmTopicName(config)}`;

/** Terraform stack names: `hub`, `region-<name>`, `org`. */
export const STACK_NAMES = {
  hub: 'hub',
  org: 'org',
} as const;

/** Name of the stack for one region. */
export const regionStackName = (region: string): string => `region-${region}`;
