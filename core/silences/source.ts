import { isActive, type Silence } from '../../shared/silences.ts';
import type { ConsumerLogger } from '../log.ts';
import type { SilenceStore } from './store.ts';
import type { TallyBatch } from './tally-types.ts';

/** What the consumer asks of silences: which hold findings now, and where to count what they held. */
export interface SilenceSource {
  /** The silences holding findings at `nowMs`: the config's and those kept in the store. */
  active(nowMs: number): Promise<readonly Silence[]>;
  /**
   * Adds to the counts of the silences in `counts`, and to their tallies what `tallies` holds (for the
   * recap at their end); a failure is logged, never thrown.
   */
  held(counts: ReadonlyMap<string, number>, tallies?: ReadonlyMap<string, TallyBatch>): Promise<void>;
}

/** How long one instance uses the silences it read before reading them again: 60 s. */
export const SILENCES_REFRESH_MS = 60_000;

/** What {@link silenceSource} needs. */
export interface SilenceSourceOptions {
  /** The config's silences (`configSilences(config.silences)`). */
  readonly config: readonly Silence[];
  /** Where the CLI's silences and every count are kept; without it, config silences only, uncounted. */
  readonly store?: SilenceStore;
  readonly logger: Pick<ConsumerLogger, 'warn'>;
  /** Default {@link SILENCES_REFRESH_MS}. */
  readonly refreshMs?: number;
}

/**
 * The {@link SilenceSource} of a consumer instance: the config's silences and the store's, read at most
 * once per `refreshMs`. When the store cannot be read, the silences read last stay in use (none at
 * first): a silence that cannot be read lets findings through rather than hide them.
 */
export function silenceSource(options: SilenceSourceOptions): SilenceSource {
  const refreshMs = options.refreshMs ?? SILENCES_REFRESH_MS;
  let kept: readonly Silence[] = [];
  let readAtMs = Number.NEGATIVE_INFINITY;
  const { store, logger } = options;
  return {
    async active(nowMs) {
      if (store !== undefined && nowMs - readAtMs >= refreshMs) {
        readAtMs = nowMs;
        try {
          kept = (await store.list()).silences;
        } catch (error) {
          logger.warn('Silences unreadable: using the ones read before', { error: String(error) });
        }
      }
      return [...options.config, ...kept].filter((silence) => isActive(silence, nowMs));
    },
    async held(counts, tallies) {
      if (store === undefined) return;
      try {
        if (counts.size > 0) await store.addHeld(counts);
      } catch (error) {
        logger.warn('Silence counts not written', { error: String(error), counts: Object.fromEntries(counts) });
      }
      try {
        if (tallies !== undefined && tallies.size > 0) await store.addTallies(tallies);
      } catch (error) {
        logger.warn('Silence tallies not written: their recaps will show less', { error: String(error) });
      }
    },
  };
}
