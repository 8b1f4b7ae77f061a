import type { NotifiedState } from './decide.ts';
import {
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

/**
 * A {@link StateStore} in process memory with the same conditional semantics as the DynamoDB store:
 * for unit tests, `replay` and the benchmark. Each operation checks and writes without yielding in
 * between, so concurrent callers (two gates sharing one store) see atomic writes, as with DynamoDB.
 * TTL is not enforced: records live as long as the store.
 */
export class MemoryStateStore implements StateStore, TriageSlotStore {
  readonly #records = new Map<string, StateRecord>();

  /** Every record, for tests and inspection. */
  snapshot(): ReadonlyMap<string, StateRecord> {
    return new Map(this.#records);
  }

  async read(keys: readonly string[]): Promise<ReadonlyMap<string, StateRecord>> {
    await settle();
    const found = new Map<string, StateRecord>();
    for (const key of keys) {
      const record = this.#records.get(key);
      if (record !== undefined) found.set(key, record);
    }
    return found;
  }

  async claim(key: string, claim: Claim, guard: VersionGuard, expiresAtSeconds: number): Promise<WriteOutcome> {
    await settle();
    const current = this.#records.get(key);
    if (!passes(current, guard)) return { ok: false, current };
    this.#records.set(key, {
      key,
      notified: current?.notified,
      version: current?.version ?? 0,
      claim,
      expiresAtSeconds: current?.expiresAtSeconds ?? expiresAtSeconds,
      message: current?.message,
      triage: current?.triage,
    });
    return { ok: true };
  }

  async finalize(key: string, state: NotifiedState, token: string, expiresAtSeconds: number): Promise<boolean> {
    await settle();
    const current = this.#records.get(key);
    if (current?.claim?.token !== token) return false;
    this.#records.set(key, {
      key,
      notified: state,
      version: current.version + 1,
      claim: undefined,
      expiresAtSeconds,
      message: current.message,
      triage: current.triage,
    });
    return true;
  }

  async record(key: string, state: NotifiedState, guard: VersionGuard, expiresAtSeconds: number): Promise<boolean> {
    await settle();
    const current = this.#records.get(key);
    if (!passes(current, guard)) return false;
    this.#records.set(key, {
      key,
      notified: state,
      version: (current?.version ?? 0) + 1,
      claim: undefined,
      expiresAtSeconds,
      message: current?.message,
      triage: current?.triage,
    });
    return true;
  }

  async setMessage(key: string, message: MessageRef, expiresAtSeconds: number): Promise<void> {
    await settle();
    const current = this.#records.get(key);
    this.#records.set(
      key,
      current === undefined
        ? { key, notified: undefined, version: 0, claim: undefined, expiresAtSeconds, message }
        : { ...current, message },
    );
  }

  async readTriage(key: string): Promise<TriageSlot | undefined> {
    await settle();
    return this.#records.get(key)?.triage;
  }

  async writeTriage(key: string, text: string, expectedVersion: number, expiresAtSeconds: number): Promise<boolean> {
    await settle();
    const current = this.#records.get(key);
    if ((current?.triage?.version ?? 0) !== expectedVersion) return false;
    const triage = { text, version: expectedVersion + 1 };
    this.#records.set(
      key,
      current === undefined
        ? { key, notified: undefined, version: 0, claim: undefined, expiresAtSeconds, triage }
        : { ...current, triage },
    );
    return true;
  }

  async addRegions(key: string, regions: readonly string[], notifiedAtMs: number): Promise<boolean> {
    await settle();
    const current = this.#records.get(key);
    if (current?.notified?.notifiedAtMs !== notifiedAtMs) return false;
    const merged = [...new Set([...current.notified.regions, ...regions])].sort();
    this.#records.set(key, { ...current, notified: { ...current.notified, regions: merged } });
    return true;
  }

  async release(key: string, token: string): Promise<void> {
    await settle();
    const current = this.#records.get(key);
    if (current?.claim?.token !== token) return;
    if (current.notified === undefined && current.message === undefined && current.triage === undefined)
      this.#records.delete(key);
    else this.#records.set(key, { ...current, claim: undefined });
  }
}

/** The DynamoDB condition: unchanged since read (or absent) and no live claim. */
function passes(current: StateRecord | undefined, guard: VersionGuard): boolean {
  if (current === undefined) return true;
  return current.version === guard.version && !hasLiveClaim(current, guard.nowMs);
}

/**
 * Yields once to the microtask queue, so concurrent callers interleave between operations as they
 * would over the network, without a macrotask hop per operation (replay calls the store per finding).
 */
function settle(): Promise<void> {
  return SETTLED;
}

const SETTLED = Promise.resolve();
