import type { RoutedFinding } from '../types.ts';
import type { RepeatStateError } from './errors.ts';
import type { NotifyGroup } from './group.ts';
import type { RepeatSettings } from './settings.ts';
import type { StateStore } from './store.ts';

/** Options for {@link createRepeatGate}. */
export interface RepeatGateOptions {
  /** The `repeats:` config section. `enabled: false` gives a pass-through gate. */
  readonly settings: RepeatSettings;
  /** Where records live: {@link DynamoStateStore} in the Lambda, {@link MemoryStateStore} in tests and replay. */
  readonly store: StateStore;
  /**
   * Seconds a claim holds before a racing instance may take it over. It must outlast one invocation
   * (the consumer's `timeoutSeconds`, default 60) and be shorter than the queue's
   * `visibilityTimeoutSeconds` (default 360), so a crashed instance's redelivered record finds it
   * expired. Default 300.
   */
  readonly claimSeconds?: number;
  /** Makes claim tokens. Default `crypto.randomUUID`. */
  readonly newToken?: () => string;
}

/** A finding handed back to the queue: a claim on it is live, so it is in flight, never done. */
export interface Deferral {
  readonly routed: RoutedFinding;
  /** When to decide about it again (epoch ms): when the claim expires, or at once after a lost race. */
  readonly retryAtMs: number;
}

/** The outcome of {@link RepeatGate.filter}. Every input finding is in exactly one list (or one group). */
export interface GateResult {
  /** Send one message per group, then `commit` the delivered ones and `release` the rest. */
  readonly notify: readonly NotifyGroup[];
  /** Skip with reason `repeat`: delete their SQS messages. */
  readonly repeats: readonly RoutedFinding[];
  /**
   * A live claim is held on these (another instance, or an earlier receive of this one, is sending):
   * report them as `batchItemFailures`, hidden until `retryAtMs`. Never acknowledge them: only a
   * committed notification makes a finding a repeat.
   */
  readonly deferred: readonly Deferral[];
  /** State-table failures; the gate failed open (notified rather than risk losing). Log them. */
  readonly errors: readonly RepeatStateError[];
}

/** What {@link RepeatGate.commit} wrote. */
export interface CommitReport {
  /** Records finalized (finding and issue records). */
  readonly recorded: number;
  /** Claims that had been taken over (expired) before the commit: a repeat message is possible, no loss. */
  readonly lost: number;
  readonly errors: readonly RepeatStateError[];
}

/** What {@link RepeatGate.release} could not drop (each claim then expires on its own: a delay). */
export interface ReleaseReport {
  readonly errors: readonly RepeatStateError[];
}

/** Stops repeat spam. Call `filter` before rendering, then `commit` or `release` every group it returned. */
export interface RepeatGate {
  /** Decides and claims; the only writes are claims (see the module docblock). */
  filter(routed: readonly RoutedFinding[], nowMs: number): Promise<GateResult>;
  /** After Slack accepted them: records what was notified. Accepts groups or any of their members. */
  commit(delivered: readonly RoutedFinding[], nowMs: number): Promise<CommitReport>;
  /** After delivery failed or was not attempted: drops the claims so the retry is decided afresh. */
  release(undelivered: readonly RoutedFinding[]): Promise<ReleaseReport>;
}
