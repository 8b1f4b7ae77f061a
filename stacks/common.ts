import { S3Backend, type TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import type { Construct } from 'constructs';
import {
  CLOUDTRAIL_DETAIL_TYPE,
  COVERAGE_DETAIL_TYPE_LIST,
  type HubConfig,
  type StateConfig,
} from '../shared/index.ts';

/**
 * Pieces every stack shares: the AWS provider settings, the state backend, IAM policy JSON and the
 * GuardDuty finding event pattern.
 */

/** Settings of one AWS provider. */
export interface ProviderProps {
  /** Region the provider manages. */
  readonly region: string;
  /** The only account this provider may act in (Terraform refuses any other credentials). */
  readonly accountId: string;
  /** `hub.name`, applied as the `app` tag on every resource. */
  readonly appName: string;
  /** Provider alias, for stacks with more than one provider. */
  readonly alias?: string;
}

/** An AWS provider pinned to one region and one account, tagging everything with `app = <name>`. */
export function awsProvider(scope: Construct, id: string, props: ProviderProps): AwsProvider {
  return new AwsProvider(scope, id, {
    region: props.region,
    allowedAccountIds: [props.accountId],
    defaultTags: [{ tags: { app: props.appName } }],
    ...(props.alias === undefined ? {} : { alias: props.alias }),
  });
}

/** The S3 backend settings for one stack, or `undefined` for local state. */
export function backendSettings(
  state: StateConfig | undefined,
  hubRegion: string,
  stackName: string,
): { bucket: string; key: string; region: string; encrypt: true; dynamodbTable?: string } | undefined {
  if (state === undefined) return undefined;
  return {
    bucket: state.bucket,
    key: `${state.keyPrefix}/${stackName}.tfstate`,
    region: state.region ?? hubRegion,
    encrypt: true,
    ...(state.dynamodbTable === undefined ? {} : { dynamodbTable: state.dynamodbTable }),
  };
}

/** Adds the S3 backend from `config.state` to a stack; leaves local state when `state` is absent. */
export function configureBackend(
  stack: TerraformStack,
  config: Pick<HubConfig, 'state' | 'hub'>,
  stackName: string,
): void {
  const settings = backendSettings(config.state, config.hub.region, stackName);
  if (settings !== undefined) new S3Backend(stack, settings);
}

/** One IAM policy statement. Resources and principals may hold Terraform references (tokens). */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Principal?: Readonly<Record<string, string | readonly string[]>>;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/**
 * An IAM policy document as JSON. Tokens inside resolve to `${…}` interpolations, which keep the
 * JSON valid and readable in the synthesized output (and in tests).
 */
export function policyJson(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/**
 * Trust policy letting one AWS service assume a role. With `sourceAccount`, only on behalf of that
 * account (confused-deputy protection, for services that send `aws:SourceAccount`).
 */
export function serviceTrustPolicy(service: string, sourceAccount?: string): string {
  return policyJson([
    {
      Effect: 'Allow',
      Principal: { Service: service },
      Action: 'sts:AssumeRole',
      ...(sourceAccount === undefined ? {} : { Condition: { StringEquals: { 'aws:SourceAccount': sourceAccount } } }),
    },
  ]);
}

/** The `detail-type` of a GuardDuty finding event. */
export const FINDING_DETAIL_TYPE = 'GuardDuty Finding';

/**
 * The `detail-type` of the event Malware Protection for S3 puts on the bucket owner's default bus after
 * each object scan (with or without a finding). It has no severity; the consumer notifies threats.
 */
export const SCAN_RESULT_DETAIL_TYPE = 'GuardDuty Malware Protection Object Scan Result';

/**
 * The event pattern of every GuardDuty event the hub delivers: findings (any severity), S3 object scan
 * results, and GuardDuty's coverage events (Runtime Monitoring and Malware Protection plan health).
 */
export const FINDING_PATTERN = {
  source: ['aws.guardduty'],
  'detail-type': [FINDING_DETAIL_TYPE, SCAN_RESULT_DETAIL_TYPE, ...COVERAGE_DETAIL_TYPE_LIST],
} as const;

/**
 * {@link FINDING_PATTERN} with findings below `minSeverity` left out at the source. Scan results and
 * coverage events carry no severity, so they pass by their detail-type in a second `$or` branch
 * (EventBridge content filtering); the canary, a sample of `canaryType` whatever its severity, in a third.
 */
export function findingPatternFrom(minSeverity: number, canaryType?: string): object {
  const canary =
    canaryType === undefined
      ? []
      : [
          {
            'detail-type': [FINDING_DETAIL_TYPE],
            detail: { type: [canaryType], service: { additionalInfo: { sample: [true] } } },
          },
        ];
  return {
    source: FINDING_PATTERN.source,
    $or: [
      { 'detail-type': [FINDING_DETAIL_TYPE], detail: { severity: [{ numeric: ['>=', minSeverity] }] } },
      { 'detail-type': [SCAN_RESULT_DETAIL_TYPE, ...COVERAGE_DETAIL_TYPE_LIST] },
      ...canary,
    ],
  };
}

/**
 * What the hub rule delivers to the queue: findings, scan results, coverage events, and the GuardDuty
 * configuration changes that the region stacks' tamper rules forward (`AWS API Call via CloudTrail`).
 */
export const HUB_EVENT_PATTERN = {
  source: ['aws.guardduty'],
  'detail-type': [FINDING_DETAIL_TYPE, SCAN_RESULT_DETAIL_TYPE, ...COVERAGE_DETAIL_TYPE_LIST, CLOUDTRAIL_DETAIL_TYPE],
} as const;

/** Seconds in `days` days. */
export const daysToSeconds = (days: number): number => days * 86_400;
