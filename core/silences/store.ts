import type { Silence } from '../../shared/silences.ts';

/** A silence as kept, with the findings it has held so far. */
export interface KeptSilence extends Silence {
  /** Findings the consumer skipped because of it. */
  readonly held: number;
  /** When it was ended early (`silences expire`), epoch ms; its `endsAtMs` is then that time. */
  readonly expiredAtMs?: number;
}

/**
 * Where silences made with the CLI live, and where every silence's count is kept (the state table in
 * Lambda; memory in tests and replay). Config silences are never written here; their counts are.
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
}
