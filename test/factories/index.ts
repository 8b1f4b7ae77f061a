export {
  ADMIN_ACCOUNT_ID,
  BASE_TIME,
  DEFAULT_ACCOUNT_ID,
  accessKey,
  atSeverity,
  eksCluster,
  forAccount,
  instance,
  makeFindingDetail,
  makeFindingEvent,
  makeSqsEvent,
  makeSqsRecord,
  nextFindingId,
  s3Bucket,
  type AccessKeyOptions,
  type DetailOverrides,
  type EventOverrides,
  type FindingDetail,
  type FindingEvent,
  type FindingResource,
  type FindingService,
} from './finding.ts';
export {
  baseRawConfig,
  deepMerge,
  makeConfig,
  makeHubConfig,
  type MakeConfigOptions,
  type RawConfigOverrides,
} from './config.ts';
export { makeFinding, makeRoutedFinding } from './routed.ts';
export { makeScanResultEvent, type ScanResultOptions } from './scan-result.ts';
export {
  makeMalwarePlanStatusEvent,
  makePostScanActionFailedEvent,
  makeRuntimeCoverageEvent,
  type CoverageOptions,
  type MalwarePlanStatusOptions,
  type PostScanActionFailedOptions,
  type RuntimeCoverageOptions,
} from './coverage.ts';
export { attackSequence, sequenceActor, sequenceSignal, type SequenceParts } from './families.ts';
export {
  WEAKENING_REQUESTS,
  assumedRole,
  makeCloudTrailDetail,
  makeCloudTrailEvent,
  type CloudTrailDetail,
} from './cloudtrail.ts';
export {
  SAMPLE_MEMBER_ACCOUNT,
  SAMPLE_MEMBER_FINDING_ID,
  sampleEventText,
  sampleEvents,
  type SampleEvent,
} from './sample-events.ts';
