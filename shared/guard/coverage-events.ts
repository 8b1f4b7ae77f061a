/**
 * GuardDuty's own health events, which the region forwarders and the hub rule pass to the consumer
 * (the `coverage` alert kind, `core/kinds/coverage`). The detail-types as the EventBridge event
 * reference lists them ("Amazon GuardDuty events"): Runtime Monitoring coverage status, a Malware
 * Protection for S3 plan's resource status, and a post-scan action (tagging) that failed.
 */
export const COVERAGE_DETAIL_TYPES = {
  runtimeUnhealthy: 'GuardDuty Runtime Protection Unhealthy',
  runtimeHealthy: 'GuardDuty Runtime Protection Healthy',
  planActive: 'GuardDuty Malware Protection Resource Status Active',
  planWarning: 'GuardDuty Malware Protection Resource Status Warning',
  planError: 'GuardDuty Malware Protection Resource Status Error',
  postScanActionFailed: 'GuardDuty Malware Protection Post Scan Action Failed',
} as const;

/** Every coverage detail-type, in the order of {@link COVERAGE_DETAIL_TYPES}. */
export const COVERAGE_DETAIL_TYPE_LIST: readonly string[] = Object.values(COVERAGE_DETAIL_TYPES);
