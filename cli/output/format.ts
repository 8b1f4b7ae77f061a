/** Small formatting helpers shared by the commands' tables. */

/** `n/a` for a missing value, else the value as text. */
export function orNa(value: string | number | undefined | null): string {
  return value === undefined || value === null || value === '' ? 'n/a' : String(value);
}

/** A duration in seconds as `42 s`, `12 min 5 s`, `3 h 20 min`. */
export function formatSeconds(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  return `${Math.floor(s / 3600)} h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)} min` : ''}`;
}

/** An ISO time without milliseconds: `2026-11-27T18:12:33Z`. */
export function formatTime(time: Date | string | undefined): string {
  if (time === undefined) return 'n/a';
  const date = typeof time === 'string' ? new Date(time) : time;
  return Number.isNaN(date.getTime()) ? String(time) : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
