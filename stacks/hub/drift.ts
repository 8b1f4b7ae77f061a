import { Construct } from 'constructs';
import type { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import type { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function/index.js';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule/index.js';
import type { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue/index.js';
import { partitionOf, type HubConfig } from '../../shared/index.ts';
import { policyJson, serviceTrustPolicy, type PolicyStatement } from '../common.ts';
import { driftFunctionName, driftScheduleName } from '../../shared/names.ts';
import { bundledFunction } from './bundled-function.ts';

/** The IAM actions of the drift function, by resource. `ListDetectors` and `DescribeTrails` have no resource-level permissions. */
export const DRIFT_ACTIONS = {
  listDetectors: ['guardduty:ListDetectors'],
  detectors: ['guardduty:GetDetector', 'guardduty:ListMembers'],
  describeTrails: ['cloudtrail:DescribeTrails'],
  trails: ['cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors'],
  table: ['dynamodb:GetItem', 'dynamodb:PutItem'],
  queue: ['sqs:SendMessage'],
  logs: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  /** With `triage:`, Slack-made filters expire (lambdas/drift/filter-expiry.ts): read their tags, delete them. */
  filters: ['guardduty:ListFilters', 'guardduty:GetFilter', 'guardduty:DeleteFilter'],
  /** …and post the reminder and removal notices in the finding's thread with the app destination's bot token. */
  botTokens: ['secretsmanager:GetSecretValue'],
} as const;

/** Props of {@link DriftCheck}. */
export interface DriftCheckProps {
  readonly config: Pick<HubConfig, 'hub' | 'regions' | 'guard' | 'consumer' | 'triage'>;
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
    { Sid: 'WriteLogs', Effect: 'Allow', Action: DRIFT_ACTIONS.logs, Resource: `${logGroupArn}:*` },
    ...filterExpiryStatements(props, detectors),
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
