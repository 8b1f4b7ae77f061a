import { COVERAGE_DETAIL_TYPES } from '../../shared/index.ts';
import { BASE_TIME, DEFAULT_ACCOUNT_ID } from './finding.ts';

/**
 * GuardDuty's coverage events, shaped as the GuardDuty user guide documents them:
 * - Runtime Monitoring: "Runtime coverage and troubleshooting for Amazon EC2 instance" (and the ECS and
 *   EKS pages), section "Configuring coverage status change notifications", the sample notification
 *   schema (`detail.schemaVersion`, `resourceAccountId`, `currentStatus`, `previousStatus`,
 *   `resourceDetails.{resourceType, ec2InstanceDetails | ecsClusterDetails | eksClusterDetails}`,
 *   `issue`, `lastUpdatedAt`);
 * - Malware Protection for S3: "Monitoring S3 object scans with Amazon EventBridge", the plan's resource
 *   status (`detail.schemaVersion`, `eventTime`, `s3BucketDetails.bucketName`, `resourceStatus`,
 *   `statusReasons[].{code, message}`) and the post-scan action failure (`detail.schemaVersion`,
 *   `eventTime`, `s3ObjectDetails`, `postScanActions[].{actionType, failureReason}`), the plan's ARN in
 *   `resources`.
 * The detail-types are those of the EventBridge event reference ("Amazon GuardDuty events").
 */

/** Options of the coverage event factories. */
export interface CoverageOptions {
  /** The envelope `account` (and `resourceAccountId`). Default `DEFAULT_ACCOUNT_ID`. */
  readonly account?: string;
  readonly region?: string;
  /** The envelope `time` (and `lastUpdatedAt` / `eventTime`). Default `BASE_TIME`. */
  readonly time?: string;
  /** The envelope id. Default a counter. */
  readonly id?: string;
}

let counter = 0;

function envelope(detailType: string, options: CoverageOptions, resources: readonly string[]) {
  counter += 1;
  return {
    version: '0',
    id: options.id ?? `c0e4a9e0-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    'detail-type': detailType,
    source: 'aws.guardduty',
    account: options.account ?? DEFAULT_ACCOUNT_ID,
    time: options.time ?? BASE_TIME,
    region: options.region ?? 'us-east-1',
    resources: [...resources],
  };
}

/** Options of {@link makeRuntimeCoverageEvent}. */
export interface RuntimeCoverageOptions extends CoverageOptions {
  /** Default false (the Unhealthy event). */
  readonly healthy?: boolean;
  readonly instanceId?: string;
  /** `issue`. Default a documented EC2 issue when unhealthy, none when healthy. */
  readonly issue?: string;
}

/** A `GuardDuty Runtime Protection Unhealthy` (or `Healthy`) event of an EC2 instance. */
export function makeRuntimeCoverageEvent(options: RuntimeCoverageOptions = {}): Record<string, unknown> {
  const healthy = options.healthy === true;
  const base = envelope(
    healthy ? COVERAGE_DETAIL_TYPES.runtimeHealthy : COVERAGE_DETAIL_TYPES.runtimeUnhealthy,
    options,
    [],
  );
  return {
    ...base,
    detail: {
      schemaVersion: '1.0',
      resourceAccountId: base.account,
      currentStatus: healthy ? 'HEALTHY' : 'UNHEALTHY',
      previousStatus: healthy ? 'UNHEALTHY' : 'HEALTHY',
      resourceDetails: {
        resourceType: 'EC2',
        ec2InstanceDetails: {
          instanceId: options.instanceId ?? 'i-0abc1234def567890',
          instanceType: 'm5.large',
          clusterArn: '',
          agentDetails: { version: '1.6.0' },
          managementType: 'AUTO_MANAGED',
        },
      },
      issue: options.issue ?? (healthy ? '' : 'Agent not reporting'),
      lastUpdatedAt: base.time,
    },
  };
}

/** Options of {@link makeMalwarePlanStatusEvent}. */
export interface MalwarePlanStatusOptions extends CoverageOptions {
  /** Default `ERROR`. */
  readonly status?: 'ACTIVE' | 'WARNING' | 'ERROR';
  readonly bucket?: string;
  /** `statusReasons[]`. Default one documented reason unless ACTIVE. */
  readonly reasons?: readonly { readonly code: string; readonly message: string }[];
}

const STATUS_DETAIL_TYPE = {
  ACTIVE: COVERAGE_DETAIL_TYPES.planActive,
  WARNING: COVERAGE_DETAIL_TYPES.planWarning,
  ERROR: COVERAGE_DETAIL_TYPES.planError,
} as const;

/** A `GuardDuty Malware Protection Resource Status Active | Warning | Error` event of a protected bucket. */
export function makeMalwarePlanStatusEvent(options: MalwarePlanStatusOptions = {}): Record<string, unknown> {
  const status = options.status ?? 'ERROR';
  const base = envelope(STATUS_DETAIL_TYPE[status], options, [planArn(options)]);
  const reasons =
    options.reasons ??
    (status === 'ACTIVE'
      ? []
      : [{ code: 'AccessDenied', message: 'GuardDuty cannot access the bucket with the role.' }]);
  return {
    ...base,
    detail: {
      schemaVersion: '1.0',
      eventTime: base.time,
      s3BucketDetails: { bucketName: options.bucket ?? 'uploads-bucket' },
      resourceStatus: status,
      statusReasons: reasons,
    },
  };
}

/** Options of {@link makePostScanActionFailedEvent}. */
export interface PostScanActionFailedOptions extends CoverageOptions {
  readonly bucket?: string;
  readonly key?: string;
  /** `ACCESS_DENIED` (default) or `MAX_TAG_LIMIT_EXCEEDED`. */
  readonly failureReason?: string;
}

/** A `GuardDuty Malware Protection Post Scan Action Failed` event (tagging the scanned object failed). */
export function makePostScanActionFailedEvent(options: PostScanActionFailedOptions = {}): Record<string, unknown> {
  const base = envelope(COVERAGE_DETAIL_TYPES.postScanActionFailed, options, [planArn(options)]);
  return {
    ...base,
    detail: {
      schemaVersion: '1.0',
      eventTime: base.time,
      s3ObjectDetails: {
        bucketName: options.bucket ?? 'uploads-bucket',
        objectKey: options.key ?? 'incoming/invoice.zip',
        eTag: 'd41d8cd98f00b204e9800998ecf8427e',
        versionId: 'v1',
      },
      postScanActions: [{ actionType: 'TAGGING', failureReason: options.failureReason ?? 'ACCESS_DENIED' }],
    },
  };
}

function planArn(options: CoverageOptions): string {
  const region = options.region ?? 'us-east-1';
  return `arn:aws:guardduty:${region}:${options.account ?? DEFAULT_ACCOUNT_ID}:malware-protection-plan/b4c7f464ab3a4example`;
}
