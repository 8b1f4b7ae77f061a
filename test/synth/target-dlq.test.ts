import { describe, expect, it } from 'vitest';
import { makeConfig } from '../factories/config.ts';
import { reference, synthApp, type ResourceBody, type SynthesizedApp } from '../support/synth.ts';
import {
  deadLetterQueues,
  forwarderDlqName,
  forwarderRuleArn,
  forwarderRuleName,
  tamperRuleName,
  hubRuleArn,
  hubRuleDlqName,
  regionStackName,
} from '../../shared/index.ts';

// Item 5 of issue 10: every EventBridge target has a DLQ in the rule's region, a retry policy, and a
// queue policy that lets EventBridge send only on behalf of that rule.

const HUB = 'hub';
const FOURTEEN_DAYS_SECONDS = 14 * 24 * 60 * 60;

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: string;
  Principal?: Record<string, string>;
  Condition?: Record<string, Record<string, string>>;
}

function queueNamed(app: SynthesizedApp, stack: string, name: string): [string, ResourceBody] {
  const found = app.resources(stack, 'aws_sqs_queue').find(([, body]) => body.name === name);
  if (found === undefined) throw new Error(`no queue ${name} in ${stack}`);
  return found;
}

function policyOf(app: SynthesizedApp, stack: string, queueId: string): Statement[] {
  const policies = app
    .resources(stack, 'aws_sqs_queue_policy')
    .filter(([, body]) => body.queue_url === `\${aws_sqs_queue.${queueId}.url}`);
  expect(policies, `queue policies of ${queueId}`).toHaveLength(1);
  return (JSON.parse(policies[0]![1].policy as string) as { Statement: Statement[] }).Statement;
}

/** What a target DLQ must be: SSE, 14 days, and sendable by EventBridge for `ruleArn` only. */
function expectTargetDlq(
  app: SynthesizedApp,
  stack: string,
  queueName: string,
  ruleArn: string | readonly string[],
): string {
  const [id, queue] = queueNamed(app, stack, queueName);
  expect(queue).toMatchObject({ sqs_managed_sse_enabled: true, message_retention_seconds: FOURTEEN_DAYS_SECONDS });
  expect(queue).not.toHaveProperty('redrive_policy');
  expect(policyOf(app, stack, id)).toEqual([
    {
      Sid: 'RuleDeadLetters',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: `\${aws_sqs_queue.${id}.arn}`,
      Condition: { ArnEquals: { 'aws:SourceArn': ruleArn } },
    },
  ]);
  return `\${aws_sqs_queue.${id}.arn}`;
}

const RETRY = { maximum_event_age_in_seconds: 86_400, maximum_retry_attempts: 185 };

describe('hub rule target', () => {
  it('dead-letters into its own DLQ in the hub region, retrying explicitly for a day first', () => {
    const config = makeConfig();

    const app = synthApp(config);

    const ruleArn = reference(app, HUB, 'aws_cloudwatch_event_rule', 'arn');
    const dlqArn = expectTargetDlq(app, HUB, hubRuleDlqName(config), ruleArn);
    expect(app.only(HUB, 'aws_cloudwatch_event_target')).toMatchObject({
      dead_letter_config: { arn: dlqArn },
      retry_policy: RETRY,
    });
    expect(app.stack(HUB).provider?.aws?.[0]?.region).toBe(config.hub.region);
  });
});

describe('forwarder targets', () => {
  it('dead-letter into a DLQ in their own region, for their own rule only, after an explicit retry policy', () => {
    const config = makeConfig({ guard: { tamperAlerts: false } });

    const app = synthApp(config);

    for (const region of config.regions) {
      const stack = regionStackName(region);
      const ruleArn = reference(app, stack, 'aws_cloudwatch_event_rule', 'arn');
      const dlqArn = expectTargetDlq(app, stack, forwarderDlqName(config), ruleArn);
      expect(app.only(stack, 'aws_cloudwatch_event_target'), region).toMatchObject({
        dead_letter_config: { arn: dlqArn },
        retry_policy: RETRY,
      });
      // The DLQ is created by the region's own provider: the rule's region, as EventBridge requires.
      expect(app.stack(stack).provider?.aws?.map((p) => p.region)).toEqual([region]);
    }
  });

  it('share the DLQ with the tamper rule of their region, which the queue policy then names too', () => {
    const config = makeConfig();

    const app = synthApp(config);

    for (const region of config.regions) {
      const stack = regionStackName(region);
      const rules = [forwarderRuleName(config), tamperRuleName(config)].map((name) =>
        reference(app, stack, 'aws_cloudwatch_event_rule', 'arn', name),
      );
      const dlqArn = expectTargetDlq(app, stack, forwarderDlqName(config), rules);
      for (const [, target] of app.resources(stack, 'aws_cloudwatch_event_target')) {
        expect(target, region).toMatchObject({ dead_letter_config: { arn: dlqArn }, retry_policy: RETRY });
      }
    }
  });

  it('keeps the hub stack free of forwarder DLQs and each region free of the hub rule DLQ', () => {
    const config = makeConfig();

    const app = synthApp(config);

    expect(app.resources(HUB, 'aws_sqs_queue').map(([, body]) => body.name)).not.toContain(forwarderDlqName(config));
    for (const region of config.regions) {
      expect(app.resources(regionStackName(region), 'aws_sqs_queue').map(([, body]) => body.name)).toEqual([
        forwarderDlqName(config),
      ]);
    }
  });
});

describe('dead-letter queue names', () => {
  it('list every DLQ once with the ARN of the rule that fills it, in EventBridge ARN form', () => {
    const config = makeConfig(
      { hub: { name: 'gd' }, regions: ['us-west-2', 'eu-north-1'], accounts: {} },
      { replace: ['accounts'] },
    );

    const specs = deadLetterQueues(config);

    expect(specs.map((s) => [s.id, s.kind, s.name, s.region, s.stack])).toEqual([
      ['hub', 'hub-queue', 'gd-findings-dlq', 'us-west-2', 'hub'],
      ['hub-rule', 'hub-rule', 'gd-to-queue-dlq', 'us-west-2', 'hub'],
      ['forwarder-us-west-2', 'forwarder', 'gd-forward-dlq', 'us-west-2', 'region-us-west-2'],
      ['forwarder-eu-north-1', 'forwarder', 'gd-forward-dlq', 'eu-north-1', 'region-eu-north-1'],
    ]);
    // A rule on a custom bus is rule/<bus>/<rule>; on the default bus rule/<rule>.
    expect(hubRuleArn(config)).toBe('arn:aws:events:us-west-2:111111111111:rule/gd-hub/gd-to-queue');
    expect(forwarderRuleArn(config, 'eu-north-1')).toBe('arn:aws:events:eu-north-1:111111111111:rule/gd-forward');
    expect(specs.map((s) => s.ruleArn)).toEqual([
      undefined,
      hubRuleArn(config),
      forwarderRuleArn(config, 'us-west-2'),
      forwarderRuleArn(config, 'eu-north-1'),
    ]);
  });

  it('name the queues the stacks create', () => {
    const config = makeConfig();

    const app = synthApp(config);

    for (const spec of deadLetterQueues(config)) {
      expect(() => queueNamed(app, spec.stack, spec.name), spec.id).not.toThrow();
    }
  });
});
