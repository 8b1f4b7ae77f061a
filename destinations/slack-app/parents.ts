import { randomUUID } from 'node:crypto';
import type { MessageRef, StateStore } from '../../core/repeats/index.ts';

/**
 * Where the parent message of each finding or issue at an app destination is kept: on its record in
 * the finding-state table (`StateStore.setMessage`), so every consumer instance edits the same
 * message. Keys are the repeat gate's (`finding#…`, `issue#…`).
 */
export interface ParentStore {
  /** The parent messages of `keys` that exist. */
  read(keys: readonly string[]): Promise<ReadonlyMap<string, MessageRef>>;
  /** Keeps `message` as the parent of `key` (the last one posted wins). */
  save(key: string, message: MessageRef, nowMs: number): Promise<void>;
  /**
   * True when this caller may post the first parent of `key`: nobody has (the record is absent) and
   * nobody else is about to (a lease of {@link PARENT_CLAIM_SECONDS}). Used for storm summaries, which
   * no repeat-gate claim guards, so two consumer instances in one storm post one summary between them.
   */
  claimFirst(key: string, nowMs: number): Promise<boolean>;
}

/** Seconds the right to post a first parent is held (longer than a post takes, shorter than a batch's retry). */
export const PARENT_CLAIM_SECONDS = 30;

/** Days a parent reference is kept after it was last written (the record's TTL when it creates one). */
export const PARENT_TTL_DAYS = 30;

/** A {@link ParentStore} over the repeat gate's state store. */
export function parentStoreOver(store: StateStore): ParentStore {
  return {
    async read(keys) {
      const records = await store.read(keys);
      const found = new Map<string, MessageRef>();
      for (const [key, record] of records) {
        if (record.message !== undefined)
          found.set(
            key,
            record.triage === undefined ? record.message : { ...record.message, triage: record.triage.text },
          );
      }
      return found;
    },
    save: (key, message, nowMs) => store.setMessage(key, message, ttlOf(nowMs)),
    async claimFirst(key, nowMs) {
      const claim = {
        token: randomUUID(),
        untilMs: nowMs + PARENT_CLAIM_SECONDS * 1000,
        band: 'low' as const,
        severity: 0,
        count: 0,
      };
      return (await store.claim(key, claim, { version: 0, nowMs }, ttlOf(nowMs))).ok;
    },
  };
}

function ttlOf(nowMs: number): number {
  return Math.floor(nowMs / 1000) + PARENT_TTL_DAYS * 86_400;
}
