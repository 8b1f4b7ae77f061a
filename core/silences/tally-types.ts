import type { SeverityBand } from '../../shared/severity.ts';

/**
 * What a silence held, kept for its recap: counts by type, account and severity band, its latest few
 * findings, and the findings of its scope that were worse than its band (delivered, not held). Bounded
 * so that one silence's record stays a few tens of KiB, far below DynamoDB's 400 KB per item.
 */

/** Distinct keys kept per breakdown (type, account, band); the rest are counted under {@link OTHER_KEY}. */
export const TALLY_MAX_KEYS = 50;
/** Findings kept in each latest list (held, worse). */
export const TALLY_LATEST = 5;
/** Longest type, title or id kept, in characters. */
export const TALLY_TEXT_CHARS = 200;
/** The key counting what no longer fits a breakdown. */
export const OTHER_KEY = '(other)';

/** One finding as a recap lists it (raw text; the renderer escapes it). */
export interface TalliedFinding {
  readonly id: string;
  readonly type: string;
  readonly accountId: string;
  readonly region: string;
  readonly severity: number;
  readonly band: SeverityBand;
  readonly title: string;
  /** When the hub saw it, epoch ms. */
  readonly atMs: number;
}

/** The tally of one silence. */
export interface SilenceTally {
  readonly byType: Readonly<Record<string, number>>;
  readonly byAccount: Readonly<Record<string, number>>;
  readonly byBand: Readonly<Record<string, number>>;
  /** The latest held findings, newest first, at most {@link TALLY_LATEST}. */
  readonly latest: readonly TalliedFinding[];
  /** Findings of its scope at or above its band (so not held), not archived when seen. */
  readonly worse: { readonly count: number; readonly latest: readonly TalliedFinding[] };
}

/** What one batch adds to a silence's tally. */
export interface TallyBatch {
  readonly held: readonly TalliedFinding[];
  readonly worse: readonly TalliedFinding[];
}

/** A tally with nothing in it. */
export const EMPTY_TALLY: SilenceTally = {
  byType: {},
  byAccount: {},
  byBand: {},
  latest: [],
  worse: { count: 0, latest: [] },
};
