import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BUNDLE_FILES, buildConsumerBundle } from '../../scripts/build-consumer.ts';
import { describe, expect, it } from 'vitest';
import { DRIFT_ACTIONS } from '../../stacks/index.ts';
import { SILENCES_KEY, silenceTallyKey } from '../../core/state-keys.ts';
import { driftFunctionName, driftScheduleName, hubQueueName } from '../../shared/index.ts';
import { makeConfig } from '../factories/config.ts';
import { triageConfig } from '../consumer/triage/triage-support.ts';
import { reference, synthApp, type ResourceBody, type SynthesizedApp } from '../support/synth.ts';

const HUB = 'hub';
type Statement = {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Principal?: Record<string, string>;
  Condition?: unknown;
};
const statementsOf = (body: ResourceBody, key = 'policy'): Statement[] =>
  (JSON.parse(body[key] as string) as { Statement: Statement[] }).Statement;
const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : [value].flat());
const named = (app: SynthesizedApp, type: string, key: string, value: string): ResourceBody => {
  const found = app.resources(HUB, type).find(([, body]) => body[key] === value);
  if (found === undefined) throw new Error(`no ${type} with ${key} ${value}`);
  return found[1];
};

/**
 * IAM actions named by SDK commands in lambdas/drift, the canary store and the DynamoDB silence store its
 * steps use (`ListMembersCommand` → guardduty:ListMembers).
 */
async function actionsCalledByDriftCheck(): Promise<Set<string>> {
  const prefixes: Record<string, string> = {
    'client-guardduty': 'guardduty',
    'client-cloudtrail': 'cloudtrail',
    'client-dynamodb': 'dynamodb',
    'client-sqs': 'sqs',
    'client-eventbridge': 'events',
    'client-cloudwatch': 'cloudwatch',
    'client-secrets-manager': 'secretsmanager',
  };
  const clients = await Promise.all(
    Object.entries(prefixes).map(async ([client, prefix]) => ({
      prefix,
      sdk: (await import(`@aws-sdk/${client}`)) as object,
    })),
  );
  const folder = (path: string) => {
    const dir = fileURLToPath(new URL(`../../${path}`, import.meta.url));
    return readdirSync(dir)
      .filter((name) => name.endsWith('.ts'))
      .map((name) => join(dir, name));
  };
  const silences = fileURLToPath(new URL('../../core/silences', import.meta.url));
  const files = [
    ...folder('lambdas/drift'),
    ...folder('core/canary'),
    join(silences, 'dynamo-store.ts'),
    join(silences, 'dynamo-tally.ts'),
  ];
  const actions = new Set<string>();
  for (const file of files) {
    for (const [name, command] of readFileSync(file, 'utf8').matchAll(/\b([A-Z]\w+)Command\b/g)) {
      const owner = clients.find(({ sdk }) => name! in sdk);
      if (owner) actions.add(`${owner.prefix}:${owner.prefix === 'sqs' ? command!.replace(/Batch$/, '') : command}`);
    }
  }
  return actions;
}

describe('drift check', () => {
  it('runs the bundle’s driftHandler on Node 22, with the state table and hub queue in its environment', () => {
    const config = makeConfig();

    const app = synthApp(config);

    const fn = named(app, 'aws_lambda_function', 'function_name', driftFunctionName(config));
    expect(fn).toMatchObject({ handler: 'index.driftHandler', runtime: 'nodejs22.x', architectures: ['arm64'] });
    expect((fn.environment as { variables: Record<string, string> }).variables).toEqual({
      STATE_TABLE_NAME: reference(app, HUB, 'aws_dynamodb_table', 'name'),
      HUB_QUEUE_URL: reference(app, HUB, 'aws_sqs_queue', 'url', hubQueueName(config)),
    });
  });

  it('is scheduled by EventBridge Scheduler every guard.driftCheckMinutes, with a role that may only invoke it', () => {
    const config = makeConfig({ guard: { driftCheckMinutes: 10 } });

    const app = synthApp(config);

    const schedule = app.only(HUB, 'aws_scheduler_schedule');
    expect(schedule).toMatchObject({
      name: driftScheduleName(config),
      schedule_expression: 'rate(10 minutes)',
      flexible_time_window: { mode: 'OFF' },
      target: {
        arn: reference(app, HUB, 'aws_lambda_function', 'arn', driftFunctionName(config)),
        role_arn: reference(app, HUB, 'aws_iam_role', 'arn', driftScheduleName(config)),
      },
    });
    const role = named(app, 'aws_iam_role', 'name', driftScheduleName(config));
    expect(statementsOf(role, 'assume_role_policy')).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': config.hub.account } },
      },
    ]);
    expect(statementsOf(named(app, 'aws_iam_role_policy', 'name', 'invoke-drift-check'))).toEqual([
      {
        Sid: 'InvokeDriftCheck',
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: reference(app, HUB, 'aws_lambda_function', 'arn', driftFunctionName(config)),
      },
    ]);
  });

  it('grants the function exact actions: GuardDuty reads on the configured regions’ detectors, CloudTrail reads, its state, sending to the hub queue', () => {
    const config = makeConfig(
      { regions: ['us-east-1', 'us-west-2'], accounts: {}, guard: { canary: { enabled: false } } },
      { replace: ['accounts'] },
    );

    const app = synthApp(config);

    const statements = statementsOf(named(app, 'aws_iam_role_policy', 'name', 'drift-check'));
    expect(Object.fromEntries(statements.map((s) => [s.Sid, [list(s.Action), list(s.Resource)]]))).toEqual({
      ListDetectors: [['guardduty:ListDetectors'], ['*']], // ListDetectors has no resource-level permissions
      ReadDetectorsAndMembers: [
        ['guardduty:GetDetector', 'guardduty:ListMembers'],
        ['arn:aws:guardduty:us-east-1:111111111111:detector/*', 'arn:aws:guardduty:us-west-2:111111111111:detector/*'],
      ],
      DescribeTrails: [['cloudtrail:DescribeTrails'], ['*']], // no resource-level permissions either
      ReadTrails: [['cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors'], ['arn:aws:cloudtrail:*:*:trail/*']],
      DriftState: [
        ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        [reference(app, HUB, 'aws_dynamodb_table', 'arn')],
      ],
      SendAlerts: [['sqs:SendMessage'], [reference(app, HUB, 'aws_sqs_queue', 'arn', hubQueueName(config))]],
      SilenceRecaps: [['dynamodb:GetItem', 'dynamodb:UpdateItem'], [reference(app, HUB, 'aws_dynamodb_table', 'arn')]],
      WriteLogs: [
        ['logs:CreateLogStream', 'logs:PutLogEvents'],
        [`${reference(app, HUB, 'aws_cloudwatch_log_group', 'arn', `/aws/lambda/${driftFunctionName(config)}`)}:*`],
      ],
    });
  });

  it('grants the canary samples on the detectors, reads of the path’s rules and dead-letter queues, and its metric in the hub namespace only', () => {
    const config = makeConfig({ regions: ['us-east-1', 'us-west-2'], accounts: {} }, { replace: ['accounts'] });

    const app = synthApp(config);

    const statements = statementsOf(named(app, 'aws_iam_role_policy', 'name', 'drift-check'));
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(list(bySid.CanarySamples?.Action)).toEqual(['guardduty:CreateSampleFindings', 'guardduty:ArchiveFindings']);
    expect(list(bySid.CanarySamples?.Resource)).toEqual([
      'arn:aws:guardduty:us-east-1:111111111111:detector/*',
      'arn:aws:guardduty:us-west-2:111111111111:detector/*',
    ]);
    expect(list(bySid.CanaryReadRules?.Resource)).toEqual([
      'arn:aws:events:us-east-1:111111111111:rule/guardduty-hub-forward',
      'arn:aws:events:us-west-2:111111111111:rule/guardduty-hub-forward',
      'arn:aws:events:us-west-2:111111111111:rule/guardduty-hub-hub/guardduty-hub-to-queue',
    ]);
    expect(list(bySid.CanaryReadQueues?.Resource)).toEqual([
      'arn:aws:sqs:us-east-1:111111111111:guardduty-hub-forward-dlq',
      'arn:aws:sqs:us-west-2:111111111111:guardduty-hub-forward-dlq',
      'arn:aws:sqs:us-west-2:111111111111:guardduty-hub-to-queue-dlq',
      'arn:aws:sqs:us-west-2:111111111111:guardduty-hub-findings-dlq',
    ]);
    expect(bySid.CanaryAge).toMatchObject({
      Action: ['cloudwatch:PutMetricData'],
      Resource: '*',
      Condition: { StringEquals: { 'cloudwatch:namespace': 'GuardDutyHub' } },
    });
  });

  it('lets the silence step read and update only the silences record and the silences’ tallies', () => {
    const app = synthApp(makeConfig());

    const statements = statementsOf(named(app, 'aws_iam_role_policy', 'name', 'drift-check'));
    expect(statements.find((s) => s.Sid === 'SilenceRecaps')?.Condition).toEqual({
      'ForAllValues:StringLike': {
        'dynamodb:LeadingKeys': [SILENCES_KEY, silenceTallyKey('*')],
      },
    });
  });

  it('with triage, may also list, read and delete the filters of the configured regions’ detectors and read the bot tokens (Slack-made filters expire)', () => {
    const config = triageConfig();

    const app = synthApp(config);

    const statements = statementsOf(named(app, 'aws_iam_role_policy', 'name', 'drift-check'));
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, [list(s.Action), list(s.Resource)]]));
    expect(bySid.ExpireSlackFilters).toEqual([
      ['guardduty:ListFilters', 'guardduty:GetFilter', 'guardduty:DeleteFilter'],
      config.regions.map((region) => `arn:aws:guardduty:${region}:${config.hub.account}:detector/*`),
    ]);
    expect(bySid.ReadBotTokens).toEqual([
      ['secretsmanager:GetSecretValue'],
      [reference(app, HUB, 'aws_secretsmanager_secret', 'arn', 'guardduty-hub/slack/alerts-bot')],
    ]);
  });

  it('grants every AWS action the drift code calls, and no other', async () => {
    const called = await actionsCalledByDriftCheck();

    expect([...called].sort()).toEqual(
      [...new Set(Object.values(DRIFT_ACTIONS).flat())].filter((a) => !a.startsWith('logs:')).sort(),
    );
  });

  it('is an entry point of the real consumer bundle that reads the bundled config and asks for its environment', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'guardduty-hub-drift-bundle-'));
    buildConsumerBundle({ config: makeConfig(), outDir });

    const bundle = (await import(/* @vite-ignore */ pathToFileURL(join(outDir, BUNDLE_FILES.code)).href)) as {
      driftHandler?: () => Promise<unknown>;
    };

    try {
      expect(typeof bundle.driftHandler).toBe('function');
      await expect(bundle.driftHandler!()).rejects.toThrow(
        'the drift check needs STATE_TABLE_NAME and HUB_QUEUE_URL in its environment',
      );
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  }, 30_000);

  it('is left out with guard.driftCheck false', () => {
    const app = synthApp(makeConfig({ guard: { driftCheck: false } }));

    expect(app.resources(HUB, 'aws_scheduler_schedule')).toEqual([]);
    expect(app.resources(HUB, 'aws_lambda_function')).toHaveLength(1);
  });
});
