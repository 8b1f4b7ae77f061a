import { findingConsoleUrl } from '../../../shared/regions.ts';
import type { CoverageFinding, ParseResult } from '../../types.ts';
import { arnAccount, arnRegion, asArray, asRecord, asRecords, toIsoTime, seenOnce, toText } from '../normalize.ts';
import { COVERAGE_DETAIL_TYPE_LIST, COVERAGE_DETAIL_TYPES as T, type CoverageChange } from './types.ts';

/** Severity given to coverage lost (High) and to coverage restored (Low: good news, still delivered). */
export const COVERAGE_SEVERITY = { lost: 8, restored: 2 } as const;

type Json = Readonly<Record<string, unknown>>;

/** What a coverage event says of its resource, before the envelope is added. */
type Reading = Omit<CoverageChange, 'detailType' | 'accountId' | 'region'> & { readonly accountId?: string };

/** True for one of GuardDuty's coverage events (by `source` and `detail-type`). */
export const isCoverageEvent = (event: Json): boolean =>
  event.source === 'aws.guardduty' && COVERAGE_DETAIL_TYPE_LIST.includes(String(event['detail-type']));

/** Parses a coverage event into a `Finding` of the `coverage` kind. Never throws. */
export function parseCoverageEvent(event: Json): ParseResult {
  const detailType = String(event['detail-type']);
  const detail = asRecord(event.detail);
  // A Malware Protection plan's ARN names the plan's Region; a Runtime Monitoring event names its
  // Region only in the envelope.
  const region = arnRegion(asArray(event.resources)[0]) ?? toText(event.region);
  if (detail === undefined) return { ok: false, reason: 'detail is missing' };
  if (region === undefined) return { ok: false, reason: 'region is missing' };
  const reading = detailType.startsWith('GuardDuty Runtime Protection')
    ? readRuntime(detailType, detail)
    : readMalwarePlan(detailType, detail);
  if (typeof reading === 'string') return { ok: false, reason: reading };
  const accountId = reading.accountId ?? toText(event.account) ?? arnAccount(asArray(event.resources)[0]);
  if (accountId === undefined) return { ok: false, reason: 'the event names no account' };
  const time =
    toIsoTime(detail.lastUpdatedAt) ??
    toIsoTime(detail.eventTime) ??
    toIsoTime(event.time) ??
    new Date(0).toISOString();
  return { ok: true, finding: coverageFinding({ ...reading, detailType, accountId, region }, time) };
}

/** A Runtime Monitoring coverage status event: an EC2 instance, ECS cluster or EKS cluster. */
function readRuntime(detailType: string, detail: Json): Reading | string {
  const resource = asRecord(detail.resourceDetails);
  const named = runtimeResource(resource);
  if (named === undefined) return 'detail.resourceDetails names no instance or cluster';
  const issues = asArray(asRecord(asRecord(resource?.ecsClusterDetails)?.fargateDetails)?.issues).map(toText);
  const reason = [toText(detail.issue), ...issues].filter((text): text is string => text !== undefined).join('; ');
  const lost = detailType === T.runtimeUnhealthy;
  return {
    state: lost ? 'lost' : 'restored',
    protection: 'Runtime Monitoring',
    status: toText(detail.currentStatus) ?? (lost ? 'UNHEALTHY' : 'HEALTHY'),
    previousStatus: toText(detail.previousStatus),
    ...named,
    reason: reason === '' ? undefined : reason,
    ...optionalAccount(toText(detail.resourceAccountId)),
  };
}

/** The resource of a runtime event, by its `resourceType` (EC2, ECS, EKS). */
function runtimeResource(
  resource: Json | undefined,
): Pick<CoverageChange, 'resourceType' | 'resourceName'> | undefined {
  const pick = (key: string, field: string) => toText(asRecord(resource?.[key])?.[field]);
  const byType: Record<string, readonly [string, string | undefined]> = {
    EC2: ['EC2 instance', pick('ec2InstanceDetails', 'instanceId')],
    ECS: ['ECS cluster', pick('ecsClusterDetails', 'clusterName')],
    EKS: ['EKS cluster', pick('eksClusterDetails', 'clusterName')],
  };
  const found = byType[toText(resource?.resourceType) ?? ''];
  return found?.[1] === undefined ? undefined : { resourceType: found[0], resourceName: found[1] };
}

/** A Malware Protection for S3 event: the plan's resource status, or a post-scan action that failed. */
function readMalwarePlan(detailType: string, detail: Json): Reading | string {
  const postScan = detailType === T.postScanActionFailed;
  const bucket = postScan
    ? toText(asRecord(detail.s3ObjectDetails)?.bucketName)
    : toText(asRecord(detail.s3BucketDetails)?.bucketName);
  if (bucket === undefined) return `detail.${postScan ? 's3ObjectDetails' : 's3BucketDetails'}.bucketName is missing`;
  const status = postScan ? 'POST_SCAN_ACTION_FAILED' : (toText(detail.resourceStatus) ?? detailType.split(' ').at(-1));
  return {
    state: detailType === T.planActive ? 'restored' : 'lost',
    protection: 'Malware Protection for S3',
    status: (status ?? 'UNKNOWN').toUpperCase(),
    previousStatus: undefined,
    resourceType: 'S3 bucket',
    resourceName: bucket,
    reason: postScan ? postScanReason(detail) : statusReasons(detail),
  };
}

/** `statusReasons[]` as `CODE: message; …`. */
function statusReasons(detail: Json): string | undefined {
  const lines = asRecords(detail.statusReasons)
    .map((reason) => [toText(reason.code), toText(reason.message)].filter((t) => t !== undefined).join(': '))
    .filter((line) => line !== '');
  return lines.length === 0 ? undefined : lines.join('; ');
}

/** `TAGGING failed (ACCESS_DENIED) for s3://bucket/key`. */
function postScanReason(detail: Json): string | undefined {
  const object = asRecord(detail.s3ObjectDetails);
  const where = `s3://${toText(object?.bucketName) ?? ''}/${toText(object?.objectKey) ?? ''}`;
  const failures = asRecords(detail.postScanActions).map(
    (action) => `${toText(action.actionType) ?? 'action'} failed (${toText(action.failureReason) ?? 'unknown'})`,
  );
  return failures.length === 0 ? undefined : `${failures.join('; ')} for ${where}`;
}

/** What is lost or restored, in words: `Runtime Monitoring coverage lost on EC2 instance i-0abc`. */
export function coverageHeadline(change: CoverageChange): string {
  const what =
    change.detailType === T.postScanActionFailed
      ? 'Malware Protection for S3 post-scan action failed'
      : `${change.protection} coverage ${change.state}`;
  return `${what} on ${change.resourceType} ${change.resourceName}`;
}

/** The coverage change as a finding: one id per resource, its state carried as the band (lost High, restored Low). */
function coverageFinding(change: CoverageChange, time: string): CoverageFinding {
  const { accountId, region } = change;
  const subject = `${change.detailType === T.postScanActionFailed ? 'post-scan' : change.protection}:${change.resourceName}`;
  const id = `coverage:${accountId}:${region}:${change.resourceType}:${subject}`;
  const lost = change.state === 'lost';
  const page = change.protection === 'Runtime Monitoring' ? '#/runtime-monitoring' : '#/malware-protection-plans';
  return {
    kind: 'coverage',
    id,
    type: `GuardDutyHub:Coverage/${change.status}`,
    title: coverageHeadline(change),
    description: change.reason ?? (lost ? 'GuardDuty gave no reason.' : 'GuardDuty covers the resource again.'),
    severity: COVERAGE_SEVERITY[change.state],
    band: lost ? 'high' : 'low',
    accountId,
    ...seenOnce(region, time, time),
    resource: {
      type: change.resourceType,
      label: `${change.resourceType} ${change.resourceName}`,
      details: [
        ['status', change.previousStatus === undefined ? change.status : `${change.previousStatus} → ${change.status}`],
      ],
    },
    consoleUrl: findingConsoleUrl(region, id).replace(/#\/findings.*$/, page),
    notifyOn: 'change',
    coverage: change,
  };
}

const optionalAccount = (accountId: string | undefined): { accountId?: string } =>
  accountId === undefined ? {} : { accountId };
