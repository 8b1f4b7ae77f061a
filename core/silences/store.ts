import type { Silence } from '../../shared/silences.ts';
import type { SilenceTally, TallyBatch } from './tally-types.ts';

/** A silence as kept, with the findings it has held so far. */
export interface KeptSilence extends Silence {
  /** Findings the consumer skipped because of it. */
  readonly held: number;
  /** When it was ended early (`silences expire`), epoch ms; its `endsAtMs` is then that time. */
  readonly expiredAtMs?: number;
}

/** A silence's tally as kept, and when its recap was claimed (undefined: not yet). */
export interface KeptTally {
  readonly tally: SilenceTally;
  readonly recappedAtMs?: number;
}

/**
 * Where silences made with the CLI live, and where every silence's count and tally is kept (the state
 * table in Lambda; memory in tests and replay). Config silences are never written here; their counts
 * and tallies are.
 */
export interface SilenceStore {
  /** Every silence kept, ended ones included, with the counts of every silence (config ones included). */
  list(): Promise<{ readonly silences: KeptSilence[]; readonly held: ReadonlyMap<string, number> }>;
  /** Keeps a new silence. */
  add(silence: Silence): Promise<void>;
  /** Ends `id` at `atMs`; the silence as it now is, or undefined when there is no such silence. */
  expire(id: string, atMs: number): Promise<KeptSilence | undefined>;
  /** Adds to the counts of the silences in `counts`. */
  addHeld(counts: ReadonlyMap<string, number>): Promise<void>;
  /** The tally of `id` (empty when it held nothing yet). */
  tally(id: string): Promise<KeptTally>;
  /**
   * Adds each silence's batch to its tally. Concurrent writers never lose a batch: each write names the
   * version it read, and a write that lost the race reads again.
   */
  addTallies(batches: ReadonlyMap<string, TallyBatch>): Promise<void>;
  /** Claims the recap of `id` at `atMs`, once: true for the one call that claimed it, false when it already was. */
  claimRecap(id: string, atMs: number): Promise<boolean>;
  /** Takes back the claim made at `atMs` (its recap could not be sent), so a later check sends it. */
  releaseRecap(id: string, atMs: number): Promise<void>;
}
