import {
  CreateTableCommand,
  UpdateContinuousBackupsCommand,
  UpdateTimeToLiveCommand,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  type ProjectionType,
} from '@aws-sdk/client-dynamodb';
import { CreateEventBusCommand, PutRuleCommand, PutTargetsCommand, type Target } from '@aws-sdk/client-eventbridge';
import { CreateDetectorCommand, type FindingPublishingFrequency } from '@aws-sdk/client-guardduty';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SetQueueAttributesCommand,
  type QueueAttributeName,
} from '@aws-sdk/client-sqs';
import { partitionOf } from '../../shared/index.ts';
import type { AwsClients } from './aws.ts';

/**
 * How each Terraform resource type the integration tests need is created through the AWS APIs,
 * and the attributes (`id`, `arn`, `url`, …) it then exposes to references. Every field a creator
 * reads is listed in `fields`: a field it does not know makes provisioning fail, so the tests never
 * silently check less than what is deployed.
 */

/** A resource's Terraform arguments, references already resolved. */
export type Arguments = Readonly<Record<string, unknown>>;

/** The attributes a created resource exposes to `${type.name.attribute}` references. */
export type Attributes = Readonly<Record<string, string>>;

/** Where a resource is created. */
export interface CreateContext {
  readonly aws: AwsClients;
  readonly accountId: string;
}

/** Creates one resource type. */
export interface ResourceCreator {
  /** Arguments it understands (besides the meta-arguments every resource may have). */
  readonly fields: readonly string[];
  create(args: Arguments, context: CreateContext): Promise<Attributes>;
}

/** Arguments that change nothing the tests observe. */
export const META_FIELDS = ['//', 'depends_on', 'lifecycle', 'provider', 'tags', 'count', 'for_each'] as const;

const text = (value: unknown): string => String(value);
/** cdktf writes a single nested block as an object; Terraform also accepts a one-element list. */
const block = (value: unknown): Record<string, unknown> | undefined =>
  (Array.isArray(value) ? value[0] : value) as Record<string, unknown> | undefined;

const SQS_ATTRIBUTES: Readonly<Record<string, QueueAttributeName>> = {
  visibility_timeout_seconds: 'VisibilityTimeout',
  message_retention_seconds: 'MessageRetentionPeriod',
  redrive_policy: 'RedrivePolicy',
  sqs_managed_sse_enabled: 'SqsManagedSseEnabled',
  delay_seconds: 'DelaySeconds',
  max_message_size: 'MaximumMessageSize',
  receive_wait_time_seconds: 'ReceiveMessageWaitTimeSeconds',
  fifo_queue: 'FifoQueue',
  content_based_deduplication: 'ContentBasedDeduplication',
  kms_master_key_id: 'KmsMasterKeyId',
  kms_data_key_reuse_period_seconds: 'KmsDataKeyReusePeriodSeconds',
  policy: 'Policy',
};

const sqsQueue: ResourceCreator = {
  fields: ['name', ...Object.keys(SQS_ATTRIBUTES)],
  async create(args, { aws }) {
    const attributes: Partial<Record<QueueAttributeName, string>> = {};
    for (const [field, name] of Object.entries(SQS_ATTRIBUTES)) {
      if (args[field] !== undefined) attributes[name] = text(args[field]);
    }
    const { QueueUrl: url } = await aws.sqs.send(
      new CreateQueueCommand({ QueueName: text(args.name), Attributes: attributes }),
    );
    const { Attributes: created = {} } = await aws.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
    );
    return { id: url!, url: url!, arn: created.QueueArn!, name: text(args.name) };
  },
};

const sqsQueuePolicy: ResourceCreator = {
  fields: ['queue_url', 'policy'],
  async create(args, { aws }) {
    await aws.sqs.send(
      new SetQueueAttributesCommand({ QueueUrl: text(args.queue_url), Attributes: { Policy: text(args.policy) } }),
    );
    return { id: text(args.queue_url) };
  },
};

const sqsRedriveAllowPolicy: ResourceCreator = {
  fields: ['queue_url', 'redrive_allow_policy'],
  async create(args, { aws }) {
    // moto 5.2.5 accepts this attribute and drops it; local-aws-sqs keeps and enforces it.
    await aws.sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: text(args.queue_url),
        Attributes: { RedriveAllowPolicy: text(args.redrive_allow_policy) },
      }),
    );
    return { id: text(args.queue_url) };
  },
};

const eventBus: ResourceCreator = {
  fields: ['name', 'description'],
  async create(args, { aws }) {
    const { EventBusArn: arn } = await aws.events.send(
      new CreateEventBusCommand({
        Name: text(args.name),
        ...(args.description === undefined ? {} : { Description: text(args.description) }),
      }),
    );
    return { id: text(args.name), name: text(args.name), arn: arn! };
  },
};

const eventRule: ResourceCreator = {
  fields: ['name', 'event_bus_name', 'event_pattern', 'description', 'state', 'schedule_expression', 'role_arn'],
  async create(args, { aws }) {
    const bus = args.event_bus_name === undefined ? 'default' : text(args.event_bus_name);
    const { RuleArn: arn } = await aws.events.send(
      new PutRuleCommand({
        Name: text(args.name),
        EventBusName: bus,
        // Exactly the synthesized string: this is the pattern users deploy.
        ...(args.event_pattern === undefined ? {} : { EventPattern: text(args.event_pattern) }),
        ...(args.schedule_expression === undefined ? {} : { ScheduleExpression: text(args.schedule_expression) }),
        ...(args.description === undefined ? {} : { Description: text(args.description) }),
        ...(args.role_arn === undefined ? {} : { RoleArn: text(args.role_arn) }),
        State: args.state === undefined ? 'ENABLED' : (text(args.state) as 'ENABLED' | 'DISABLED'),
      }),
    );
    return { id: bus === 'default' ? text(args.name) : `${bus}/${text(args.name)}`, name: text(args.name), arn: arn! };
  },
};

const eventTarget: ResourceCreator = {
  fields: [
    'rule',
    'event_bus_name',
    'target_id',
    'arn',
    'role_arn',
    'retry_policy',
    'dead_letter_config',
    'input',
    'input_path',
    'input_transformer',
    'sqs_target',
  ],
  async create(args, { aws }) {
    const retry = block(args.retry_policy);
    const deadLetter = block(args.dead_letter_config);
    const transformer = block(args.input_transformer);
    const sqsTarget = block(args.sqs_target);
    const target: Target = {
      Id: text(args.target_id),
      Arn: text(args.arn),
      ...(args.role_arn === undefined ? {} : { RoleArn: text(args.role_arn) }),
      ...(retry === undefined
        ? {}
        : {
            RetryPolicy: {
              MaximumEventAgeInSeconds: Number(retry.maximum_event_age_in_seconds),
              MaximumRetryAttempts: Number(retry.maximum_retry_attempts),
            },
          }),
      ...(deadLetter === undefined ? {} : { DeadLetterConfig: { Arn: text(deadLetter.arn) } }),
      ...(args.input === undefined ? {} : { Input: text(args.input) }),
      ...(args.input_path === undefined ? {} : { InputPath: text(args.input_path) }),
      ...(transformer === undefined
        ? {}
        : {
            InputTransformer: {
              InputPathsMap: transformer.input_paths as Record<string, string>,
              InputTemplate: text(transformer.input_template),
            },
          }),
      ...(sqsTarget === undefined ? {} : { SqsParameters: { MessageGroupId: text(sqsTarget.message_group_id) } }),
    };
    const bus = args.event_bus_name === undefined ? 'default' : text(args.event_bus_name);
    const result = await aws.events.send(
      new PutTargetsCommand({ Rule: text(args.rule), EventBusName: bus, Targets: [target] }),
    );
    if ((result.FailedEntryCount ?? 0) > 0)
      throw new Error(`PutTargets failed: ${JSON.stringify(result.FailedEntries)}`);
    return { id: `${bus}-${text(args.rule)}-${text(args.target_id)}` };
  },
};

/** `global_secondary_index` blocks as CreateTable's `GlobalSecondaryIndexes` (on-demand: no throughput). */
function globalIndexes(value: unknown): { GlobalSecondaryIndexes?: GlobalSecondaryIndex[] } {
  const indexes = (Array.isArray(value) ? value : []) as Record<string, unknown>[];
  if (indexes.length === 0) return {};
  return {
    GlobalSecondaryIndexes: indexes.map((index) => ({
      IndexName: text(index.name),
      KeySchema: [
        { AttributeName: text(index.hash_key), KeyType: 'HASH' as const },
        ...(index.range_key === undefined ? [] : [{ AttributeName: text(index.range_key), KeyType: 'RANGE' as const }]),
      ],
      Projection: {
        ProjectionType: text(index.projection_type) as ProjectionType,
        ...(Array.isArray(index.non_key_attributes) ? { NonKeyAttributes: index.non_key_attributes.map(String) } : {}),
      },
    })),
  };
}

const dynamodbTable: ResourceCreator = {
  fields: [
    'name',
    'billing_mode',
    'hash_key',
    'range_key',
    'attribute',
    'ttl',
    'point_in_time_recovery',
    'server_side_encryption',
    'read_capacity',
    'write_capacity',
    'deletion_protection_enabled',
    'global_secondary_index',
  ],
  async create(args, { aws }) {
    const name = text(args.name);
    const keySchema: KeySchemaElement[] = [{ AttributeName: text(args.hash_key), KeyType: 'HASH' }];
    if (args.range_key !== undefined) keySchema.push({ AttributeName: text(args.range_key), KeyType: 'RANGE' });
    const provisioned = args.billing_mode === 'PROVISIONED';
    const sse = block(args.server_side_encryption);
    const { TableDescription: table } = await aws.dynamodb.send(
      new CreateTableCommand({
        TableName: name,
        KeySchema: keySchema,
        AttributeDefinitions: (args.attribute as { name: string; type: 'S' | 'N' | 'B' }[]).map((a) => ({
          AttributeName: a.name,
          AttributeType: a.type,
        })),
        BillingMode: provisioned ? 'PROVISIONED' : 'PAY_PER_REQUEST',
        ...(provisioned
          ? {
              ProvisionedThroughput: {
                ReadCapacityUnits: Number(args.read_capacity),
                WriteCapacityUnits: Number(args.write_capacity),
              },
            }
          : {}),
        ...(sse === undefined ? {} : { SSESpecification: { Enabled: Boolean(sse.enabled) } }),
        ...globalIndexes(args.global_secondary_index),
        ...(args.deletion_protection_enabled === undefined
          ? {}
          : { DeletionProtectionEnabled: Boolean(args.deletion_protection_enabled) }),
      }),
    );
    const ttl = block(args.ttl);
    if (ttl !== undefined) {
      await aws.dynamodb.send(
        new UpdateTimeToLiveCommand({
          TableName: name,
          TimeToLiveSpecification: { AttributeName: text(ttl.attribute_name), Enabled: Boolean(ttl.enabled) },
        }),
      );
    }
    const pitr = block(args.point_in_time_recovery);
    if (pitr !== undefined) {
      await aws.dynamodb.send(
        new UpdateContinuousBackupsCommand({
          TableName: name,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: Boolean(pitr.enabled) },
        }),
      );
    }
    return { id: name, name, arn: table!.TableArn! };
  },
};

const secret: ResourceCreator = {
  fields: ['name', 'description', 'kms_key_id', 'recovery_window_in_days'],
  async create(args, { aws }) {
    // Created without a value, as the stack does: tests put a webhook URL themselves.
    const { ARN: arn } = await aws.secrets.send(
      new CreateSecretCommand({
        Name: text(args.name),
        ...(args.description === undefined ? {} : { Description: text(args.description) }),
        ...(args.kms_key_id === undefined ? {} : { KmsKeyId: text(args.kms_key_id) }),
      }),
    );
    return { id: arn!, arn: arn!, name: text(args.name) };
  },
};

const guarddutyDetector: ResourceCreator = {
  fields: ['enable', 'finding_publishing_frequency'],
  async create(args, { aws, accountId }) {
    const { DetectorId: id } = await aws.guardduty.send(
      new CreateDetectorCommand({
        Enable: args.enable === undefined ? true : Boolean(args.enable),
        ...(args.finding_publishing_frequency === undefined
          ? {}
          : { FindingPublishingFrequency: text(args.finding_publishing_frequency) as FindingPublishingFrequency }),
      }),
    );
    return {
      id: id!,
      account_id: accountId,
      arn: `arn:${partitionOf(aws.region)}:guardduty:${aws.region}:${accountId}:detector/${id!}`,
    };
  },
};

/** The resource types provisioned in moto, by Terraform type. */
export const CREATORS: Readonly<Record<string, ResourceCreator>> = {
  aws_sqs_queue: sqsQueue,
  aws_sqs_queue_policy: sqsQueuePolicy,
  aws_sqs_queue_redrive_allow_policy: sqsRedriveAllowPolicy,
  aws_cloudwatch_event_bus: eventBus,
  aws_cloudwatch_event_rule: eventRule,
  aws_cloudwatch_event_target: eventTarget,
  aws_dynamodb_table: dynamodbTable,
  aws_secretsmanager_secret: secret,
  aws_guardduty_detector: guarddutyDetector,
};

/**
 * Types that are not created, and why. Their ARNs and names are still known (they are
 * deterministic), so references to them resolve; see `predictedAttributes`.
 */
export const NOT_PROVISIONED: Readonly<Record<string, string>> = {
  aws_lambda_function: 'the consumer runs in-process; the event source poller stands in for Lambda',
  aws_lambda_event_source_mapping: 'emulated by test/support/event-source-poller.ts with the synthesized settings',
  aws_iam_role: 'moto does not enforce IAM; roles are only referenced by ARN',
  aws_iam_role_policy: 'moto does not enforce IAM',
  aws_cloudwatch_log_group: 'no CloudWatch Logs client in the project',
  aws_cloudwatch_metric_alarm: 'alarms are checked by the synth tests',
  aws_cloudwatch_dashboard: 'dashboards are checked by the synth tests',
  aws_sns_topic: 'no SNS client in the project',
  aws_sns_topic_subscription: 'no SNS client in the project',
  aws_guardduty_member: 'moto 5.2.5 has no GuardDuty CreateMembers',
  aws_guardduty_organization_configuration: 'moto 5.2.5 has no GuardDuty organization configuration',
  aws_guardduty_organization_admin_account: 'runs in the management account (org stack)',
};

/** Attributes of a resource that is not created but whose identifiers follow from its arguments. */
export function predictedAttributes(
  type: string,
  args: Arguments,
  region: string,
  accountId: string,
): Attributes | undefined {
  const name = (key: string): string => text(args[key]);
  const partition = partitionOf(region);
  switch (type) {
    case 'aws_iam_role':
      return { id: name('name'), name: name('name'), arn: `arn:${partition}:iam::${accountId}:role/${name('name')}` };
    case 'aws_sns_topic':
      return {
        id: `arn:${partition}:sns:${region}:${accountId}:${name('name')}`,
        name: name('name'),
        arn: `arn:${partition}:sns:${region}:${accountId}:${name('name')}`,
      };
    case 'aws_cloudwatch_log_group':
      return {
        id: name('name'),
        name: name('name'),
        arn: `arn:${partition}:logs:${region}:${accountId}:log-group:${name('name')}`,
      };
    case 'aws_lambda_function': {
      const arn = `arn:${partition}:lambda:${region}:${accountId}:function:${name('function_name')}`;
      return { id: name('function_name'), function_name: name('function_name'), arn, qualified_arn: `${arn}:$LATEST` };
    }
    case 'aws_cloudwatch_dashboard':
      return { id: name('dashboard_name'), dashboard_name: name('dashboard_name') };
    case 'aws_cloudwatch_metric_alarm':
      return {
        id: name('alarm_name'),
        alarm_name: name('alarm_name'),
        arn: `arn:${partition}:cloudwatch:${region}:${accountId}:alarm:${name('alarm_name')}`,
      };
    default:
      return undefined;
  }
}
