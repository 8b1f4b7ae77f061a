/**
 * Slack mrkdwn to HTML, for looking at payloads in a browser. Input is mrkdwn as the consumer sends
 * it (`&`, `<`, `>` escaped as entities); every character of it reaches the HTML escaped, so nothing
 * in a finding can become markup. Links are kept only for http(s) URLs.
 */

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const SLACK_ENTITIES: Readonly<Record<string, string>> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ENTITIES[char] ?? char);
}

/** Undoes Slack's three entities, giving the text a reader sees. */
export function decodeSlack(text: string): string {
  return text.replace(/&(?:amp|lt|gt);/g, (entity) => SLACK_ENTITIES[entity] ?? entity);
}

/** Slack's inline styles, applied to already-escaped text (their markers survive escaping). */
const STYLES: readonly [RegExp, string][] = [
  [/`([^`\n]+)`/g, '<code>$1</code>'],
  [/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,:;!?])/g, '$1<strong>$2</strong>'],
  [/(^|[\s(])_([^_\n]+)_(?=$|[\s).,:;!?])/g, '$1<em>$2</em>'],
  [/(^|[\s(])~([^~\n]+)~(?=$|[\s).,:;!?])/g, '$1<del>$2</del>'],
];

function styled(text: string): string {
  return STYLES.reduce(
    (html, [pattern, replacement]) => html.replace(pattern, replacement),
    escapeHtml(decodeSlack(text)),
  );
}

/** `<url|label>`, `<url>`, `<!here>`, `<@U123>`: a link when the target is http(s), else its text. */
function angle(inner: string): string {
  const bar = inner.indexOf('|');
  const target = decodeSlack(bar < 0 ? inner : inner.slice(0, bar));
  const label = bar < 0 ? target : inner.slice(bar + 1);
  if (/^https?:\/\//i.test(target)) return `<a href="${escapeHtml(target)}">${styled(label)}</a>`;
  if (target.startsWith('!')) return `<span class="mention">@${escapeHtml(target.slice(1))}</span>`;
  return escapeHtml(bar < 0 ? target : decodeSlack(label));
}

/**
 * Renders mrkdwn: links and mentions, `*bold*`, `_italic_`, `~strike~`, `` `code` ``, line breaks.
 * A style spans a link only when it wraps exactly one (`*<url|title>*`).
 */
export function mrkdwnToHtml(mrkdwn: string): string {
  let html = '';
  let last = 0;
  for (const match of mrkdwn.matchAll(/<([^<>]*)>/g)) {
    html += styled(mrkdwn.slice(last, match.index));
    html += angle(match[1] ?? '');
    last = match.index + match[0].length;
  }
  html += styled(mrkdwn.slice(last));
  // `*<url|title>*`, as the consumer writes a finding's title: the style wraps the link.
  return html
    .replace(
      /(^|[\s(])([*_])(<a href="[^"]*">[^<]*(?:<(?!\/a>)[^<]*)*<\/a>)\2/g,
      (_, before: string, marker: string, link: string) =>
        `${before}${marker === '*' ? `<strong>${link}</strong>` : `<em>${link}</em>`}`,
    )
    .replace(/\n/g, '<br>');
}
