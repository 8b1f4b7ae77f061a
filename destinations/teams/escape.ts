/**
 * Neutralising text taken from a finding before it goes into an Adaptive Card. A TextBlock, and a
 * Fact's title and value, render a CommonMark subset in Teams ("Format cards in Teams": Markdown in
 * `TextBlock`, `Fact.Title` and `Fact.Value`; HTML is not supported) — `**bold**`, `_italic_`, lists,
 * `[title](url)` links — and replaces `{{DATE(…)}}` / `{{TIME(…)}}` (Adaptive Cards "Text features").
 * Finding fields are attacker controlled (domain names, user agents, object keys), so:
 * - every character that can open markup is backslash-escaped (CommonMark: any ASCII punctuation may
 *   be escaped and then shows as itself): `\ * _ [ ] < > { } ` ~ # | ! &`; with `[` and `]` escaped no
 *   `[text](url)` link can form, with `<` and `>` no autolink or HTML, with `{` and `}` no date function,
 *   with `&` no entity;
 * - a line that would start a list, a heading or a quote gets its marker escaped;
 * - control characters, bidirectional overrides and halves of surrogate pairs are dropped, tabs become
 *   spaces.
 * A bare URL in a finding stays text whose shown form is its own target (Teams may make it clickable;
 * it cannot disguise where it leads).
 */

/** Characters that can open Markdown (or the date functions, entities and HTML) anywhere in a line. */
const MARKUP = /[\\`*_{}[\]<>#|~!&]/g;

/** A list, heading or quote marker at the start of a line (after spaces): `- `, `+ `, `= `, `1. `, `2) `. */
const LINE_MARKER = /^( *)([-+=]|\d+[.)])/gm;

/** C0 and C1 controls except newline, plus DEL. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/** Bidirectional embeddings, overrides and isolates, and the marks that reorder text. */
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `text` without controls, bidirectional overrides or half characters; CR LF and CR become LF, tabs spaces. */
export function cleanText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, ' ')
    .replace(CONTROL, '')
    .replace(BIDI, '')
    .replace(LONE_SURROGATE, '');
}

/**
 * `text` (raw, from a finding) as literal text in a TextBlock or Fact: no markup, link or function can
 * form. Its line breaks become `\n\n`, the break Teams shows outside lists (a lone `\n` is a space).
 */
export function escapeCardText(text: string): string {
  return cleanText(text)
    .replace(MARKUP, '\\$&')
    .replace(LINE_MARKER, (_match, spaces: string, marker: string) => `${spaces}${escapeMarker(marker)}`)
    .replace(/\n+/g, '\n\n');
}

/** `-` → `\-`; `12.` → `12\.`. */
function escapeMarker(marker: string): string {
  return /^\d/.test(marker) ? `${marker.slice(0, -1)}\\${marker.slice(-1)}` : `\\${marker}`;
}

/**
 * `text` cut to at most `maxChars` characters (code points: never half an emoji), ending in `…` when
 * cut, then escaped. Cutting comes first, so that no escape is cut in half.
 */
export function escapeCut(text: string, maxChars: number): string {
  return escapeCardText(cutText(cleanText(text), maxChars));
}

/** `text` cut to at most `maxChars` code points, the last being `…` when anything was cut. */
export function cutText(text: string, maxChars: number): string {
  const points = Array.from(text);
  if (points.length <= maxChars) return text;
  return `${points.slice(0, Math.max(0, maxChars - 1)).join('')}…`;
}

/**
 * A Markdown link `[label](url)` with the label escaped, when `url` is https and at most `maxUrlChars`
 * long; otherwise the label alone. Characters that would end the link target early are percent-encoded.
 */
export function cardLink(url: string | undefined, label: string, maxLabelChars: number, maxUrlChars: number): string {
  const text = escapeCut(label, maxLabelChars);
  if (url === undefined || !url.startsWith('https://') || url.length > maxUrlChars) return text;
  const target = url.replace(/[()<>\s\\[\]]/g, (char) => encodeURIComponent(char));
  return `[${text}](${target})`;
}

/** `url` when it may be an `Action.OpenUrl` target (https, not too long), else undefined. */
export function actionUrl(url: string | undefined, maxUrlChars: number): string | undefined {
  return url?.startsWith('https://') && url.length <= maxUrlChars ? url : undefined;
}
