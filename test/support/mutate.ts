/**
 * Structural edits of JSON values for the property tests: every path in a value, a copy with the
 * value at one path replaced or removed, and a series of such edits. Also the text SQS accepts.
 */

type Json = Record<string, unknown>;

/** A path into a JSON value: object keys and array indexes. */
export type Path = readonly (string | number)[];

/** Every path under `value` (objects' keys and arrays' indexes), the root left out. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

/** As a replacement: remove the member instead. */
export const REMOVE = Symbol('remove');

/** A copy of `base` with the value at `path` replaced (or removed with {@link REMOVE}). */
function edited(base: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [key, ...rest] = path;
  const copy = (Array.isArray(base) ? [...(base as unknown[])] : { ...(base as Json) }) as Record<
    string | number,
    unknown
  >;
  const next = edited(copy[key!], rest, replacement);
  if (next === REMOVE) delete copy[key!];
  else copy[key!] = next;
  return copy;
}

/**
 * `base` after each edit in turn: `[at, value]` replaces (or removes) the value at path number `at`
 * (modulo the paths the value has by then).
 */
export function withEdits(base: unknown, edits: readonly (readonly [number, unknown])[]): unknown {
  let value = base;
  for (const [at, replacement] of edits) {
    const paths = pathsOf(value);
    if (paths.length === 0) break;
    value = edited(value, paths[at % paths.length]!, replacement);
  }
  return value;
}

/**
 * Text SQS accepts in a message body and, as its API reference says, in a String attribute value:
 * only #x9, #xA, #xD, #x20–#xD7FF, #xE000–#xFFFD and #x10000–#x10FFFF.
 */
export const SQS_TEXT = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
