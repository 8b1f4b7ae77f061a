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
  /** When a drift check last claimed the recap, epoch ms. */
  readonly recappedAtMs?: number;
  /** When the hub queue took the recap, epoch ms: it is never sent again. */
  readonly recapSentAtMs?: number;
}

/**
 * How long a recap's claim holds, in ms (5 minutes, past the drift function's timeout): a run that
 * stopped between its claim and its send leaves a claim that a run this much later may take again.
 */
export const RECAP_CLAIM_MS = 5 * 60_000;

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
  /**
   * Claims the recap of `id` at `atMs`: true for the one call that may send it, false when it was sent
   * or another claim is younger than {@link RECAP_CLAIM_MS}.
   */
  claimRecap(id: string, atMs: number): Promise<boolean>;
  /** Records that the hub queue took the recap of `id`: no claim is ever given again. */
  recapSent(id: string, atMs: number): Promise<void>;
  /** Takes back the claim made at `atMs` (its recap could not be sent), so a later check sends it. */
  releaseRecap(id: string, atMs: number): Promise<void>;
}
