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
 * Issue key `issue#<type>#<accountId>#<resource label or finding id>`, region-free.
 * - One batch: findings that would notify and share issue key and destination become one
 *   {@link NotifyGroup}: a RoutedFinding (the most severe member, all members' SQS message ids) with
 *   `regions` (sorted) and `members`. One message names every region.
 * - Across batches: a message that opens an issue (a member notified as `new` or `renotify-due`)
 *   records the issue with its time and regions. Within the window after it, a finding of the same
 *   issue and destination whose own decision is `new` or `renotify-due` is folded: skipped as a
 *   `repeat`, its finding record written as notified now, its region added to the issue record. No
 *   second message is sent. `severity-rose` and `count-milestone` are news about that finding and are
 *   never folded. After the window, the next one opens the issue again.
 *
 * ## Two phases, and why nothing is lost
 * 1. `filter(routed, nowMs)`: reads the records (strongly consistent), decides, then for each finding
 *    to notify takes a claim: a conditional write ("record unchanged since read, or absent, and no live
 *    claim") storing a token, `claimUntil` = now + `claimSeconds` and what it will notify. A group that
 *    opens an issue also claims the issue record. Nothing that marks a finding as notified is written,
 *    except folds, whose covering message Slack already accepted (an issue record is only finalized
 *    after delivery).
 * 2. After Slack accepted a group's message, `commit([group], nowMs)` finalizes: writes the notified
 *    state, bumps `version`, drops the claim, all conditional on still holding the token. If delivery
 *    failed or was not attempted, `release([group])` drops the claims (a never-notified record is
 *    deleted), so the retry decides exactly as before.
 * - Two instances, one finding: both read "absent", only one claim succeeds. The loser re-reads: if the
 *   winner's claim (or its finalized record) covers the loser's version, the loser's finding is a
 *   `repeat`; if the loser carries news beyond it (a higher band, a further milestone) it is
 *   `deferred`: the handler returns it as a batch item failure and it is decided again after the
 *   visibility timeout. A finding of an issue whose window another instance is opening is deferred too.
 *   A loser is only dropped when the winner holds its own SQS copy until delivery, so a winner that
 *   fails still retries.
 * - Crash after Slack accepted, before `commit`: the claim expires, the SQS record is redelivered and
 *   notified again: a repeat, never a loss. Crash before sending: the same, one message.
 * - Failed delivery: `release`; if that fails too, the claim expires after `claimSeconds` (keep it
 *   below the queue's visibility timeout, above the consumer timeout), before the redelivery.
 * - State table down: `filter` fails open (every finding notified on its own, `errors` set): spam,
 *   never silence. Failed finalize/fold writes are reported in `errors`; they can only cause repeats.
 *
 * Records carry the DynamoDB TTL `expiresAt` = now + max(renotify, window) + 7 days (epoch seconds).
 * `repeats.enabled: false` gives {@link passThroughGate}.
 */
export { DECISION_REASONS, crossesMilestone, decide } from './decide.ts';
export type { DecidableFinding, DecideSettings, Decision, DecisionReason, NotifiedState, NotifyReason } from './decide.ts';
export { DynamoStateStore, type DynamoStateStoreOptions } from './dynamo-store.ts';
export { RepeatError, RepeatStateError } from './errors.ts';
export { createRepeatGate, passThroughGate } from './gate.ts';
export type { CommitReport, GateResult, RepeatGate, RepeatGateOptions } from './gate-types.ts';
export type { NotifyGroup } from './group.ts';
export { findingKey, issueKey } from './keys.ts';
export { MemoryStateStore } from './memory-store.ts';
export { TTL_MARGIN_DAYS, claimSecondsFor, expiresAtSeconds, type RepeatSettings } from './settings.ts';
export { hasLiveClaim, type Claim, type StateRecord, type StateStore, type VersionGuard, type WriteOutcome } from './store.ts';
