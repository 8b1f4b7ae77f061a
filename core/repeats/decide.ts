import { bandRank, type SeverityBand } from '../../shared/severity.ts';
import type { Finding } from '../types.ts';
import type { FindingFacts } from './facts.ts';
import { renotifyAfterMs, type RepeatSettings } from './settings.ts';

/** Why a finding is (or is not) notified, in the order the rules are tried. */
export const DECISION_REASONS = ['new', 'severity-rose', 'count-milestone', 'renotify-due', 'repeat'] as const;

/** One of {@link DECISION_REASONS}. */
export type DecisionReason = (typeof DECISION_REASONS)[number];

/** A reason that sends a message (every reason but `repeat`). */
export type NotifyReason = Exclude<DecisionReason, 'repeat'>;

/** What was last notified about one finding (or one cross-region issue). */
export interface NotifiedState {
  /** Epoch milliseconds at which Slack accepted the message. */
  readonly notifiedAtMs: number;
  readonly band: SeverityBand;
  /** Severity score, 1.0–10.0. */
  readonly severity: number;
  /** `service.count` at the time. */
  readonly count: number;
  readonly destination: string;
  /** Regions the message named. */
  readonly regions: readonly string[];
  /** What the record keeps of a GuardDuty finding for the suppress backtest (finding records only, never issue records). */
  readonly facts?: FindingFacts;
}

/** The outcome of {@link decide}. */
export type Decision =
  | { readonly notify: true; readonly why: NotifyReason }
  | { readonly notify: false; readonly why: 'repeat' };

/** The part of a finding {@link decide} looks at. */
export type DecidableFinding = Pick<Finding, 'band' | 'count' | 'notifyOn'>;

/** The part of the settings {@link decide} looks at. */
export type DecideSettings = Pick<RepeatSettings, 'renotifyAfterHours' | 'countMilestones'>;

/**
 * Whether `finding` deserves a message, given what was last notified about it (`previous`).
 * Rules, first match wins:
 * 1. `new`: nothing was notified before;
 * 2. `severity-rose`: its band is above the notified band (a drop, or a rise within a band, is not news);
 * 3. `count-milestone`: some milestone `m` has `previous.count < m ≤ finding.count`;
 * 4. `renotify-due`: at least `renotifyAfterHours` passed since the last message;
 * 5. otherwise `repeat`.
 * A finding notified on change only (`notifyOn: 'change'`, a coverage state carried as its band) is
 * `new` when its band differs from the notified one (or, for anything above Low, when nothing was
 * notified), else a `repeat`: never renotified while it stays, and a restore with no loss on record is
 * not news. Pure: the same inputs always give the same answer.
 */
export function decide(
  previous: NotifiedState | undefined,
  finding: DecidableFinding,
  nowMs: number,
  settings: DecideSettings,
): Decision {
  if (finding.notifyOn === 'change') return changed(previous?.band ?? 'low', finding.band);
  if (previous === undefined) return { notify: true, why: 'new' };
  if (bandRank(finding.band) > bandRank(previous.band)) return { notify: true, why: 'severity-rose' };
  if (crossesMilestone(previous.count, finding.count, settings.countMilestones)) {
    return { notify: true, why: 'count-milestone' };
  }
  if (nowMs - previous.notifiedAtMs >= renotifyAfterMs(settings)) return { notify: true, why: 'renotify-due' };
  return { notify: false, why: 'repeat' };
}

/** True when some milestone `m` satisfies `fromCount < m ≤ toCount`. */
export function crossesMilestone(fromCount: number, toCount: number, milestones: readonly number[]): boolean {
  return milestones.some((milestone) => fromCount < milestone && milestone <= toCount);
}

/** A state change: news when the band moved (either way). */
function changed(notified: SeverityBand, band: SeverityBand): Decision {
  return notified === band ? { notify: false, why: 'repeat' } : { notify: true, why: 'new' };
}
