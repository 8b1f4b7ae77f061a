import { describe, expect, it } from 'vitest';
import { makeConfig } from '../factories/config.ts';
import { reference, synthApp, type ResourceBody, type SynthesizedApp } from '../support/synth.ts';
import {
  alarmTopicName,
  consumerLogGroupName,
  dashboardName,
  dlqName,
  functionName,
  hubBusName,
  hubQueueName,
  stateTableName,
} from '../../shared/index.ts';

const HUB = 'hub';

/** The consumer function (the drift check's function sits beside it). */
const consumerFunction = (app: SynthesizedApp, config: Parameters<typeof functionName>[0]): ResourceBody =>
  app.resources(HUB, 'aws_lambda_function').find(([, body]) => body.function_name === functionName(config))![1];

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: string | string[];
  Principal?: Record<string, string>;
  Condition?: Record<string, Record<string, string>>;
}

const statementsOf = (body: ResourceBody, key = 'policy'): Statement[] =>
  (JSON.parse(body[key] as string) as { Statement: Statement[] }).Statement;

const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : [value].flat());

const queueNamed = (app: SynthesizedApp, name: string): ResourceBody => {
  const found = app.resources(HUB, 'aws_sqs_queue').find(([, body]) => body.name === name);
  if (found === undefined) throw new Error(`no queue ${name}`);
  return found[1];
};

describe('hub queues', () => {
  it('sends a message to the DLQ after queue.maxReceiveCount receives', () => {
    // Arrange
    const config = makeConfig({ queue: { maxReceiveCount: 7 } });

    // Act
    const app = synthApp(config);

    // Assert
    const queue = queueNamed(app, hubQueueName(config));
    expect(JSON.parse(queue.redrive_policy as string)).toEqual({
      deadLetterTargetArn: reference(app, HUB, 'aws_sqs_queue', 'arn', dlqName(config)),
      maxReceiveCount: 7,
    });
  });

  it('sets retention in seconds from days, the visibility timeout, and SQS-managed encryption on both queues', () => {
    const config = makeConfig({ queue: { retentionDays: 3, dlqRetentionDays: 10, visibilityTimeoutSeconds: 420 } });

    const app = synthApp(config);

    const queue = queueNamed(app, hubQueueName(config));
    const dlq = queueNamed(app, dlqName(config));
    expect(queue).toMatchObject({
      message_retention_seconds: 3 * 86_400,
      visibility_timeout_seconds: 420,
      sqs_managed_sse_enabled: true,
    });
    expect(dlq).toMatchObject({ message_retention_seconds: 10 * 86_400, sqs_managed_sse_enabled: true });
  });

  it('lets only the hub queue use the DLQ', () => {
    const config = makeConfig();

    const app = synthApp(config);

    const allow = app.only(HUB, 'aws_sqs_queue_redrive_allow_policy');
    expect(allow.queue_url).toBe(reference(app, HUB, 'aws_sqs_queue', 'url', dlqName(config)));
    expect(JSON.parse(allow.redrive_allow_policy as string)).toEqual({
      redrivePermission: 'byQueue',
      sourceQueueArns: [reference(app, HUB, 'aws_sqs_queue', 'arn', hubQueueName(config))],
    });
  });

  it('lets EventBridge send to the hub queue only on behalf of the hub rule', () => {
    const config = makeConfig();

    const app = synthApp(config);

    const hubQueueUrl = reference(app, HUB, 'aws_sqs_queue', 'url', hubQueueName(config));
    const policies = app.resources(HUB, 'aws_sqs_queue_policy').filter(([, body]) => body.queue_url === hubQueueUrl);
    expect(policies).toHaveLength(1);
    const [[, policy]] = policies as [[string, ResourceBody]];
    expect(statementsOf(policy)).toEqual([
      {
        Sid: 'HubRuleSendsFindings',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: reference(app, HUB, 'aws_sqs_queue', 'arn', hubQueueName(config)),
        Condition: { ArnEquals: { 'aws:SourceArn': reference(app, HUB, 'aws_cloudwatch_event_rule', 'arn') } },
      },
    ]);
  });
});

describe('hub bus', () => {
  it('routes every GuardDuty finding and forwarded GuardDuty API call on the hub bus to the hub queue, without a role on the target', () => {
    const config = makeConfig();

    const app = synthApp(config);

    expect(app.only(HUB, 'aws_cloudwatch_event_bus').name).toBe(hubBusName(config));
    const rule = app.only(HUB, 'aws_cloudwatch_event_rule');
    expect(rule.event_bus_name).toBe(reference(app, HUB, 'aws_cloudwatch_event_bus', 'name'));
    expect(JSON.parse(rule.event_pattern as string)).toEqual({
      source: ['aws.guardduty'],
      'detail-type': [
        'GuardDuty Finding',
        'GuardDuty Malware Protection Object Scan Result',
        'GuardDuty Runtime Protection Unhealthy',
        'GuardDuty Runtime Protection Healthy',
        'GuardDuty Malware Protection Resource Status Active',
        'GuardDuty Malware Protection Resource Status Warning',
        'GuardDuty Malware Protection Resource Status Error',
        'GuardDuty Malware Protection Post Scan Action Failed',
        'AWS API Call via CloudTrail',
      ],
    });
    const target = app.only(HUB, 'aws_cloudwatch_event_target');
    expect(target.arn).toBe(reference(app, HUB, 'aws_sqs_queue', 'arn', hubQueueName(config)));
    expect(target).not.toHaveProperty('role_arn');
  });

  it('gives forwarders a role that EventBridge assumes and that may only put events on the hub bus', () => {
    const config = makeConfig();

    const app = synthApp(config);

    const [, role] = app.resources(HUB, 'aws_iam_role').find(([, body]) => body.name === 'guardduty-hub-forwarder')!;
    expect(statementsOf(role, 'assume_role_policy')).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': config.hub.account } },
      },
    ]);
    const [, policy] = app
      .resources(HUB, 'aws_iam_role_policy')
      .find(([, body]) => body.name === 'put-events-on-hub-bus')!;
    expect(statementsOf(policy)).toEqual([
      { Effect: 'Allow', Action: 'events:PutEvents', Resource: reference(app, HUB, 'aws_cloudwatch_event_bus', 'arn') },
    ]);
  });
});

describe('consumer', () => {
  it('feeds the consumer batches as configured and honours partial batch failures', () => {
    const config = makeConfig({ delivery: { batchSize: 250, maxBatchingWindowSeconds: 10, maxConcurrency: 7 } });

    const app = synthApp(config);

    const mapping = app.only(HUB, 'aws_lambda_event_source_mapping');
    expect(mapping).toMatchObject({
      event_source_arn: reference(app, HUB, 'aws_sqs_queue', 'arn', hubQueueName(config)),
      function_name: reference(app, HUB, 'aws_lambda_function', 'arn', functionName(config)),
      batch_size: 250,
      maximum_batching_window_in_seconds: 10,
      scaling_config: { maximum_concurrency: 7 },
      function_response_types: ['ReportBatchItemFailures'],
    });
  });

  it('runs Node 22 on arm64 with the configured memory and timeout and the documented environment', () => {
    const config = makeConfig({ consumer: { memoryMb: 512, timeoutSeconds: 45 } });

    const app = synthApp(config);

    const fn = consumerFunction(app, config);
    expect(fn).toMatchObject({
      function_name: functionName(config),
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      memory_size: 512,
      timeout: 45,
      role: reference(app, HUB, 'aws_iam_role', 'arn', 'guardduty-hub-consumer'),
    });
    expect((fn.environment as { variables: Record<string, string> }).variables).toEqual({
      STATE_TABLE_NAME: reference(app, HUB, 'aws_dynamodb_table', 'name'),
      HUB_QUEUE_URL: reference(app, HUB, 'aws_sqs_queue', 'url', hubQueueName(config)),
      HUB_DLQ_URL: reference(app, HUB, 'aws_sqs_queue', 'url', dlqName(config)),
      POWERTOOLS_SERVICE_NAME: 'guardduty-hub',
      POWERTOOLS_METRICS_NAMESPACE: 'GuardDutyHub',
      LOG_LEVEL: 'INFO',
    });
    expect(fn.filename).toMatch(/^assets\/.+\/archive\.zip$/);
    expect(fn.source_code_hash).toBe(`\${filebase64sha256("${fn.filename as string}")}`);
  });

  it('creates the log group first, with the configured retention', () => {
    const config = makeConfig({ consumer: { logRetentionDays: 90 } });

    const app = synthApp(config);

    const [logGroupId, logGroup] = app
      .resources(HUB, 'aws_cloudwatch_log_group')
      .find(([, body]) => body.name === consumerLogGroupName(config))!;
    expect(logGroup).toMatchObject({ name: consumerLogGroupName(config), retention_in_days: 90 });
    expect(consumerFunction(app, config).depends_on).toContain(`aws_cloudwatch_log_group.${logGroupId}`);
  });

  it('grants the consumer exact actions on exact resources, with no wildcard resource', () => {
    const config = makeConfig();

    const app = synthApp(config);

    const [, policy] = app.resources(HUB, 'aws_iam_role_policy').find(([, body]) => body.name === 'consumer')!;
    const statements = statementsOf(policy);
    const byResource = Object.fromEntries(
      statements.map((s) => [s.Sid, { actions: list(s.Action), resources: list(s.Resource) }]),
    );
    expect(byResource).toEqual({
      ReadHubQueue: {
        actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'],
        resources: [reference(app, HUB, 'aws_sqs_queue', 'arn', hubQueueName(config))],
      },
      DeadLetterToHubDlq: {
        actions: ['sqs:SendMessage'],
        resources: [reference(app, HUB, 'aws_sqs_queue', 'arn', dlqName(config))],
      },
      ReadWebhookSecrets: {
        actions: ['secretsmanager:GetSecretValue'],
        resources: app
          .resources(HUB, 'aws_secretsmanager_secret')
          .map(([id]) => `\${aws_secretsmanager_secret.${id}.arn}`),
      },
      FindingState: {
        actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        resources: [reference(app, HUB, 'aws_dynamodb_table', 'arn')],
      },
      WriteLogs: {
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [`${reference(app, HUB, 'aws_cloudwatch_log_group', 'arn', consumerLogGroupName(config))}:*`],
      },
    });
    for (const statement of statements) {
      expect(statement.Effect).toBe('Allow');
      for (const action of list(statement.Action)) expect(action).not.toContain('*');
      // The only wildcard is the log-stream part of the log group ARN, which AWS requires.
      for (const resource of list(statement.Resource)) expect(resource.replace(/\}:\*$/, '}')).not.toContain('*');
    }
  });
});

describe('webhook secrets', () => {
  it('creates one empty secret per destination, named by its webhookSecret, and never a secret value', () => {
    const config = makeConfig({
      destinations: { 'team-b': { webhookSecret: 'hub/slack/team-b' } },
      accounts: { '444444444444': { name: 'member3', email: 'aws+member3@example.com', destination: 'team-b' } },
    });

    const app = synthApp(config);

    const names = app.resources(HUB, 'aws_secretsmanager_secret').map(([, body]) => body.name);
    expect(names.sort()).toEqual(['guardduty-hub/slack/security', 'guardduty-hub/slack/team-a', 'hub/slack/team-b']);
    for (const name of app.names) expect(app.resources(name, 'aws_secretsmanager_secret_version')).toEqual([]);
    expect(app.text).not.toMatch(/secret_string|secret_binary/);
  });

  it('creates a shared webhook secret once', () => {
    const config = makeConfig({ destinations: { 'team-a': { webhookSecret: 'guardduty-hub/slack/security' } } });

    const app = synthApp(config);

    expect(app.resources(HUB, 'aws_secretsmanager_secret').map(([, body]) => body.name)).toEqual([
      'guardduty-hub/slack/security',
    ]);
  });

  it('puts no webhook URL and no https URL anywhere in any stack', () => {
    const config = makeConfig();

    const app = synthApp(config);

    expect(app.text).not.toMatch(/hooks\.slack(-gov)?\.com/i);
    expect(app.text).not.toMatch(/https?:\/\//i);
  });
});

describe('finding-state table', () => {
  it('is on-demand with key pk, TTL on expiresAt, point-in-time recovery, encryption and the sparse finding-history index', () => {
    const config = makeConfig();

    const app = synthApp(config);

    expect(app.only(HUB, 'aws_dynamodb_table')).toEqual({
      name: stateTableName(config),
      billing_mode: 'PAY_PER_REQUEST',
      hash_key: 'pk',
      attribute: [
        { name: 'pk', type: 'S' },
        { name: 'findingType', type: 'S' },
        { name: 'notifiedAt', type: 'N' },
      ],
      global_secondary_index: [
        {
          name: 'by-type',
          hash_key: 'findingType',
          range_key: 'notifiedAt',
          projection_type: 'INCLUDE',
          non_key_attributes: [
            'findingId',
            'accountId',
            'findingRegion',
            'resourceField',
            'resourceValue',
            'inSequence',
            'band',
            'severity',
          ],
        },
      ],
      ttl: { attribute_name: 'expiresAt', enabled: true },
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true },
    });
  });
});

describe('outputs', () => {
  it('exports what operators and the CLI look up', () => {
    const app = synthApp(makeConfig());

    expect(Object.keys(app.stack(HUB).output ?? {}).sort()).toEqual([
      'alarm_topic_arn',
      'dashboard_name',
      'dlq_arn',
      'dlq_url',
      'forwarder_role_arn',
      'function_name',
      'hub_bus_arn',
      'hub_queue_arn',
      'hub_queue_url',
      'hub_rule_dlq_url',
      'state_table_name',
    ]);
  });
});

describe('names', () => {
  it('names hub resources after hub.name', () => {
    const config = makeConfig({ hub: { name: 'gd-prod' } });

    const app = synthApp(config);

    expect(queueNamed(app, 'gd-prod-findings')).toBeDefined();
    expect(consumerFunction(app, config).function_name).toBe('gd-prod-consumer');
    expect(app.only(HUB, 'aws_sns_topic').name).toBe(alarmTopicName(config));
    expect(app.only(HUB, 'aws_cloudwatch_dashboard').dashboard_name).toBe(dashboardName(config));
  });
});
