/**
 * Repeat suppression ("stop repeat spam"). GuardDuty re-publishes a finding every 15 min / 1 h / 6 h
 * while it recurs, and reports one issue once per regional detector. The gate sends a message only
 * when there is news, and one message for one issue seen in several regions.
 *
 * ## Rules per finding id ({@link decide}, pure)
 * Against what was last notified (band, score, `service.count`, time, destination), first match wins:
 * `new` (nothing notified yet) · `severity-rose` (band above the notified band) · `count-milestone`
 * (previous count < m ≤ new count for a milestone m, default 10, 100, 1,000, …) · `renotify-due`
 * (`renotifyAfterHours` since the last message) · else `repeat` (skip reason `repeat`). The record
 * changes only when a message is sent, so counts and times are measured from the last message.
 *
 * ## Cross-region folding (`crossRegionWindowMinutes`, 0 turns it off)
 * GuardDuty keeps one finding id per issue per region, so two ids from one region are two issues and
 * never share a message. Copies of one issue from several regions fold only when the resource has an
 * exact global identity (`Finding.foldIdentity`: IAM access key id or principal id, S3 bucket names;
 * see `parse/identity.ts`); when in doubt, nothing folds. Issue key
 * `issue#<type>#<accountId>#<identity>`, region-free.
 * - One batch: findings that would notify and share issue key and destination become one
 *   {@link NotifyGroup} (one finding per region, at most 20 regions): a RoutedFinding (the most severe
 *   member, all members' SQS message ids) with `regions` and `members`. The message names every region.
 * - Across batches: after delivery the issue record keeps when and in which regions the issue was
 *   notified. Within the window, a finding of that issue from a region not named yet that would notify
 *   on its own (new, severity rose, milestone, renotify) still gets a message of its own, with
 *   `joins` set: the message says which issue it joins and where else it was seen. Nothing is folded
 *   away unseen. (App destinations will edit the first message instead.)
 *
 * ## Two phases, and why nothing is lost
 * 1. `filter(routed, nowMs)`: reads the records (strongly consistent), decides, then for each finding
 *    to notify takes a claim: a conditional write ("record unchanged since read, or absent, and no live
 *    claim") storing a token, `claimUntil` = now + `claimSeconds` and what it will notify. Nothing that
 *    marks a finding as notified is written.
 * 2. After Slack accepted a group's message, `commit([group], nowMs)` finalizes: writes the notified
 *    state, bumps `version`, drops the claim, all conditional on still holding the token, then records
 *    the issue's regions. If delivery failed or was not attempted, `release([group])` drops the claims
 *    (a never-notified record is deleted), so the retry decides exactly as before.
 * - Only a committed notification makes a finding a `repeat`. A live claim (another instance, or an
 *   earlier receive of this one, is sending) means "in flight": the finding is `deferred` until the
 *   claim expires and is never acknowledged; then the record says whether the message went out.
 * - Two instances, one finding: both read "absent", only one claim succeeds; the loser's copy is
 *   deferred until the winner's claim expires, then found a repeat (or notified, if the winner failed).
 * - Crash after Slack accepted, before `commit`: the claim expires, the SQS record is redelivered and
 *   notified again: a duplicate, never a loss. Crash before sending: one message.
 * - A failed claim, commit or release is counted (`errors`) and logged. A failed release leaves the
 *   claim to expire after `claimSeconds`: a delay. State table down: `filter` fails open (every
 *   finding notified on its own): spam, never silence.
 *
 * Records carry the DynamoDB TTL `expiresAt` = now + max(renotify, window) + 7 days (epoch seconds); a
 * GuardDuty finding's own record also keeps its facts (type, account, region, resource, attack-sequence
 * membership; `history.ts`) and lives at least 30 + 7 days, for the suppress backtest.
 * `repeats.enabled: false` gives {@link passThroughGate}.
 */
export { DECISION_REASONS, crossesMilestone, decide } from './decide.ts';
export type {
  DecidableFinding,
  DecideSettings,
  Decision,
  DecisionReason,
  NotifiedState,
  NotifyReason,
} from './decide.ts';
export { DynamoStateStore, type DynamoStateStoreOptions } from './dynamo-store.ts';
export { RepeatError, RepeatStateError } from './errors.ts';
export { createRepeatGate, passThroughGate } from './gate.ts';
export type { CommitReport, Deferral, GateResult, ReleaseReport, RepeatGate, RepeatGateOptions } from './gate-types.ts';
export { MAX_REGIONS_PER_GROUP, type IssueJoin, type NotifyGroup } from './group.ts';
export {
  findingKey,
  incidentNotificationKey,
  issueKey,
  issueNotificationKey,
  notificationKey,
  withLane,
} from './keys.ts';
export { MemoryStateStore } from './memory-store.ts';
export { factsOf, type FindingFacts } from './facts.ts';
export {
  HISTORY_MAX_ITEMS,
  dynamoFindingHistory,
  memoryFindingHistory,
  type FindingHistory,
  type HistoryAnswer,
  type HistoryQuery,
  type RecordedFinding,
} from './history.ts';
export {
  TTL_MARGIN_DAYS,
  claimSecondsFor,
  expiresAtSeconds,
  findingRecordExpiresAtSeconds,
  type RepeatSettings,
} from './settings.ts';
export {
  hasLiveClaim,
  type Claim,
  type MessageRef,
  type StateRecord,
  type StateStore,
  type TriageSlot,
  type TriageSlotStore,
  type VersionGuard,
  type WriteOutcome,
} from './store.ts';
