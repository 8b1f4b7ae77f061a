import { SLACK_LIMITS } from '../limits.ts';
import { escapeTruncated, truncateMrkdwn } from './escape.ts';
import { mrkdwn } from './format.ts';
import type { Block } from './types.ts';

/**
 * Lists taken from a finding (signals, actors, threats …), escaped and cut so that any number of
 * entries fits one Slack text: the first few entries, then `…and N more`.
 */

/** Longest single entry, in raw characters, before escaping. */
export const ENTRY_CHARS = 300;

/**
 * `*Title* (N)` then one line per entry, as many as fit `maxChars` and `maxEntries`, then
 * `…and N more`. Entries are raw text; they are escaped here. Undefined when there are none.
 */
export function listText(
  title: string,
  entries: readonly string[],
  maxEntries: number,
  maxChars: number,
): string | undefined {
  if (entries.length === 0) return undefined;
  const head = `*${title}*${entries.length > 1 ? ` (${entries.length})` : ''}`;
  const moreRoom = 40;
  const lines: string[] = [head];
  let length = head.length;
  for (const entry of entries.slice(0, maxEntries)) {
    const line = `• ${escapeTruncated(entry, ENTRY_CHARS)}`;
    if (length + 1 + line.length > maxChars - moreRoom) break;
    lines.push(line);
    length += 1 + line.length;
  }
  const shown = lines.length - 1;
  if (shown < entries.length) lines.push(`…and ${entries.length - shown} more`);
  return truncateMrkdwn(lines.join('\n'), maxChars);
}

/** A section with `listText` as its text; undefined when the list is empty. */
export function listSection(title: string, entries: readonly string[], maxEntries: number): Block | undefined {
  const text = listText(title, entries, maxEntries, SLACK_LIMITS.sectionTextChars);
  return text === undefined ? undefined : { type: 'section', text: mrkdwn(text) };
}

/** A section of fields, each a `listText` within a field's limit; undefined when every list is empty. */
export function listFields(
  lists: readonly (readonly [title: string, entries: readonly string[]])[],
  maxEntries: number,
): Block | undefined {
  const fields = lists
    .map(([title, entries]) => listText(title, entries, maxEntries, SLACK_LIMITS.fieldTextChars))
    .filter((text): text is string => text !== undefined)
    .slice(0, SLACK_LIMITS.fieldsPerSection)
    .map(mrkdwn);
  return fields.length === 0 ? undefined : { type: 'section', fields };
}
