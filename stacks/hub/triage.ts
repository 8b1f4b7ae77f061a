import { Construct } from 'constructs';
import type { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table/index.js';
import type { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function/index.js';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config/index.js';
import { LambdaFunctionUrl } from '@cdktf/provider-aws/lib/lambda-function-url/index.js';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission/index.js';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret/index.js';
import {
  FINDING_HISTORY_INDEX,
  TRIAGE_JOB_MAX_AGE_SECONDS,
  partitionOf,
  triageFunctionArn,
  triageFunctionName,
  type HubConfig,
  type TriageConfig,
} from '../../shared/index.ts';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../shared/telemetry.ts';
import type { PolicyStatement } from '../common.ts';
import { bundledFunction } from './bundled-function.ts';

/**
 * The IAM actions of the triage function, by resource. `ListDetectors` has no resource-level
 * permission; the others name the hub account's detectors (a filter's ARN, which `TagResource`
 * takes, is `…:detector/<id>/filter/<name>`, inside `detector/*`).
 */
export const TRIAGE_ACTIONS = {
  listDetectors: ['guardduty:ListDetectors'],
  detectors: [
    'guardduty:ArchiveFindings',
    'guardduty:UnarchiveFindings',
    'guardduty:CreateFilter',
    'guardduty:TagResource',
  ],
  table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  /** "Suppress like this" counts what its filter would have matched on the state table's finding-history index. */
  history: ['dynamodb:Query'],
  secrets: ['secretsmanager:GetSecretValue'],
  /** The front hands the slow work to an asynchronous invocation of the same function. */
  invokeSelf: ['lambda:InvokeFunction'],
  logs: ['logs:CreateLogStream', 'logs:PutLogEvents'],
} as const;

/**
 * Timeout of the triage function in seconds. The front answers Slack within its 3 s; the worker
 * (the same function, invoked asynchronously) calls GuardDuty in every configured region, Slack, and
 * the PagerDuty lanes of the finding's account (10 s at most for those).
 */
export const TRIAGE_TIMEOUT_SECONDS = 60;

/** Memory of the triage function in MB. */
export const TRIAGE_MEMORY_MB = 256;

/** Props of {@link Triage}. */
export interface TriageProps {
  readonly config: Pick<HubConfig, 'hub' | 'regions' | 'consumer'> & { readonly triage: TriageConfig };
  /** The consumer bundle (it exports `triageHandler` beside `handler`). */
  readonly bundleDir: string;
  /** The finding-state table (messages, triage state, replay protection). */
  readonly table: DynamodbTable;
  /** ARNs of the app destinations' bot token secrets (the function edits messages and posts replies). */
  readonly botTokenSecretArns: readonly string[];
  /**
   * ARNs of the PagerDuty destinations' routing key secrets (Acknowledge and Archive acknowledge or
   * resolve the alert of each PagerDuty lane of the finding's account).
   */
  readonly routingKeySecretArns: readonly string[];
}

/**
 * The Slack interactivity endpoint: the triage function over the consumer bundle
 * (`index.triageHandler`, which reads the bundled config like the consumer and posts to PagerDuty's
 * Events API v2 at its public address), a public function URL (authorization `NONE`: Slack cannot sign AWS
 * requests, so the function checks Slack's signature itself and answers 401 to anything else), the
 * resource-policy statements a public URL needs, and the signing secret's shell (no value in
 * Terraform: the operator stores it with `guardduty-hub secrets set --signing-secret`).
 */
export class Triage extends Construct {
  readonly function: LambdaFunction;
  /** The function URL; its `functionUrl` is the Slack app's Interactivity Request URL. */
  readonly url: LambdaFunctionUrl;
  /** The secret that holds the Slack app's signing secret. */
  readonly signingSecret: SecretsmanagerSecret;

  constructor(scope: Construct, id: string, props: TriageProps) {
    super(scope, id);
    const { config } = props;
    this.signingSecret = new SecretsmanagerSecret(this, 'SigningSecret', {
      name: config.triage.signingSecret,
      description: 'Slack app signing secret of the guardduty-hub triage endpoint; the value is set by the operator',
    });
    this.function = bundledFunction(this, {
      name: triageFunctionName(config),
      description: 'Answers Slack button clicks on guardduty-hub messages (acknowledge, archive, unarchive, suppress)',
      roleDescription: 'Execution role of the guardduty-hub triage endpoint',
      policyName: 'triage',
      statements: (logGroupArn) =>
        triageStatements({ ...props, signingSecretArn: this.signingSecret.arn, logGroupArn }),
      bundleDir: props.bundleDir,
      handler: 'index.triageHandler',
      memoryMb: TRIAGE_MEMORY_MB,
      timeoutSeconds: TRIAGE_TIMEOUT_SECONDS,
      logRetentionDays: config.consumer.logRetentionDays,
      environment: {
        STATE_TABLE_NAME: props.table.name,
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      },
    }).function;
    // The worker's jobs (asynchronous self-invocations) wait in Lambda's queue no longer than the worker
    // would run them, and are not retried: a retried job has run already, and the worker refuses it.
    new LambdaFunctionEventInvokeConfig(this, 'Jobs', {
      functionName: this.function.functionName,
      maximumEventAgeInSeconds: TRIAGE_JOB_MAX_AGE_SECONDS,
      maximumRetryAttempts: 0,
    });
    this.url = new LambdaFunctionUrl(this, 'Url', {
      functionName: this.function.functionName,
      authorizationType: 'NONE',
    });
    // A public URL needs both grants to everyone: `InvokeFunctionUrl` limited to URLs of type NONE, and
    // (for URLs made since October 2025) `InvokeFunction`. hashicorp/aws 5.100.0 cannot limit the
    // latter to URL calls (`invoked_via_function_url` came in 6.29.0), so anyone may invoke the function
    // directly too: the function must trust no event it has not verified itself.
    new LambdaPermission(this, 'PublicUrl', {
      statementId: 'SlackInteractivityUrl',
      functionName: this.function.functionName,
      action: 'lambda:InvokeFunctionUrl',
      principal: '*',
      functionUrlAuthType: 'NONE',
    });
    new LambdaPermission(this, 'PublicInvoke', {
      statementId: 'SlackInteractivityInvoke',
      functionName: this.function.functionName,
      action: 'lambda:InvokeFunction',
      principal: '*',
    });
  }
}

/** The triage policy: exact actions on exact resources. */
function triageStatements(
  props: TriageProps & { readonly signingSecretArn: string; readonly logGroupArn: string },
): PolicyStatement[] {
  const { config } = props;
  const detectors = config.regions.map(
    (region) => `arn:${partitionOf(region)}:guardduty:${region}:${config.hub.account}:detector/*`,
  );
  return [
    { Sid: 'ListDetectors', Effect: 'Allow', Action: TRIAGE_ACTIONS.listDetectors, Resource: '*' },
    { Sid: 'TriageFindings', Effect: 'Allow', Action: TRIAGE_ACTIONS.detectors, Resource: detectors },
    { Sid: 'TriageState', Effect: 'Allow', Action: TRIAGE_ACTIONS.table, Resource: props.table.arn },
    {
      Sid: 'FindingHistory',
      Effect: 'Allow',
      Action: TRIAGE_ACTIONS.history,
      Resource: `${props.table.arn}/index/${FINDING_HISTORY_INDEX.name}`,
    },
    {
      Sid: 'ReadSecrets',
      Effect: 'Allow',
      Action: TRIAGE_ACTIONS.secrets,
      Resource: [props.signingSecretArn, ...props.botTokenSecretArns, ...props.routingKeySecretArns],
    },
    { Sid: 'InvokeSelf', Effect: 'Allow', Action: TRIAGE_ACTIONS.invokeSelf, Resource: triageFunctionArn(config) },
    { Sid: 'WriteLogs', Effect: 'Allow', Action: TRIAGE_ACTIONS.logs, Resource: `${props.logGroupArn}:*` },
  ];
}
