import type { Silence } from '../../shared/silences.ts';
import { RECAP_CLAIM_MS, type KeptSilence, type KeptTally, type SilenceStore } from './store.ts';
import { addToTally } from './tally.ts';
import { EMPTY_TALLY, type TallyBatch } from './tally-types.ts';

/** A {@link SilenceStore} in memory: tests, replay, a consumer without a state table. */
export class MemorySilenceStore implements SilenceStore {
  readonly #silences = new Map<string, Omit<KeptSilence, 'held'>>();
  readonly #held = new Map<string, number>();
  readonly #tallies = new Map<string, KeptTally>();

  async list(): Promise<{ silences: KeptSilence[]; held: ReadonlyMap<string, number> }> {
    const silences = [...this.#silences.values()].map((silence) => ({
      ...silence,
      held: this.#held.get(silence.id) ?? 0,
    }));
    return { silences, held: new Map(this.#held) };
  }

  async add(silence: Silence): Promise<void> {
    this.#silences.set(silence.id, silence);
  }

  async expire(id: string, atMs: number): Promise<KeptSilence | undefined> {
    const silence = this.#silences.get(id);
    if (silence === undefined) return undefined;
    const ended = endedAt(silence, atMs);
    this.#silences.set(id, ended);
    return { ...ended, held: this.#held.get(id) ?? 0 };
  }

  async addHeld(counts: ReadonlyMap<string, number>): Promise<void> {
    for (const [id, n] of counts) this.#held.set(id, (this.#held.get(id) ?? 0) + n);
  }

  async tally(id: string): Promise<KeptTally> {
    return this.#tallyOf(id);
  }

  // Each change reads and writes with no `await` between, so concurrent callers never lose one.
  async addTallies(batches: ReadonlyMap<string, TallyBatch>): Promise<void> {
    for (const [id, batch] of batches) {
      const kept = this.#tallyOf(id);
      this.#tallies.set(id, { ...kept, tally: addToTally(kept.tally, batch) });
    }
  }

  async claimRecap(id: string, atMs: number): Promise<boolean> {
    const kept = this.#tallyOf(id);
    if (kept.recapSentAtMs !== undefined) return false;
    if (kept.recappedAtMs !== undefined && atMs - kept.recappedAtMs < RECAP_CLAIM_MS) return false;
    this.#tallies.set(id, { ...kept, recappedAtMs: atMs });
    return true;
  }

  async recapSent(id: string, atMs: number): Promise<void> {
    this.#tallies.set(id, { ...this.#tallyOf(id), recapSentAtMs: atMs });
  }

  async releaseRecap(id: string, atMs: number): Promise<void> {
    const { recappedAtMs, ...kept } = this.#tallyOf(id);
    if (recappedAtMs === atMs) this.#tallies.set(id, kept);
  }

  #tallyOf(id: string): KeptTally {
    return this.#tallies.get(id) ?? { tally: EMPTY_TALLY };
  }
}

/** `silence` ended at `atMs` (an end already past stays as it was). */
export function endedAt<T extends Pick<KeptSilence, 'endsAtMs' | 'expiredAtMs'>>(silence: T, atMs: number): T {
  if (silence.endsAtMs <= atMs) return silence;
  return { ...silence, endsAtMs: atMs, expiredAtMs: atMs };
}
