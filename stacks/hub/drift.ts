import { Construct } from 'constructs';
import type { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import type { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function/index.js';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule/index.js';
import type { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue/index.js';
import { canaryEnabled, partitionOf, type HubConfig } from '../../shared/index.ts';
import { METRICS_NAMESPACE } from '../../shared/telemetry.ts';
import { policyJson, serviceTrustPolicy, type PolicyStatement } from '../common.ts';
import {
  dlqName,
  driftFunctionName,
  driftScheduleName,
  forwarderDlqName,
  forwarderRuleArn,
  hubRuleArn,
  hubRuleDlqName,
  queueArn,
} from '../../shared/names.ts';
import { bundledFunction } from './bundled-function.ts';

/** The IAM actions of the drift function, by resource. `ListDetectors` and `DescribeTrails` have no resource-level permissions. */
export const DRIFT_ACTIONS = {
  listDetectors: ['guardduty:ListDetectors'],
  detectors: ['guardduty:GetDetector', 'guardduty:ListMembers'],
  describeTrails: ['cloudtrail:DescribeTrails'],
  trails: ['cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors'],
  table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  queue: ['sqs:SendMessage'],
  silences: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
  logs: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  /** The canary: make and archive samples with the detectors. */
  canarySamples: ['guardduty:CreateSampleFindings', 'guardduty:ArchiveFindings'],
  /** The canary's diagnosis: the forwarder rules and the hub rule. */
  canaryRules: ['events:DescribeRule'],
  /** The canary's diagnosis: the dead-letter queues' depth. */
  canaryQueues: ['sqs:GetQueueUrl', 'sqs:GetQueueAttributes'],
  /** The canary's diagnosis: the hub queue's oldest message and the consumer's errors (no resource-level permissions). */
  canaryReadMetrics: ['cloudwatch:GetMetricStatistics'],
  /** The canary's age, in the hub's namespace only. */
  canaryPutMetrics: ['cloudwatch:PutMetricData'],
  /** With `triage:`, Slack-made filters expire (lambdas/drift/filter-expiry.ts): read their tags, delete them. */
  filters: ['guardduty:ListFilters', 'guardduty:GetFilter', 'guardduty:DeleteFilter'],
  /** …and post the reminder and removal notices in the finding's thread with the app destination's bot token. */
  botTokens: ['secretsmanager:GetSecretValue'],
} as const;

/**
 * The state-table items the silence step reads and claims recaps on: the silences record and each
 * silence's tally (the keys of `core/state-keys.ts`, which stacks may not import; a synth test checks they agree).
 */
export const SILENCE_LEADING_KEYS = ['silences', 'silence-tally#*'] as const;

/** Props of {@link DriftCheck}. */
export interface DriftCheckProps {
  readonly config: Pick<HubConfig, 'hub' | 'regions' | 'guard' | 'consumer' | 'guardduty' | 'triage'>;
  /** The consumer bundle (it exports `driftHandler` beside `handler`). */
  readonly bundleDir: string;
  /** The hub queue the alerts go to. */
  readonly queue: SqsQueue;
  /** The finding-state table (drift state lives in items `drift#<region>`). */
  readonly table: DynamodbTable;
  /** ARNs of the app destinations' bot token secrets: with `triage:`, filter-expiry notices go to the finding's thread. */
  readonly botTokenSecretArns?: readonly string[];
}

/**
 * The scheduled drift check: a small function over the consumer bundle (`index.driftHandler`) that
 * reads each region's detector, members and CloudTrail coverage, and an EventBridge Scheduler schedule that runs it every
 * `guard.driftCheckMinutes`. Both roles are least privilege: the function reads GuardDuty, its state
 * items and writes to the hub queue; the scheduler may only invoke this function.
 */
export class DriftCheck extends Construct {
  readonly function: LambdaFunction;
  readonly schedule: SchedulerSchedule;

  constructor(scope: Construct, id: string, props: DriftCheckProps) {
    super(scope, id);
    const { config } = props;
    const name = driftFunctionName(config);
    this.function = bundledFunction(this, {
      name,
      description: 'Checks GuardDuty detectors and member relationships against the config; alerts on change',
      roleDescription: 'Execution role of the guardduty-hub drift check',
      policyName: 'drift-check',
      statements: (logGroupArn) => driftStatements(props, logGroupArn),
      bundleDir: props.bundleDir,
      handler: 'index.driftHandler',
      memoryMb: 256,
      timeoutSeconds: 60,
      logRetentionDays: config.consumer.logRetentionDays,
      environment: { STATE_TABLE_NAME: props.table.name, HUB_QUEUE_URL: props.queue.url },
    }).function;

    const schedulerRole = new IamRole(this, 'SchedulerRole', {
      name: driftScheduleName(config),
      description: 'Lets EventBridge Scheduler invoke the guardduty-hub drift check',
      assumeRolePolicy: serviceTrustPolicy('scheduler.amazonaws.com', config.hub.account),
    });
    new IamRolePolicy(this, 'SchedulerPolicy', {
      name: 'invoke-drift-check',
      role: schedulerRole.name,
      policy: policyJson([
        { Sid: 'InvokeDriftCheck', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: this.function.arn },
      ]),
    });
    this.schedule = new SchedulerSchedule(this, 'Schedule', {
      name: driftScheduleName(config),
      description: 'Runs the guardduty-hub drift check',
      scheduleExpression: `rate(${config.guard.driftCheckMinutes} ${config.guard.driftCheckMinutes === 1 ? 'minute' : 'minutes'})`,
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: this.function.arn,
        roleArn: schedulerRole.arn,
        retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 },
      },
    });
  }
}

/** The drift function's policy: exact actions on exact resources (detectors of the configured regions). */
function driftStatements(props: DriftCheckProps, logGroupArn: string): PolicyStatement[] {
  const { config } = props;
  const detectors = config.regions.map(
    (region) => `arn:${partitionOf(region)}:guardduty:${region}:${config.hub.account}:detector/*`,
  );
  return [
    { Sid: 'ListDetectors', Effect: 'Allow', Action: DRIFT_ACTIONS.listDetectors, Resource: '*' },
    { Sid: 'ReadDetectorsAndMembers', Effect: 'Allow', Action: DRIFT_ACTIONS.detectors, Resource: detectors },
    { Sid: 'DescribeTrails', Effect: 'Allow', Action: DRIFT_ACTIONS.describeTrails, Resource: '*' },
    // Read-only, on any trail: a multi-region trail's ARN names its home region, an organization trail's the management account.
    {
      Sid: 'ReadTrails',
      Effect: 'Allow',
      Action: DRIFT_ACTIONS.trails,
      Resource: `arn:${partitionOf(config.hub.region)}:cloudtrail:*:*:trail/*`,
    },
    { Sid: 'DriftState', Effect: 'Allow', Action: DRIFT_ACTIONS.table, Resource: props.table.arn },
    { Sid: 'SendAlerts', Effect: 'Allow', Action: DRIFT_ACTIONS.queue, Resource: props.queue.arn },
    {
      Sid: 'SilenceRecaps',
      Effect: 'Allow',
      Action: DRIFT_ACTIONS.silences,
      Resource: props.table.arn,
      Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': SILENCE_LEADING_KEYS } },
    },
    { Sid: 'WriteLogs', Effect: 'Allow', Action: DRIFT_ACTIONS.logs, Resource: `${logGroupArn}:*` },
    ...(canaryEnabled(config) ? canaryStatements(config, detectors) : []),
    ...filterExpiryStatements(props, detectors),
  ];
}

/** The canary's statements: samples on the configured regions' detectors, reads of the path's rules and DLQs, its metric. */
function canaryStatements(config: DriftCheckProps['config'], detectors: readonly string[]): PolicyStatement[] {
  const rules = [...config.regions.map((region) => forwarderRuleArn(config, region)), hubRuleArn(config)];
  const queues = [
    ...config.regions.map((region) => queueArn(config, forwarderDlqName(config), region)),
    queueArn(config, hubRuleDlqName(config)),
    queueArn(config, dlqName(config)),
  ];
  return [
    { Sid: 'CanarySamples', Effect: 'Allow', Action: DRIFT_ACTIONS.canarySamples, Resource: detectors },
    { Sid: 'CanaryReadRules', Effect: 'Allow', Action: DRIFT_ACTIONS.canaryRules, Resource: rules },
    { Sid: 'CanaryReadQueues', Effect: 'Allow', Action: DRIFT_ACTIONS.canaryQueues, Resource: queues },
    { Sid: 'CanaryReadMetrics', Effect: 'Allow', Action: DRIFT_ACTIONS.canaryReadMetrics, Resource: '*' },
    {
      Sid: 'CanaryAge',
      Effect: 'Allow',
      Action: DRIFT_ACTIONS.canaryPutMetrics,
      Resource: '*',
      Condition: { StringEquals: { 'cloudwatch:namespace': METRICS_NAMESPACE } },
    },
  ];
}

/** With `triage:`, the filter-expiry step's grants: filters of the configured regions' detectors, the bot tokens. */
function filterExpiryStatements(props: DriftCheckProps, detectors: readonly string[]): PolicyStatement[] {
  if (props.config.triage === undefined) return [];
  const tokens = props.botTokenSecretArns ?? [];
  return [
    // A filter's ARN (`…:detector/<id>/filter/<name>`) is inside `detector/*`.
    { Sid: 'ExpireSlackFilters', Effect: 'Allow', Action: DRIFT_ACTIONS.filters, Resource: [...detectors] },
    ...(tokens.length === 0
      ? []
      : [{ Sid: 'ReadBotTokens', Effect: 'Allow' as const, Action: DRIFT_ACTIONS.botTokens, Resource: [...tokens] }]),
  ];
}
