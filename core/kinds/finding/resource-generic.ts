import type { ResourceSummary } from '../../types.ts';
import { asArray, asRecord, toText } from '../normalize.ts';
import { summary, type Record_ } from './resource-parts.ts';

/**
 * The fallback for a resource type no reader knows: the best identifying value found in it. Keys are
 * matched case-insensitively by their last word (`id`, `identifier`, `name`, `arn`, `uid`: `modelId`,
 * `GuardrailARN`, `backup_vault_name`), ranked in that order; without one, any text value inside a `…Details` object.
 * The type alone is the label only when the resource holds no such text at all.
 */

const ID_WORDS = ['id', 'identifier', 'name', 'arn', 'uid'] as const;
/** How deep into nested objects and lists the fallback looks. */
const MAX_DEPTH = 3;
const IGNORED = new Set(['resourcetype', 'type', 'status', 'tags']);

/** The rank of an id-like key (lower is better), or undefined when the key is not id-like. */
export function idKeyRank(key: string): number | undefined {
  const lower = key.toLowerCase();
  for (const [rank, word] of ID_WORDS.entries()) {
    if (!lower.endsWith(word)) continue;
    const before = key.slice(0, key.length - word.length);
    const first = key.charAt(key.length - word.length);
    // A word boundary: the whole key, after `_`/`-`, or a capital starting the word (`modelId`, not `valid`).
    if (before === '' || /[_-]$/.test(before) || first !== first.toLowerCase()) return rank;
  }
  return undefined;
}

interface Candidate {
  readonly rank: number;
  readonly depth: number;
  readonly value: string;
}

function collect(value: unknown, depth: number, out: Candidate[]): void {
  if (depth > MAX_DEPTH) return;
  const items = Array.isArray(value) ? asArray(value).slice(0, 3) : [value];
  for (const item of items) {
    const record = asRecord(item);
    if (record === undefined) continue;
    for (const [key, inner] of Object.entries(record)) {
      if (IGNORED.has(key.toLowerCase())) continue;
      const text = typeof inner === 'string' || typeof inner === 'number' ? toText(inner) : undefined;
      const rank = idKeyRank(key) ?? (depth > 0 ? ID_WORDS.length : undefined);
      if (text !== undefined && rank !== undefined) out.push({ rank, depth, value: text });
      else if (text === undefined) collect(inner, depth + 1, out);
    }
  }
}

/** A type we do not know: `Type value`, the best identifying value anywhere in it. */
export function genericResource(resource: Record_, type: string): ResourceSummary {
  const candidates: Candidate[] = [];
  collect(resource, 0, candidates);
  candidates.sort((a, b) => a.rank - b.rank || a.depth - b.depth);
  const id = candidates[0]?.value;
  return summary(type, id === undefined ? type : `${type} ${id}`, []);
}
