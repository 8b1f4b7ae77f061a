import * as v from 'valibot';
import { consoleHost } from '../../../shared/regions.ts';
import { bandOf } from '../../../shared/severity.ts';
import type { ParseResult, ScanResultFinding } from '../../types.ts';
import { readResultThreats } from '../finding/malware.ts';
import { arnAccount, toIsoTime, seenOnce, toText } from '../normalize.ts';
import { detail as detailPair, summary } from '../finding/resource-parts.ts';

/**
 * The `GuardDuty Malware Protection Object Scan Result` event, which Malware Protection for S3 puts on
 * the bucket owner's default bus after every object scan, with or without a detector and findings.
 * It is not a finding; it becomes one `Finding` so that it is routed, rendered and accounted for like
 * one: routed by the bucket owner's account (the envelope `account`, else the account in the
 * protection plan ARN of `resources[0]`, else `UNKNOWN_OWNER`), typed `ScanResult:S3/<scanResultStatus>`.
 *
 * Shape (Malware Protection for S3 user guide, "Monitoring S3 object scans with Amazon EventBridge"):
 * `detail.scanStatus`, `detail.resourceType` (`S3_OBJECT`), `detail.s3ObjectDetails.{bucketName,
 * objectKey, eTag, versionId, s3Throttled}`, `detail.scanResultDetails.{scanResultStatus, threats[].name}`.
 */

/** The event's `detail-type`. */
export const SCAN_RESULT_DETAIL_TYPE = 'GuardDuty Malware Protection Object Scan Result';

/** The result that is skipped (counted as `no-threats`) rather than notified. */
export const NO_THREATS_FOUND = 'NO_THREATS_FOUND';

/**
 * Severity given to a scan result: THREATS_FOUND is High (8), as GuardDuty rates the matching
 * `Object:S3/MaliciousFile` finding; a scan that could not run (UNSUPPORTED, ACCESS_DENIED, FAILED) is
 * Low (2), so it reaches only destinations that take Low and is otherwise counted as below threshold.
 */
export const SCAN_RESULT_SEVERITY = { threatsFound: 8, notScanned: 2 } as const;

/**
 * The account of a scan result whose event names no owner (no `account`, no plan ARN in `resources`):
 * it is routed by `defaults` rather than dead-lettered, and says so. (AWS always sends `account`; a
 * forwarding hop that drops it, as moto's bus-to-bus delivery does, must not lose the threat.)
 */
export const UNKNOWN_OWNER = 'unknown';
const OWNER_NOTE =
  'The event named no bucket owner account (no `account`, no protection plan ARN), so it went to the default destination.';

const requiredText = v.pipe(v.string('must be a string'), v.trim(), v.nonEmpty('must not be empty'));

const scanResultSchema = v.looseObject(
  {
    source: v.literal('aws.guardduty', 'must be aws.guardduty'),
    'detail-type': v.literal(SCAN_RESULT_DETAIL_TYPE, `must be "${SCAN_RESULT_DETAIL_TYPE}"`),
    id: v.optional(v.unknown()),
    account: v.optional(v.unknown()),
    region: requiredText,
    time: v.optional(v.unknown()),
    resources: v.optional(v.unknown()),
    detail: v.looseObject(
      {
        s3ObjectDetails: v.looseObject({ bucketName: requiredText, objectKey: requiredText }, 'must be an object'),
        scanResultDetails: v.looseObject({ scanResultStatus: requiredText }, 'must be an object'),
      },
      'must be an object',
    ),
  },
  'must be an object',
);

/** The S3 console page of one object. */
function objectConsoleUrl(region: string, bucket: string, key: string): string {
  const query = `region=${encodeURIComponent(region)}&bucketType=general&prefix=${encodeURIComponent(key)}`;
  return `https://${consoleHost(region)}/s3/object/${encodeURIComponent(bucket)}?${query}`;
}

/** Parses a scan-result event (already JSON) into a `Finding` with `scanResult` set. Never throws. */
export function parseScanResult(json: unknown): ParseResult {
  const result = v.safeParse(scanResultSchema, json, { abortEarly: true });
  if (!result.success) {
    const issue = result.issues[0];
    const path = v.getDotPath(issue) ?? 'event';
    return { ok: false, reason: issue.input === undefined ? `${path} is missing` : `${path} ${issue.message}` };
  }
  const event = result.output;
  const object = event.detail.s3ObjectDetails;
  const status = event.detail.scanResultDetails.scanResultStatus;
  const plan = Array.isArray(event.resources) ? (event.resources as unknown[])[0] : undefined;
  const owner = toText(event.account) ?? arnAccount(plan);
  const accountId = owner ?? UNKNOWN_OWNER;

  const bucket = object.bucketName;
  const key = object.objectKey;
  const versionId = toText(object.versionId);
  const time = toIsoTime(event.time) ?? new Date(0).toISOString();
  const threats = readResultThreats(event.detail.scanResultDetails, key);
  const found = status === 'THREATS_FOUND';
  const severity = found ? SCAN_RESULT_SEVERITY.threatsFound : SCAN_RESULT_SEVERITY.notScanned;
  const where = `s3://${bucket}/${key}`;
  const finding: ScanResultFinding = {
    kind: 'scan-result',
    id: toText(event.id) ?? `${where}@${versionId ?? toText(object.eTag) ?? time}`,
    type: `ScanResult:S3/${status}`,
    title: found ? `Malware found in ${where}` : `S3 object scan ${status} for ${where}`,
    description: [
      found ? '' : `Malware Protection for S3 scanned ${where}: ${status}.`,
      owner === undefined ? OWNER_NOTE : '',
    ]
      .filter((text) => text !== '')
      .join(' '),
    severity,
    band: bandOf(severity),
    accountId,
    ...seenOnce(event.region, time, time),
    resource: summary('S3Object', `object ${where}`, [
      detailPair('Version', versionId),
      detailPair('ETag', object.eTag),
    ]),
    consoleUrl: objectConsoleUrl(event.region, bucket, key),
    threats,
    scanResult: { status, bucket, key, ...(versionId === undefined ? {} : { versionId }) },
  };
  return { ok: true, finding };
}
