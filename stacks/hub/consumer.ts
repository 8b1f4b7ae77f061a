import { AssetType, Fn, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import type { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping/index.js';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function/index.js';
import type { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue/index.js';
import { DLQ_URL_ENV } from '../../shared/dead-letter.ts';
import { QUEUE_URL_ENV } from '../../shared/redelivery.ts';
import type { HubConfig } from '../../shared/index.ts';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../shared/telemetry.ts';
import { policyJson, serviceTrustPolicy, type PolicyStatement } from '../common.ts';
import { consumerLogGroupName, consumerRoleName, functionName } from '../../shared/names.ts';

/** The IAM actions the consumer needs, by resource. Nothing else is granted. */
export const CONSUMER_ACTIONS = {
  queue: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'],
  /** The consumer moves a record it gives up on to the hub DLQ itself, with its reason (`shared/dead-letter.ts`). */
  dlq: ['sqs:SendMessage'],
  secrets: ['secretsmanager:GetSecretValue'],
  table: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
  logs: ['logs:CreateLogStream', 'logs:PutLogEvents'],
} as const;

/** Props of {@link Consumer}. */
export interface ConsumerProps {
  /** `consumer`, `delivery` and `hub` settings. */
  readonly config: Pick<HubConfig, 'hub' | 'consumer' | 'delivery'>;
  /** Folder holding `index.mjs` and `hub-config.json` (see `stacks/bundle/`). */
  readonly bundleDir: string;
  /** The queue the function reads. */
  readonly queue: SqsQueue;
  /** The hub queue's DLQ, which the function may send to (and nothing else). */
  readonly dlq: SqsQueue;
  /** The finding-state table. */
  readonly table: DynamodbTable;
  /** ARNs of the webhook secrets the function may read. */
  readonly secretArns: readonly string[];
  /** Lambda `LOG_LEVEL`. Default `INFO`. */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
}

/**
 * The consumer Lambda (Node 22 on arm64), its log group, its least-privilege role, and the SQS
 * event source mapping that feeds it batches and honours `batchItemFailures`.
 */
export class Consumer extends Construct {
  /** The function. */
  readonly function: LambdaFunction;
  /** Its log group, created before the function so that retention applies from the first log line. */
  readonly logGroup: CloudwatchLogGroup;
  /** Its execution role. */
  readonly role: IamRole;
  /** The SQS event source mapping. */
  readonly mapping: LambdaEventSourceMapping;

  constructor(scope: Construct, id: string, props: ConsumerProps) {
    super(scope, id);
    const { config, queue, table } = props;

    this.logGroup = new CloudwatchLogGroup(this, 'LogGroup', {
      name: consumerLogGroupName(config),
      retentionInDays: config.consumer.logRetentionDays,
    });

    this.role = new IamRole(this, 'Role', {
      name: consumerRoleName(config),
      description: 'Execution role of the guardduty-hub consumer',
      assumeRolePolicy: serviceTrustPolicy('lambda.amazonaws.com'),
    });

    const policy = new IamRolePolicy(this, 'Policy', {
      name: 'consumer',
      role: this.role.name,
      policy: policyJson(consumerStatements({ ...props, logGroupArn: this.logGroup.arn })),
    });

    const code = new TerraformAsset(this, 'Code', { path: props.bundleDir, type: AssetType.ARCHIVE });

    this.function = new LambdaFunction(this, 'Function', {
      functionName: functionName(config),
      description: 'Delivers GuardDuty findings from the hub queue to Slack',
      role: this.role.arn,
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      memorySize: config.consumer.memoryMb,
      timeout: config.consumer.timeoutSeconds,
      filename: code.path,
      sourceCodeHash: Fn.filebase64sha256(code.path),
      environment: {
        variables: {
          STATE_TABLE_NAME: table.name,
          [QUEUE_URL_ENV]: queue.url,
          [DLQ_URL_ENV]: props.dlq.url,
          POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
          POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
          LOG_LEVEL: props.logLevel ?? 'INFO',
        },
      },
      dependsOn: [this.logGroup, policy],
    });

    this.mapping = new LambdaEventSourceMapping(this, 'QueueMapping', {
      eventSourceArn: queue.arn,
      functionName: this.function.arn,
      batchSize: config.delivery.batchSize,
      maximumBatchingWindowInSeconds: config.delivery.maxBatchingWindowSeconds,
      scalingConfig: { maximumConcurrency: config.delivery.maxConcurrency },
      functionResponseTypes: ['ReportBatchItemFailures'],
      // Lambda checks at creation that the role can read the queue.
      dependsOn: [policy],
    });
  }
}

/** The consumer's policy: exact actions on exact resources. */
function consumerStatements(props: ConsumerProps & { readonly logGroupArn: string }): PolicyStatement[] {
  const statements: PolicyStatement[] = [
    { Sid: 'ReadHubQueue', Effect: 'Allow', Action: CONSUMER_ACTIONS.queue, Resource: props.queue.arn },
    { Sid: 'DeadLetterToHubDlq', Effect: 'Allow', Action: CONSUMER_ACTIONS.dlq, Resource: props.dlq.arn },
    { Sid: 'FindingState', Effect: 'Allow', Action: CONSUMER_ACTIONS.table, Resource: props.table.arn },
    { Sid: 'WriteLogs', Effect: 'Allow', Action: CONSUMER_ACTIONS.logs, Resource: `${props.logGroupArn}:*` },
  ];
  if (props.secretArns.length > 0) {
    statements.splice(1, 0, {
      Sid: 'ReadWebhookSecrets',
      Effect: 'Allow',
      Action: CONSUMER_ACTIONS.secrets,
      Resource: props.secretArns,
    });
  }
  return statements;
}
