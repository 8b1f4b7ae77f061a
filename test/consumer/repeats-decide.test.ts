import { describe, expect, it } from 'vitest';
import { crossesMilestone, decide, type NotifiedState } from '../../core/repeats/index.ts';
import type { SeverityBand } from '../../shared/index.ts';
import { DEFAULT_REPEATS, HOUR_MS, T0_MS, makeFinding } from './repeats-fixtures.ts';

const SCORE: Record<SeverityBand, number> = { low: 2, medium: 5, high: 8, critical: 9.5 };

function notified(overrides: Partial<NotifiedState> = {}): NotifiedState {
  return {
    notifiedAtMs: T0_MS,
    band: 'medium',
    severity: 5,
    count: 1,
    destination: 'security',
    regions: ['us-east-1'],
    ...overrides,
  };
}

/** Feeds `counts` (one re-publication each, 15 min apart) and returns the counts that notified. */
function notifiedCounts(counts: readonly number[]): number[] {
  let previous: NotifiedState | undefined;
  const sent: number[] = [];
  counts.forEach((count, i) => {
    const nowMs = T0_MS + i * 15 * 60_000;
    const decision = decide(previous, makeFinding({ count }), nowMs, DEFAULT_REPEATS);
    if (decision.notify) {
      sent.push(count);
      previous = notified({ notifiedAtMs: nowMs, count });
    }
  });
  return sent;
}

describe('decide', () => {
  it('notifies a finding never notified before as new', () => {
    expect(decide(undefined, makeFinding(), T0_MS, DEFAULT_REPEATS)).toEqual({ notify: true, why: 'new' });
  });

  it('notifies rising counts 1, 2, 5, 10, 11, 99, 100 at 1, 10 and 100 only', () => {
    expect(notifiedCounts([1, 2, 5, 10, 11, 99, 100])).toEqual([1, 10, 100]);
  });

  it('notifies a count that jumps over two milestones once', () => {
    expect(notifiedCounts([5, 150, 160])).toEqual([5, 150]);
  });

  it('treats a count that falls (a reset) as a repeat', () => {
    const decision = decide(notified({ count: 50 }), makeFinding({ count: 3 }), T0_MS + HOUR_MS, DEFAULT_REPEATS);
    expect(decision).toEqual({ notify: false, why: 'repeat' });
  });

  it.each([
    [1, 10, true],
    [9, 10, true],
    [10, 10, false],
    [10, 11, false],
    [10, 99, false],
    [99, 100, true],
    [100, 999, false],
    [999, 1000, true],
    [5, 5, false],
    [50, 20, false],
    [1, 100_000, true],
    [100_000, 5_000_000, false],
  ])('crossesMilestone(%i → %i) is %s with the default milestones', (from, to, expected) => {
    expect(crossesMilestone(from, to, DEFAULT_REPEATS.countMilestones)).toBe(expected);
  });

  it('uses the configured milestones', () => {
    const settings = { ...DEFAULT_REPEATS, countMilestones: [3, 7] };
    expect(decide(notified({ count: 2 }), makeFinding({ count: 3 }), T0_MS, settings).why).toBe('count-milestone');
    expect(decide(notified({ count: 3 }), makeFinding({ count: 10 }), T0_MS, settings).why).toBe('count-milestone');
    expect(decide(notified({ count: 7 }), makeFinding({ count: 100 }), T0_MS, settings).why).toBe('repeat');
  });

  const bands: SeverityBand[] = ['low', 'medium', 'high', 'critical'];
  const bandPairs = bands.flatMap((before, i) => bands.map((after, j) => [before, after, j > i] as const));

  it.each(bandPairs)('a band change %s → %s notifies: %s', (before, after, rose) => {
    const previous = notified({ band: before, severity: SCORE[before] });
    const decision = decide(previous, makeFinding({ severity: SCORE[after] }), T0_MS + HOUR_MS, DEFAULT_REPEATS);
    expect(decision).toEqual(rose ? { notify: true, why: 'severity-rose' } : { notify: false, why: 'repeat' });
  });

  it('treats a higher score within the same band as a repeat', () => {
    const decision = decide(
      notified({ band: 'medium', severity: 4 }),
      makeFinding({ severity: 6.9 }),
      T0_MS,
      DEFAULT_REPEATS,
    );
    expect(decision.why).toBe('repeat');
  });

  it('notifies again once renotifyAfterHours have passed, not a millisecond before', () => {
    const previous = notified();
    const due = T0_MS + 24 * HOUR_MS;
    expect(decide(previous, makeFinding(), due - 1, DEFAULT_REPEATS)).toEqual({ notify: false, why: 'repeat' });
    expect(decide(previous, makeFinding(), due, DEFAULT_REPEATS)).toEqual({ notify: true, why: 'renotify-due' });
  });

  it('honours a fractional renotify interval', () => {
    const settings = { ...DEFAULT_REPEATS, renotifyAfterHours: 0.5 };
    expect(decide(notified(), makeFinding(), T0_MS + 30 * 60_000, settings).why).toBe('renotify-due');
    expect(decide(notified(), makeFinding(), T0_MS + 29 * 60_000, settings).why).toBe('repeat');
  });

  it('prefers severity-rose over count-milestone over renotify-due', () => {
    const late = T0_MS + 48 * HOUR_MS;
    expect(decide(notified(), makeFinding({ severity: 8, count: 10 }), late, DEFAULT_REPEATS).why).toBe(
      'severity-rose',
    );
    expect(decide(notified(), makeFinding({ severity: 5, count: 10 }), late, DEFAULT_REPEATS).why).toBe(
      'count-milestone',
    );
    expect(decide(notified(), makeFinding({ severity: 5, count: 2 }), late, DEFAULT_REPEATS).why).toBe('renotify-due');
  });

  it('does not renotify when the clock runs backwards', () => {
    expect(decide(notified(), makeFinding(), T0_MS - HOUR_MS, DEFAULT_REPEATS).why).toBe('repeat');
  });

  it('follows one finding through a day, measuring renotify from the last message', () => {
    const steps: { atHours: number; count: number; severity: number }[] = [
      { atHours: 0, count: 1, severity: 5 },
      { atHours: 1, count: 4, severity: 5 },
      { atHours: 2, count: 12, severity: 5 },
      { atHours: 3, count: 30, severity: 8 },
      { atHours: 4, count: 31, severity: 5 },
      { atHours: 5, count: 40, severity: 8 },
      { atHours: 26, count: 41, severity: 8 },
      { atHours: 27, count: 42, severity: 8 },
    ];
    let previous: NotifiedState | undefined;
    const reasons = steps.map(({ atHours, count, severity }) => {
      const nowMs = T0_MS + atHours * HOUR_MS;
      const finding = makeFinding({ count, severity });
      const decision = decide(previous, finding, nowMs, DEFAULT_REPEATS);
      if (decision.notify) previous = notified({ notifiedAtMs: nowMs, count, band: finding.band, severity });
      return decision.why;
    });
    expect(reasons).toEqual([
      'new',
      'repeat',
      'count-milestone',
      'severity-rose',
      'repeat',
      'repeat',
      'repeat',
      'renotify-due',
    ]);
  });
});
