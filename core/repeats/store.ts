import type { SeverityBand } from '../../shared/severity.ts';
import type { NotifiedState } from './decide.ts';

/**
 * The state the repeat gate keeps per key (`finding#…` or `issue#…`), and the operations it needs.
 * Every write is conditional and atomic, so two consumer instances sharing one table never both win.
 */

/** A short-lived lease taken before a message is sent, so a racing instance does not send it too. */
export interface Claim {
  /** Unique per claim; only its holder can finalize or release it. */
  readonly token: string;
  /** Epoch milliseconds after which the claim no longer counts (an instance that crashed). */
  readonly untilMs: number;
  /** What the holder is about to notify. */
  readonly band: SeverityBand;
  readonly severity: number;
  readonly count: number;
}

/**
 * The Slack message that stands for a finding or issue at an app destination (its "parent"): edited
 * as the finding changes, with replies in its thread. Kept on the record so every instance finds it.
 */
export interface MessageRef {
  /** The app destination it was posted to. */
  readonly destination: string;
  /** Channel id (`C…`). */
  readonly channel: string;
  /** Slack's message timestamp (`1700000000.000100`): the message id within the channel. */
  readonly ts: string;
  /** Set once the parent shows the finding as archived (so later archived copies change nothing). */
  readonly archived?: boolean;
  /** A storm parent's running summary (JSON text, see `app/storm-summary.ts`). */
  readonly summary?: string;
  /** The record's triage state (JSON text, see `consumer/triage`), as read; never written through `setMessage`. */
  readonly triage?: string;
}

/** One stored record. */
export interface StateRecord {
  readonly key: string;
  /** What was last notified; undefined while only a claim exists. */
  readonly notified: NotifiedState | undefined;
  /** Bumped by every finalize and record write; 0 for a record that was never notified. */
  readonly version: number;
  /** The current claim, if any (possibly expired: compare `untilMs` with now). */
  readonly claim: Claim | undefined;
  /** DynamoDB TTL, epoch seconds. */
  readonly expiresAtSeconds: number;
  /** The parent message at an app destination, once one was posted. */
  readonly message?: MessageRef | undefined;
  /** What was done from Slack on the parent (triage state, JSON text owned by `consumer/triage`), once something was. */
  readonly triage?: TriageSlot | undefined;
}

/** The triage state kept on a record: its text and a version bumped by every write. */
export interface TriageSlot {
  /** JSON text (see `consumer/triage/state.ts`). */
  readonly text: string;
  /** 1 after the first write; a write names the version it read (0 when absent). */
  readonly version: number;
}

/**
 * The triage state's storage: an extra of both state stores (not part of {@link StateStore}, which the
 * repeat gate needs). Writes are conditional on the version read, so of two clicks one wins.
 */
export interface TriageSlotStore {
  /** The record's triage slot, strongly consistent; undefined when nothing was done yet. */
  readTriage(key: string): Promise<TriageSlot | undefined>;
  /**
   * Stores `text` as the triage state of `key` if its version is still `expectedVersion` (0: none yet),
   * creating the record if absent (with `expiresAtSeconds`). False when someone wrote in between.
   */
  writeTriage(key: string, text: string, expectedVersion: number, expiresAtSeconds: number): Promise<boolean>;
}

/** A write that only succeeds if nobody changed the record since it was read and nobody holds a live claim. */
export interface VersionGuard {
  /** The `version` read (0 when absent). */
  readonly version: number;
  /** Claims with `untilMs` at or before this are expired. */
  readonly nowMs: number;
}

/** The outcome of a conditional write that lost: the record as it is now (undefined if absent). */
export type WriteOutcome = { readonly ok: true } | { readonly ok: false; readonly current: StateRecord | undefined };

/** The storage behind the repeat gate: {@link MemoryStateStore} or {@link DynamoStateStore}. */
export interface StateStore {
  /** Strongly consistent reads of `keys`; absent keys are absent from the map. */
  read(keys: readonly string[]): Promise<ReadonlyMap<string, StateRecord>>;
  /**
   * Takes a claim on `key` if the record is unchanged (`guard.version`) and holds no live claim.
   * Keeps the record's notified state; a new item gets `expiresAtSeconds`.
   */
  claim(key: string, claim: Claim, guard: VersionGuard, expiresAtSeconds: number): Promise<WriteOutcome>;
  /** Stores `state`, bumps the version and drops the claim, if `token` still holds the claim. */
  finalize(key: string, state: NotifiedState, token: string, expiresAtSeconds: number): Promise<boolean>;
  /** Stores `state` and bumps the version under `guard` (an issue record, opening its cross-region window). */
  record(key: string, state: NotifiedState, guard: VersionGuard, expiresAtSeconds: number): Promise<boolean>;
  /** Adds `regions` to a notified record, if its `notifiedAtMs` is still `notifiedAtMs` (the same window). */
  addRegions(key: string, regions: readonly string[], notifiedAtMs: number): Promise<boolean>;
  /**
   * Stores the parent message of `key` (creating the record if absent, with `expiresAtSeconds`),
   * unconditionally: the last message posted wins. Leaves the notified state, version and claim alone.
   */
  setMessage(key: string, message: MessageRef, expiresAtSeconds: number): Promise<void>;
  /** Drops the claim if `token` holds it; a record that was never notified (and has no message) disappears. */
  release(key: string, token: string): Promise<void>;
}

/** True when `record` holds a claim that has not expired at `nowMs`. */
export function hasLiveClaim(record: StateRecord | undefined, nowMs: number): boolean {
  return record?.claim !== undefined && record.claim.untilMs > nowMs;
}
