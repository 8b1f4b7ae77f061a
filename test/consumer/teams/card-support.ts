import type { ValidateFunction } from 'ajv';
import { expect } from 'vitest';
import type { AdaptiveCard, CardElement, TeamsPayload } from '../../../destinations/teams/index.ts';
import { TEAMS_LIMITS } from '../../../destinations/teams/index.ts';

/** Helpers for the Teams card tests: every text of a card, and what a card must always be. */

/** Every text of `card` a reader sees (TextBlocks, fact titles and values, action titles, the fallback). */
export function cardTexts(card: AdaptiveCard): string[] {
  const out: string[] = [card.fallbackText];
  const walk = (element: CardElement): void => {
    const e = element as Record<string, unknown>;
    if (typeof e.text === 'string') out.push(e.text);
    if (typeof e.title === 'string') out.push(e.title);
    for (const fact of (e.facts as { title: string; value: string }[] | undefined) ?? [])
      out.push(fact.title, fact.value);
    for (const child of [...((e.items as CardElement[]) ?? []), ...((e.columns as CardElement[]) ?? [])]) walk(child);
  };
  for (const element of [...card.body, ...(card.actions ?? [])]) walk(element);
  return out;
}

/** The only card of a Teams message. */
export function cardOfPayload(payload: TeamsPayload): AdaptiveCard {
  expect(payload.attachments).toHaveLength(1);
  return payload.attachments[0]!.content;
}

/** A link `[label](target)` as the hub writes them: label with escapes, https target without spaces or parentheses. */
const HUB_LINK = /\[((?:[^\]\\]|\\.)*)\]\((https:\/\/[^()\s]+)\)/g;

/** Console hosts the hub links to (GuardDuty, S3, CloudTrail consoles of every partition). */
const CONSOLE = /^https:\/\/([a-z0-9-]+\.)*console\.(aws\.amazon\.com|amazonaws-us-gov\.com|amazonaws\.cn)\//;

/** What is left of `text` once the hub's own links are reduced to their label and every escape removed. */
export function unescapedRest(text: string): string {
  return text
    .replace(HUB_LINK, (_all, label: string) => label)
    .replace(/\*\*/g, '')
    .replace(/\\[\\`*_{}[\]<>#|~!&=+\-.)]/g, '');
}

/** Every link target in `texts`. */
export function linkTargets(texts: readonly string[]): string[] {
  return texts.flatMap((text) => [...text.matchAll(HUB_LINK)].map((match) => match[2]!));
}

/** Control characters (newline aside) and bidirectional overrides: none may reach a card. */
const CONTROL_OR_BIDI = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

/** Asserts `payload` is a message the Workflows trigger takes, its card valid against the 1.4 schema, within size. */
export function expectValidMessage(payload: TeamsPayload, validate: ValidateFunction): AdaptiveCard {
  expect(payload.type).toBe('message');
  expect(payload.attachments[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
  const card = cardOfPayload(payload);
  const valid = validate(card);
  expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 3))).toEqual([]);
  expect(valid).toBe(true);
  expect(card.version).toBe('1.4');
  expect(Buffer.byteLength(JSON.stringify(payload), 'utf8')).toBeLessThanOrEqual(TEAMS_LIMITS.maxBodyBytes);
  const texts = cardTexts(card);
  for (const text of texts) {
    expect(unescapedRest(text), text.slice(0, 200)).not.toMatch(/[[\]<>{}*_`~#|&\\]/);
    expect(text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(text).not.toMatch(CONTROL_OR_BIDI);
  }
  for (const target of linkTargets(texts)) expect(target).toMatch(CONSOLE);
  for (const action of card.actions ?? []) expect(String(action.url)).toMatch(CONSOLE);
  return card;
}
