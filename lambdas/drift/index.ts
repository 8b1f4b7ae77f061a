export { decideDrift, type DriftDecision } from './decide.ts';
export { observeRegion, sdkGuardDuty, type GuardDutyReader } from './observe.ts';
export { driftKey, dynamoDriftStore, memoryDriftStore, type DriftStateStore, type DynamoLike } from './store.ts';
export { driftAlertBody, runDriftCheck, type DriftCheckOptions, type DriftCheckReport } from './run.ts';
export { DRIFT_SEVERITY, isDriftEvent, parseDriftEvent } from '../../core/kinds/drift/parse.ts';
export { DRIFT_ENV, DriftCheckError, createDriftHandler, sqsSender, type SqsSendLike } from './handler.ts';
export {
  DRIFT_EVENT,
  EXPECTED_STATUS,
  type DriftAlert,
  type DriftExpectation,
  type DriftObservation,
  type DriftState,
} from '../../core/kinds/drift/types.ts';
export {
  TRAIL_STATUS,
  recordsWriteManagementEvents,
  sdkTrails,
  trailStatus,
  type EventSelectorsView,
  type TrailReader,
  type TrailView,
} from './trail.ts';
export { canaryRound, type CanaryObservation, type CanaryOptions, type SampleMaker } from './canary.ts';
export { STUCK_QUEUE_SECONDS, diagnoseCanary, type PipelineReader } from './canary-hops.ts';
export { regionClients, sdkCanary, type CanaryClients, type ClientsOf } from './canary-sdk.ts';
export {
  RECAP_WINDOW_MS,
  recapBody,
  recapEndedSilences,
  silenceEndsStep,
  type SilenceEndsOptions,
  type SilenceEndsReport,
} from './silence-ends.ts';
export {
  MAX_NOTICE_ATTEMPTS,
  reminderNotice,
  removalNotice,
  runFilterExpiry,
  slackMadeFilter,
  type FilterExpiryGuardDuty,
  type FilterExpiryOptions,
  type FilterExpiryReport,
  type FilterExpiryState,
  type FilterExpiryStore,
  type OwedNotice,
  type SlackMadeFilter,
} from './filter-expiry.ts';
export {
  dynamoFilterExpiryStore,
  filterExpiryStep,
  sdkFilterGuardDuty,
  slackNoticePoster,
  type GuardDutySendLike,
} from './filter-expiry-io.ts';
