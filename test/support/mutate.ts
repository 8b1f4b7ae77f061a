/**
 * Structural edits of JSON values for the property tests: every path in a value, and a copy with
 * the value at one path replaced or removed.
 */

type Json = Record<string, unknown>;

/** A path into a JSON value: object keys and array indexes. */
export type Path = readonly (string | number)[];

/** Every path under `value` (objects' keys and arrays' indexes), the root left out. */
export function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

/** As a replacement: remove the member instead. */
export const REMOVE = Symbol('remove');

/** A copy of `base` with the value at `path` replaced (or removed with {@link REMOVE}). */
export function edited(base: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [key, ...rest] = path;
  const copy = (Array.isArray(base) ? [...(base as unknown[])] : { ...(base as Json) }) as Record<string | number, unknown>;
  const next = edited(copy[key!], rest, replacement);
  if (next === REMOVE) delete copy[key!];
  else copy[key!] = next;
  return copy;
}
