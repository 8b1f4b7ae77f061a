/**
 * GuardDuty's own health events: the coverage of one resource lost or restored. Shapes from the
 * GuardDuty user guide: "Runtime coverage and troubleshooting for Amazon EC2 instance / Amazon ECS
 * clusters / Amazon EKS clusters" (the coverage status notification schema) and "Monitoring S3 object
 * scans with Amazon EventBridge" (Malware Protection plan resource status, post-scan action failure);
 * the detail-types as the EventBridge event reference lists them ("Amazon GuardDuty events").
 */

export { COVERAGE_DETAIL_TYPES, COVERAGE_DETAIL_TYPE_LIST } from '../../../shared/guard/coverage-events.ts';

/** Whether GuardDuty lost sight of the resource or sees it again. */
export type CoverageState = 'lost' | 'restored';

/** The protection plan whose coverage changed. */
export type CoverageProtection = 'Runtime Monitoring' | 'Malware Protection for S3';

/** One coverage change, read from its event. Text is raw (unescaped): the reason comes from the event. */
export interface CoverageChange {
  readonly state: CoverageState;
  readonly protection: CoverageProtection;
  /** The event's `detail-type`. */
  readonly detailType: string;
  /** `currentStatus` (UNHEALTHY, HEALTHY), `resourceStatus` (ACTIVE, WARNING, ERROR) or `POST_SCAN_ACTION_FAILED`. */
  readonly status: string;
  /** `previousStatus` of a runtime event, when given. */
  readonly previousStatus: string | undefined;
  /** What the resource is: `EC2 instance`, `ECS cluster`, `EKS cluster`, `S3 bucket`. */
  readonly resourceType: string;
  /** The resource's name: instance id, cluster name, bucket name. */
  readonly resourceName: string;
  /** Why, in GuardDuty's words (`issue`, `statusReasons`, `postScanActions`), when it says. */
  readonly reason: string | undefined;
  readonly accountId: string;
  readonly region: string;
}
