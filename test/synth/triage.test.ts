import { describe, expect, it } from 'vitest';
import { TRIAGE_ACTIONS, TRIAGE_TIMEOUT_SECONDS } from '../../stacks/index.ts';
import { TRIAGE_JOB_MAX_AGE_SECONDS, triageFunctionArn, triageFunctionName } from '../../shared/index.ts';
import { loadGuardDutyModel } from '../model/guardduty-model.ts';
import { makeConfig } from '../factories/config.ts';
import { reference, synthApp, type ResourceBody, type SynthesizedApp } from '../support/synth.ts';
import { terraformValidate } from '../support/terraform-validate.ts';

const HUB = 'hub';
const TRIAGE = {
  signingSecret: 'guardduty-hub/slack/signing',
  allow: { archive: ['U0123ABCD9'], suppress: ['S0SECOPS01'] },
};
const APP = { app: { botTokenSecret: 'guardduty-hub/slack/alerts-bot', channel: 'C0123ABCD9' } };
const TRIAGE_TYPES = ['aws_lambda_function_url', 'aws_lambda_permission', 'aws_lambda_function_event_invoke_config'];

type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: string | string[] };
const statementsOf = (body: ResourceBody): Statement[] =>
  (JSON.parse(body.policy as string) as { Statement: Statement[] }).Statement;
const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : [value].flat());
const named = (app: SynthesizedApp, type: string, key: string, value: string): ResourceBody | undefined =>
  app.resources(HUB, type).find(([, body]) => body[key] === value)?.[1];

function triageConfig(overrides: Record<string, unknown> = {}, replace: string[] = []) {
  return makeConfig({ destinations: { alerts: APP }, triage: TRIAGE, ...overrides }, { replace });
}

describe('the triage endpoint', () => {
  it('does not exist without triage: no function, URL, permission, role, policy, signing secret or triage_url output', () => {
    const config = makeConfig({ destinations: { alerts: APP } });

    const app = synthApp(config);

    expect(named(app, 'aws_lambda_function', 'function_name', triageFunctionName(config))).toBeUndefined();
    expect(named(app, 'aws_iam_role', 'name', triageFunctionName(config))).toBeUndefined();
    expect(named(app, 'aws_iam_role_policy', 'name', 'triage')).toBeUndefined();
    for (const type of TRIAGE_TYPES) expect(app.resources(HUB, type)).toEqual([]);
    expect(app.resources(HUB, 'aws_secretsmanager_secret').map(([, body]) => body.name)).not.toContain(
      TRIAGE.signingSecret,
    );
    expect(Object.keys(app.stack(HUB).output ?? {})).not.toContain('triage_url');
  });

  it('runs the bundle’s triageHandler on Node 22 arm64 with a short timeout, the state table, and its own log group at the consumer’s retention', () => {
    const config = triageConfig({ consumer: { logRetentionDays: 90 } });

    const app = synthApp(config);

    const fn = named(app, 'aws_lambda_function', 'function_name', triageFunctionName(config));
    expect(fn).toMatchObject({
      handler: 'index.triageHandler',
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      timeout: TRIAGE_TIMEOUT_SECONDS,
    });
    expect(TRIAGE_TIMEOUT_SECONDS).toBeGreaterThanOrEqual(30);
    expect(TRIAGE_TIMEOUT_SECONDS).toBeLessThanOrEqual(60);
    expect((fn!.environment as { variables: Record<string, string> }).variables).toMatchObject({
      STATE_TABLE_NAME: reference(app, HUB, 'aws_dynamodb_table', 'name'),
    });
    const consumerCode = named(app, 'aws_lambda_function', 'function_name', `${config.hub.name}-consumer`)!;
    const bundleHash = (filename: unknown) => String(filename).split('/').at(-2);
    expect(bundleHash(fn!.filename)).toBe(bundleHash(consumerCode.filename));
    expect(named(app, 'aws_cloudwatch_log_group', 'name', `/aws/lambda/${triageFunctionName(config)}`)).toMatchObject({
      retention_in_days: 90,
    });
  });

  it('has a public function URL (Slack cannot sign AWS requests) whose address is the triage_url output', () => {
    const config = triageConfig();

    const app = synthApp(config);

    const fnName = reference(app, HUB, 'aws_lambda_function', 'function_name', triageFunctionName(config));
    expect(app.only(HUB, 'aws_lambda_function_url')).toMatchObject({
      function_name: fnName,
      authorization_type: 'NONE',
    });
    expect(app.stack(HUB).output?.triage_url?.value).toBe(
      reference(app, HUB, 'aws_lambda_function_url', 'function_url'),
    );
  });

  it('grants the public both calls a URL of type NONE needs: InvokeFunctionUrl for NONE URLs, and InvokeFunction', () => {
    const config = triageConfig();

    const app = synthApp(config);

    const fnName = reference(app, HUB, 'aws_lambda_function', 'function_name', triageFunctionName(config));
    const permissions = app.resources(HUB, 'aws_lambda_permission').map(([, body]) => body);
    expect(permissions).toHaveLength(2);
    expect(permissions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          function_name: fnName,
          action: 'lambda:InvokeFunctionUrl',
          principal: '*',
          function_url_auth_type: 'NONE',
        }),
        expect.objectContaining({ function_name: fnName, action: 'lambda:InvokeFunction', principal: '*' }),
      ]),
    );
  });

  it('keeps a job (an asynchronous self-invocation) no longer than the worker runs it, and never retries one', () => {
    const config = triageConfig();

    const app = synthApp(config);

    const fnName = reference(app, HUB, 'aws_lambda_function', 'function_name', triageFunctionName(config));
    expect(app.resources(HUB, 'aws_lambda_function_event_invoke_config').map(([, body]) => body)).toEqual([
      expect.objectContaining({
        function_name: fnName,
        maximum_event_age_in_seconds: TRIAGE_JOB_MAX_AGE_SECONDS,
        maximum_retry_attempts: 0,
      }),
    ]);
  });

  it('has a role with exactly the triage actions: GuardDuty on the hub account’s detectors in the configured regions, its state, its secrets, itself, its logs', () => {
    const config = triageConfig({ regions: ['us-east-1', 'us-west-2'], accounts: {} }, ['accounts']);

    const app = synthApp(config);

    const statements = statementsOf(named(app, 'aws_iam_role_policy', 'name', 'triage')!);
    const secretArn = (name: string) => reference(app, HUB, 'aws_secretsmanager_secret', 'arn', name);
    expect(Object.fromEntries(statements.map((s) => [s.Sid, [list(s.Action), list(s.Resource)]]))).toEqual({
      ListDetectors: [['guardduty:ListDetectors'], ['*']],
      TriageFindings: [
        ['guardduty:ArchiveFindings', 'guardduty:UnarchiveFindings', 'guardduty:CreateFilter', 'guardduty:TagResource'],
        ['arn:aws:guardduty:us-east-1:111111111111:detector/*', 'arn:aws:guardduty:us-west-2:111111111111:detector/*'],
      ],
      TriageState: [
        ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        [reference(app, HUB, 'aws_dynamodb_table', 'arn')],
      ],
      FindingHistory: [['dynamodb:Query'], [`${reference(app, HUB, 'aws_dynamodb_table', 'arn')}/index/by-type`]],
      ReadSecrets: [
        ['secretsmanager:GetSecretValue'],
        [secretArn(TRIAGE.signingSecret), secretArn(APP.app.botTokenSecret)],
      ],
      InvokeSelf: [['lambda:InvokeFunction'], [triageFunctionArn(config)]],
      WriteLogs: [
        ['logs:CreateLogStream', 'logs:PutLogEvents'],
        [`${reference(app, HUB, 'aws_cloudwatch_log_group', 'arn', `/aws/lambda/${triageFunctionName(config)}`)}:*`],
      ],
    });
    expect(triageFunctionArn(config)).toBe(
      `arn:aws:lambda:us-west-2:111111111111:function:${triageFunctionName(config)}`,
    );
    expect(named(app, 'aws_iam_role', 'name', triageFunctionName(config))).toBeDefined();
  });

  it('may read the PagerDuty destinations’ routing key secrets, and no webhook’s secret', () => {
    const oncall = 'guardduty-hub/pagerduty/oncall';
    const config = triageConfig({
      destinations: {
        security: { webhookSecret: 'guardduty-hub/slack/security' },
        alerts: APP,
        oncall: { type: 'pagerduty', routingKeySecret: oncall },
      },
    });

    const app = synthApp(config);

    const secretArn = (name: string) => reference(app, HUB, 'aws_secretsmanager_secret', 'arn', name);
    const statements = statementsOf(named(app, 'aws_iam_role_policy', 'name', 'triage')!);
    const reads = statements.filter((s) => list(s.Action).includes('secretsmanager:GetSecretValue'));
    expect(reads.map((s) => [s.Sid, list(s.Action), list(s.Resource)])).toEqual([
      [
        'ReadSecrets',
        ['secretsmanager:GetSecretValue'],
        [secretArn(TRIAGE.signingSecret), secretArn(APP.app.botTokenSecret), secretArn(oncall)],
      ],
    ]);
    expect(list(reads[0]?.Resource)).not.toContain(secretArn('guardduty-hub/slack/security'));
  });

  it('grants no wildcard action anywhere, and only GuardDuty operations that exist in the GuardDuty API model', () => {
    const config = triageConfig();
    const model = loadGuardDutyModel();

    const statements = statementsOf(named(synthApp(config), 'aws_iam_role_policy', 'name', 'triage')!);

    const actions = statements.flatMap((s) => list(s.Action));
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
    const guardduty = Object.values(TRIAGE_ACTIONS)
      .flat()
      .filter((action) => action.startsWith('guardduty:'));
    expect(
      guardduty.filter((action) => model.shapes[`${action.slice('guardduty:'.length)}Request`] === undefined),
    ).toEqual([]);
    expect(actions.sort()).toEqual(Object.values(TRIAGE_ACTIONS).flat().sort());
  });

  it('creates the signing secret as an empty shell (no value in Terraform), next to the bot token secrets', () => {
    const config = triageConfig();

    const app = synthApp(config);

    const secret = named(app, 'aws_secretsmanager_secret', 'name', TRIAGE.signingSecret);
    expect(secret).toBeDefined();
    expect(app.resources(HUB, 'aws_secretsmanager_secret_version')).toEqual([]);
  });

  it('synthesizes a hub stack that terraform validate accepts with hashicorp/aws 5.100.0', () => {
    const result = terraformValidate('triage-hub', synthApp(triageConfig()).stack(HUB));

    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.valid).toBe(true);
  }, 60_000);
});
