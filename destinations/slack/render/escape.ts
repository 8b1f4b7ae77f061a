/**
 * Slack mrkdwn escaping and truncation. Every string taken from a finding goes through `escapeSlack`
 * before it enters mrkdwn: finding fields are attacker controlled, and `<!channel>` or `<https://x|y>`
 * must arrive as text, not as a mention or a link.
 */

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** The ellipsis that marks cut text (one character). */
export const ELLIPSIS = '…';

/** Any character {@link escapeSlack} replaces. */
const SPECIAL = /[&<>]/;

/** Escapes `&`, `<` and `>` for Slack mrkdwn. */
export function escapeSlack(text: string): string {
  return SPECIAL.test(text) ? text.replace(/[&<>]/g, (char) => ENTITIES[char] ?? char) : text;
}

/** Units that must never be split: a link or mention `<…>`, an entity, or one code point. */
const TOKEN = /<[^<>]*>|&(?:amp|lt|gt);|[\s\S]/gu;

/**
 * Cuts mrkdwn to at most `maxChars` (JavaScript length), ending with `…` when cut. It cuts only
 * between tokens: never inside a link, an entity such as `&amp;`, or a surrogate pair.
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
