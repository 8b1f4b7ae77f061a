import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { DescribeRuleCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { HUB_REGION, MEMBER_REGION, useDeployedHub } from './harness.ts';

// The synthesized stacks, applied to moto, hold what the JSON says: these are the resources the
// flow tests then push findings through.

const ctx = useDeployedHub();

const resourceArgs = (stack: string, type: string) =>
  Object.values(ctx.stacks.find((s) => s.name === stack)!.json.resource?.[type] ?? {});

describe('provisioning the synthesized stacks in moto', () => {
  it('creates the forwarder rule with the exact synthesized event pattern, targeting the hub bus with the forwarder role', async () => {
    const [rule] = resourceArgs(`region-${MEMBER_REGION}`, 'aws_cloudwatch_event_rule');
    const events = ctx.deployed.provisioned.clients(MEMBER_REGION).events;

    const described = await events.send(new DescribeRuleCommand({ Name: String(rule!.name), EventBusName: 'default' }));
    const { Targets = [] } = await events.send(
      new ListTargetsByRuleCommand({ Rule: String(rule!.name), EventBusName: 'default' }),
    );

    expect(described.EventPattern).toBe(rule!.event_pattern);
    expect(Targets).toEqual([
      expect.objectContaining({
        Arn: `arn:aws:events:${HUB_REGION}:${ctx.config.hub.account}:event-bus/${ctx.config.hub.name}-hub`,
        RoleArn: `arn:aws:iam::${ctx.config.hub.account}:role/${ctx.config.hub.name}-forwarder`,
      }),
    ]);
  });

  it('creates the hub queue with its visibility, retention and redrive policy to the DLQ', async () => {
    const { Attributes: queue = {} } = await ctx.deployed.hub.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: ctx.deployed.queue.url, AttributeNames: ['All'] }),
    );
    const { Attributes: dlq = {} } = await ctx.deployed.hub.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: ctx.deployed.dlq.url, AttributeNames: ['All'] }),
    );

    expect(queue.VisibilityTimeout).toBe(String(ctx.config.queue.visibilityTimeoutSeconds));
    expect(queue.MessageRetentionPeriod).toBe(String(ctx.config.queue.retentionDays * 86_400));
    expect(JSON.parse(queue.RedrivePolicy!)).toEqual({
      deadLetterTargetArn: dlq.QueueArn,
      maxReceiveCount: ctx.config.queue.maxReceiveCount,
    });
    expect(dlq.MessageRetentionPeriod).toBe(String(ctx.config.queue.dlqRetentionDays * 86_400));
  });

  it('lets only the hub rule send to the hub queue', async () => {
    const { Attributes = {} } = await ctx.deployed.hub.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: ctx.deployed.queue.url, AttributeNames: ['Policy'] }),
    );
    const hubRule = ctx.deployed.provisioned.ofType('hub', 'aws_cloudwatch_event_rule')[0]!;

    const [statement] = JSON.parse(Attributes.Policy!).Statement;

    expect(statement).toMatchObject({
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: ctx.deployed.queue.arn,
      Condition: { ArnEquals: { 'aws:SourceArn': hubRule.attributes.arn } },
    });
  });

  it('creates the state table with its key and TTL attribute, and one empty secret per webhook', async () => {
    const [table] = resourceArgs('hub', 'aws_dynamodb_table');
    const name = String(table!.name);

    const { Table } = await ctx.deployed.hub.dynamodb.send(new DescribeTableCommand({ TableName: name }));
    const { TimeToLiveDescription } = await ctx.deployed.hub.dynamodb.send(
      new DescribeTimeToLiveCommand({ TableName: name }),
    );
    const secrets = await Promise.all(
      Object.values(ctx.config.destinations).map(({ webhookSecret }) =>
        ctx.deployed.hub.secrets.send(new DescribeSecretCommand({ SecretId: webhookSecret })),
      ),
    );

    expect(Table?.KeySchema).toEqual([{ AttributeName: table!.hash_key, KeyType: 'HASH' }]);
    expect(TimeToLiveDescription).toMatchObject({
      AttributeName: (table!.ttl as { attribute_name: string }).attribute_name,
      TimeToLiveStatus: 'ENABLED',
    });
    expect(secrets.map((s) => s.Name).sort()).toEqual(
      Object.values(ctx.config.destinations)
        .map((d) => d.webhookSecret)
        .sort(),
    );
  });

  it('points the consumer function environment at the provisioned queue and table', () => {
    expect(ctx.deployed.environment).toMatchObject({
      HUB_QUEUE_URL: ctx.deployed.queue.url,
      STATE_TABLE_NAME: `${ctx.config.hub.name}-finding-state`,
    });
  });
});
