/**
 * Triage from Slack: buttons on app-destination parents (Acknowledge, Archive / Unarchive, Suppress
 * like this…, Silence…, and Renew on a Slack-made filter's reminder), answered by the triage function.
 * Its front verifies Slack's signature, refuses replays, opens the modals, and hands the click to its worker, which authorizes it, does it once in GuardDuty, edits the parent,
 * replies in the thread and writes one audit line and metric per outcome.
 */
export {
  audit,
  type TriageAudit,
  type TriageAuditSinks,
  type TriageFollowUp,
  type TriageResult,
} from '../../destinations/slack-app/triage/audit.ts';
export {
  createAuthorizer,
  GROUP_CACHE_SECONDS,
  type Authorizer,
} from '../../destinations/slack-app/triage/authorize.ts';
export {
  TRIAGE_ACTION_IDS,
  TRIAGE_ACTIONS_BLOCK_ID,
  TRIAGE_STATUS_BLOCK_ID,
  actionOf,
  triageBlocks,
} from '../../destinations/slack-app/triage/blocks.ts';
export {
  criteriaText,
  suppressCriteria,
  suppressFilterName,
  type SuppressCriteria,
} from '../../destinations/slack-app/triage/criteria.ts';
export {
  FilterLimitError,
  TriageError,
  TriageGuardDutyError,
  TriagePayloadError,
} from '../../destinations/slack-app/triage/errors.ts';
export { MAX_BODY_BYTES, createTriageFront, type TriageFrontOptions, type TriageJob } from './front.ts';
export {
  sdkTriageGuardDuty,
  type GuardDutyLike,
  type SlackFilter,
  type TriageGuardDuty,
} from '../../destinations/slack-app/triage/guardduty.ts';
export {
  FOLLOW_UP_BUDGET_MS,
  FOLLOW_UP_REQUEST_TIMEOUT_MS,
  PAGERDUTY_EVENT_OF,
  followUpFailureText,
  pagerDutyFollowUps,
  pagerDutyLanes,
  type FollowUps,
  type PagerDutyFollowUpOptions,
} from './follow-ups.ts';
export { createTriageHandler, isTriageJob, type TriageHandler, type TriageWiring } from './handler.ts';
export { replayGuardOver, requestKey, type ReplayGuard } from '../../destinations/slack-app/triage/replay.ts';
export {
  parseButtonClick,
  type ButtonClick,
  type FunctionUrlEvent,
  type FunctionUrlResult,
} from '../../destinations/slack-app/triage/request.ts';
export {
  MAX_REQUEST_AGE_SECONDS,
  slackSignature,
  verifySlackSignature,
  type SignatureCheck,
  type SignatureProblem,
} from '../../destinations/slack-app/triage/signature.ts';
export {
  ephemeral,
  isAcceptableResponseUrl,
  slackForTriage,
  type TriageSlack,
} from '../../destinations/slack-app/triage/slack.ts';
export {
  parseTriageState,
  stateLine,
  type TriageMark,
  type TriageState,
} from '../../destinations/slack-app/triage/state.ts';
export {
  BUTTON_VALUE_MAX_CHARS,
  buttonValue,
  decodeTarget,
  targetOf,
  type TriageTarget,
} from '../../destinations/slack-app/triage/target.ts';
export { runTriageJob, type TriageWorkerOptions } from './worker.ts';
export { SILENCE_SLACK_TIMEOUT_MS, createSilenceDesk, type SilenceDesk, type SilenceDeskOptions } from './silence.ts';
export {
  SILENCE_BLOCK_IDS,
  SILENCE_CALLBACK_ID,
  SILENCE_DURATIONS,
  parseViewSubmission,
  sealSubject,
  openSubject,
  silenceModal,
  type SilenceSubject,
  type SilenceSubmission,
} from '../../destinations/slack-app/triage/silence-modal.ts';
export { BACKTEST_BUDGET_MS, createSuppressDesk, type SuppressDesk, type SuppressDeskOptions } from './suppress.ts';
export { runRenewJob } from './renew-filter.ts';
export { backtest, meetsCriteria, type Backtest } from '../../destinations/slack-app/triage/backtest.ts';
export {
  SILENCE_INSTEAD_ACTION_ID,
  SUPPRESS_CALLBACK_ID,
  backtestText,
  noticeView,
  suppressLoadingView,
  suppressModal,
  type SuppressModalFacts,
} from '../../destinations/slack-app/triage/suppress-modal.ts';
export {
  FILTER_RENEW_ACTION_ID,
  filterRenewedReply,
  renewFilterName,
  renewValue,
} from '../../destinations/slack-app/triage/renew-filter.ts';
