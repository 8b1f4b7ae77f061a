import { DEFAULT_ACCOUNT_ID, BASE_TIME } from './finding.ts';

/**
 * `GuardDuty Malware Protection Object Scan Result` events, shaped as the Malware Protection for S3
 * user guide documents them ("Monitoring S3 object scans with Amazon EventBridge"): the bucket owner's
 * account in the envelope, the protection plan in `resources`, and in `detail` the scan status, the
 * object (`s3ObjectDetails`) and the result (`scanResultDetails`).
 */

/** Options of {@link makeScanResultEvent}. */
export interface ScanResultOptions {
  /** Bucket owner (the envelope `account`). Default `DEFAULT_ACCOUNT_ID`. */
  readonly account?: string;
  readonly region?: string;
  readonly bucket?: string;
  readonly key?: string;
  readonly versionId?: string;
  /** `THREATS_FOUND` (default when `threats` is non-empty), `NO_THREATS_FOUND`, `UNSUPPORTED`, `ACCESS_DENIED`, `FAILED`. */
  readonly status?: string;
  /** Threat names. Default one EICAR test file when the status is THREATS_FOUND. */
  readonly threats?: readonly string[];
  /** The envelope id. Default a counter. */
  readonly id?: string;
}

let counter = 0;

/** The JSON object of one scan-result event. */
export function makeScanResultEvent(options: ScanResultOptions = {}): Record<string, unknown> {
  counter += 1;
  const account = options.account ?? DEFAULT_ACCOUNT_ID;
  const region = options.region ?? 'us-east-1';
  const status =
    options.status ??
    (options.threats !== undefined && options.threats.length === 0 ? 'NO_THREATS_FOUND' : 'THREATS_FOUND');
  const threats = options.threats ?? (status === 'THREATS_FOUND' ? ['EICAR-Test-File (not a virus)'] : []);
  return {
    version: '0',
    id: options.id ?? `5ca9e5e5-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    'detail-type': 'GuardDuty Malware Protection Object Scan Result',
    source: 'aws.guardduty',
    account,
    time: BASE_TIME,
    region,
    resources: [`arn:aws:guardduty:${region}:${account}:malware-protection-plan/b4c7f464ab3a4example${counter}`],
    detail: {
      schemaVersion: '1.0',
      scanStatus: status === 'THREATS_FOUND' || status === 'NO_THREATS_FOUND' ? 'COMPLETED' : 'SKIPPED',
      resourceType: 'S3_OBJECT',
      s3ObjectDetails: {
        bucketName: options.bucket ?? 'uploads-bucket',
        objectKey: options.key ?? `incoming/file-${counter}.zip`,
        eTag: `0123456789abcdef0123456789ab${String(counter).padStart(4, '0')}`,
        versionId: options.versionId ?? `v${counter}`,
        s3Throttled: false,
      },
      scanResultDetails: { scanResultStatus: status, threats: threats.map((name) => ({ name })) },
    },
  };
}
