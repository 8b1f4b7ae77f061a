/**
 * Slack mrkdwn escaping and truncation. Every string taken from an event goes through `escapeSlack`
 * before it enters mrkdwn: finding and CloudTrail fields are attacker controlled, and `<!channel>`,
 * `<https://x|y>` or `*bold*` must arrive as text, not as a mention, a link or formatting.
 */

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** The ellipsis that marks cut text (one character). */
export const ELLIPSIS = '…';

/** Zero-width space (U+200B): invisible, so the character it stands beside still shows as itself. */
const ZERO_WIDTH_SPACE = '\u200B';

/** The characters Slack's documentation says to escape, with their entities. */
const ENTITY_CHARACTER = /[&<>]/g;

/**
 * Emphasis and code markers that could open or close formatting: every `*`, `~` and backtick, and an
 * underscore unless it stands between two letters or digits (Slack never italicises inside a word,
 * so `snake_case` and role names keep their underscores untouched, and copy as they are).
 */
const FORMATTING_MARKER = /[*~`]|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;

/**
 * Escapes `&`, `<` and `>` only (Slack's documented escapes), for text inside a code span or block,
 * where Slack shows `*`, `_` and `~` as they are: see {@link codeSpan}.
 */
export function escapeEntities(text: string): string {
  return text.replace(ENTITY_CHARACTER, (char) => ENTITIES[char] ?? char);
}

/**
 * Raw text as plain text in mrkdwn: `&`, `<` and `>` escaped (no mention, no link) and every
 * `*`, `_`, `~` and backtick that could format neutralised (no bold, italics, strike or code).
 *
 * Slack documents no escape for those markers (a backslash shows as itself); its answer is a space
 * either side of the character (slackhq/slack-api-docs#34). A zero-width space either side does that
 * unseen: whether Slack counts it as white space (the marker then has space on its inner side, so it
 * can neither open nor close) or as part of a word (the marker then sits inside one), the marker is
 * inert and shows as itself.
 */
export function escapeSlack(text: string): string {
  return escapeEntities(text).replace(FORMATTING_MARKER, (marker) => `${ZERO_WIDTH_SPACE}${marker}${ZERO_WIDTH_SPACE}`);
}

/** U+02CB MODIFIER LETTER GRAVE ACCENT: looks like a backtick, but cannot end a code span. */
const BACKTICK_LOOKALIKE = '\u02CB';

/**
 * Raw text as an inline code span: shown as it is, in monospace, with `&`, `<` and `>` escaped. A
 * backtick would end the span, so it becomes a look-alike (U+02CB).
 */
export function codeSpan(raw: string): string {
  return `\`${escapeEntities(raw).replaceAll('`', BACKTICK_LOOKALIKE)}\``;
}

/**
 * Units that must never be split: a link or mention `<…>`, an entity, a neutralised marker (a
 * character between zero-width spaces), or one code point.
 */
const TOKEN = /<[^<>]*>|&(?:amp|lt|gt);|\u200B[*_~`]\u200B|[\s\S]/gu;

/**
 * Cuts mrkdwn to at most `maxChars` (JavaScript length), ending with `…` when cut. It cuts only
 * between tokens: never inside a link, an entity such as `&amp;`, a neutralised marker, or a
 * surrogate pair.
 */
export function truncateMrkdwn(mrkdwn: string, maxChars: number): string {
  if (mrkdwn.length <= maxChars) return mrkdwn;
  const room = maxChars - ELLIPSIS.length;
  let length = 0;
  let cut = '';
  for (const [token] of mrkdwn.matchAll(TOKEN)) {
    if (length + token.length > room) break;
    cut += token;
    length += token.length;
  }
  return `${cut.trimEnd()}${ELLIPSIS}`;
}

/** Escapes raw finding text and cuts it to at most `maxChars` of mrkdwn. */
export function escapeTruncated(raw: string, maxChars: number): string {
  return truncateMrkdwn(escapeSlack(raw), maxChars);
}

/** Cuts plain text (a header) to at most `maxChars`, between code points, ending with `…` when cut. */
export function truncatePlain(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let cut = '';
  for (const char of text) {
    if (cut.length + char.length > maxChars - ELLIPSIS.length) break;
    cut += char;
  }
  return `${cut.trimEnd()}${ELLIPSIS}`;
}

/**
 * Longest URL put in a link. A console URL holds ids and names percent-encoded: a 1,024-byte S3 key
 * of non-ASCII characters alone becomes about 3,000 characters, and a link cannot be cut, so a URL
 * longer than this would push its section past Slack's 3,000 characters and the message be refused.
 */
export const MAX_LINK_URL_CHARS = 2000;

/**
 * A link with a label taken from a finding: `<url|escaped label>`, the label escaped and cut to
 * `maxLabelChars`. The URL is built by us with ids URL-encoded; one that still holds `|`, `<`, `>` or
 * white space cannot be a Slack link, and one longer than {@link MAX_LINK_URL_CHARS} would not fit,
 * so then the label is returned alone (never throws).
 */
export function slackLink(url: string, rawLabel: string, maxLabelChars: number): string {
  const label = escapeTruncated(rawLabel, maxLabelChars);
  return url.length <= MAX_LINK_URL_CHARS && /^https?:\/\/[^|<>\s]+$/.test(url) ? `<${url}|${label}>` : label;
}
