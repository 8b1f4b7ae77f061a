import { describe, expect, it } from 'vitest';
import { toIsoTime } from '../../core/kinds/finding/index.ts';

/** What `Date` makes of a time string: the reference the fast path must agree with. */
function viaDate(text: string): string | undefined {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

describe('toIsoTime', () => {
  it('agrees with Date on canonical times, including days that roll over into the next month', () => {
    const times = [
      '2022-03-01T14:27:24.071Z',
      '2024-02-28T23:59:59.999Z',
      '2024-02-29T00:00:00.000Z',
      '2023-02-30T12:00:00.000Z',
      '2023-04-31T00:00:00.000Z',
      '1999-12-31T23:59:59.000Z',
    ];
    let ms = Date.UTC(2020, 0, 1);
    for (let i = 0; i < 2_000; i += 1, ms += 37_123_457) times.push(new Date(ms).toISOString());

    for (const time of times) expect(toIsoTime(time), time).toBe(viaDate(time));
  });

  it('normalises other forms and refuses what is not a time', () => {
    expect(toIsoTime('2022-03-01T14:27:24Z')).toBe('2022-03-01T14:27:24.000Z');
    expect(toIsoTime('2022-03-01T16:27:24.071+02:00')).toBe('2022-03-01T14:27:24.071Z');
    expect(toIsoTime(1.646144449e9)).toBe('2022-03-01T14:20:49.000Z');
    expect(toIsoTime('1646144449071')).toBe('2022-03-01T14:20:49.071Z');
    expect(toIsoTime('2022-13-01T00:00:00.000Z')).toBeUndefined();
    expect(toIsoTime('soon')).toBeUndefined();
    expect(toIsoTime('')).toBeUndefined();
  });
});
