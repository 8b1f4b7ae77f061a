import { routeFinding } from '../finding/kind.ts';
import type { AlertKind } from '../kind.ts';
import { NO_THREATS_FOUND, SCAN_RESULT_DETAIL_TYPE, parseScanResult } from './parse.ts';

/**
 * Malware Protection for S3 object scan results (`GuardDuty Malware Protection Object Scan Result`):
 * a result that found nothing is skipped (`no-threats`); any other is routed as a finding about the object.
 */
export const SCAN_RESULT_KIND: AlertKind = {
  kind: 'scan-result',
  recognises: (event) => event['detail-type'] === SCAN_RESULT_DETAIL_TYPE,
  parse: parseScanResult,
  route: (finding, config, routeOf) =>
    finding.scanResult?.status === NO_THREATS_FOUND
      ? { reason: 'no-threats', detail: 'S3 object scan found no threats' }
      : routeFinding(finding, config, routeOf),
  digested: true,
};
