import type { ResourceSummary } from '../../types.ts';
import { toText } from '../normalize.ts';

/** Small pieces every resource reader uses. */

/** A plain JSON object. */
export type Record_ = Record<string, unknown>;
/** One `name: value` line under the resource. */
export type Detail = readonly [name: string, value: string];
/** A reader for one resource type: undefined when the resource lacks what it needs. */
export type Summarize = (resource: Record_, type: string) => ResourceSummary | undefined;

/** A summary, with the absent details left out. */
export function summary(type: string, label: string, details: readonly (Detail | undefined)[]): ResourceSummary {
  return { type, label, details: details.filter((d): d is Detail => d !== undefined) };
}

/** A detail pair when the value is present. */
export function detail(name: string, value: unknown): Detail | undefined {
  const text = toText(value);
  return text === undefined ? undefined : [name, text];
}

/** `main (extra)`, or `main` alone. */
export function withAside(main: string, aside: string | undefined): string {
  return aside === undefined || aside === main ? main : `${main} (${aside})`;
}

/** `a, b, c (+2 more)`: the first `shown` names and how many more there are. */
export function firstFew(names: readonly string[], shown = 3): string {
  const more = names.length > shown ? ` (+${names.length - shown} more)` : '';
  return `${names.slice(0, shown).join(', ')}${more}`;
}
