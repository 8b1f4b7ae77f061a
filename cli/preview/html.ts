import type { SlackPayload } from '../../lambdas/consumer/index.ts';
import { escapeHtml, mrkdwnToHtml } from './mrkdwn.ts';

/**
 * `preview --html`: the consumer's Slack payloads as one HTML page, laid out roughly as Slack shows
 * an incoming-webhook message (notification text, then the attachment: colour bar, header, sections
 * with their fields, context lines, links). Everything shown is escaped; nothing is fetched.
 */

/** One message to show. */
export interface HtmlMessage {
  /** The destination it goes to. */
  readonly destination: string;
  readonly kind: 'single' | 'digest';
  /** Findings it holds. */
  readonly findingCount: number;
  readonly payload: SlackPayload;
  /** Where it breaks Slack's limits (validatePayload), shown as a warning. */
  readonly problems: readonly string[];
}

type TextObject = { readonly type?: unknown; readonly text?: unknown };
type Block = Readonly<Record<string, unknown>>;

/** A Slack text object: mrkdwn rendered, plain_text escaped as is. */
function textObject(value: unknown): string {
  const { type, text } = (value ?? {}) as TextObject;
  if (typeof text !== 'string') return '';
  return type === 'mrkdwn' ? mrkdwnToHtml(text) : escapeHtml(text).replace(/\n/g, '<br>');
}

function section(block: Block): string {
  const text = block.text === undefined ? '' : `<div class="text">${textObject(block.text)}</div>`;
  const fields = Array.isArray(block.fields)
    ? block.fields.map((field) => `<div class="field">${textObject(field)}</div>`).join('')
    : '';
  return `<div class="section">${text}${fields === '' ? '' : `<div class="fields">${fields}</div>`}</div>`;
}

function context(block: Block): string {
  const elements = Array.isArray(block.elements) ? block.elements : [];
  const parts = elements.map((element: TextObject & { alt_text?: unknown }) =>
    element.type === 'image'
      ? `<span class="image">${escapeHtml(String(element.alt_text ?? 'image'))}</span>`
      : `<span>${textObject(element)}</span>`,
  );
  return `<div class="context">${parts.join('')}</div>`;
}

/** One block as HTML; a type this page does not know is shown as its JSON. */
export function blockToHtml(block: Block): string {
  switch (block.type) {
    case 'header':
      return `<div class="header">${textObject(block.text)}</div>`;
    case 'section':
      return section(block);
    case 'context':
      return context(block);
    case 'divider':
      return '<hr>';
    default:
      return `<pre class="unknown">${escapeHtml(JSON.stringify(block, null, 2))}</pre>`;
  }
}

/** A colour as Slack takes it (`#RRGGBB`); anything else gets Slack's grey. */
function barColour(color: unknown): string {
  return typeof color === 'string' && /^#[0-9a-f]{6}$/i.test(color) ? color : '#dddddd';
}

function messageToHtml(message: HtmlMessage, index: number, total: number): string {
  const count = message.findingCount === 1 ? '1 finding' : `${message.findingCount} findings`;
  const attachments = message.payload.attachments
    .map(
      (attachment) =>
        `<div class="attachment" style="border-left-color: ${barColour(attachment.color)}">${attachment.blocks.map(blockToHtml).join('\n')}</div>`,
    )
    .join('\n');
  const problems = message.problems.map((problem) => `<li>${escapeHtml(problem)}</li>`).join('');
  return `<article class="message">
<div class="meta">message ${index + 1} of ${total} → #${escapeHtml(message.destination)} · ${escapeHtml(message.kind)} · ${count}</div>
<div class="bot"><span class="avatar">GD</span><div class="body"><div class="name">GuardDuty Hub <span class="app">APP</span></div>
<div class="notification" title="the notification text">${mrkdwnToHtml(message.payload.text)}</div>
${attachments}</div></div>
${problems === '' ? '' : `<ul class="problems">${problems}</ul>`}
</article>`;
}

const STYLE = `
body { margin: 0; padding: 16px 20px; background: #fff; color: #1d1c1d; font: 15px/1.46668 -apple-system, "Segoe UI", Lato, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 13px; font-weight: normal; color: #616061; margin: 0 0 12px; }
.message { max-width: 760px; margin: 0 0 22px; }
.meta { font-size: 12px; color: #616061; margin-bottom: 4px; }
.bot { display: flex; gap: 8px; }
.avatar { flex: none; width: 36px; height: 36px; border-radius: 6px; background: #232f3e; color: #ff9900; font-weight: 700; font-size: 14px; display: flex; align-items: center; justify-content: center; }
.body { flex: 1; min-width: 0; }
.name { font-weight: 900; }
.app { font-size: 10px; font-weight: 700; color: #616061; background: #e8e8e8; border-radius: 2px; padding: 1px 3px; vertical-align: 2px; }
.notification { margin-bottom: 4px; }
.attachment { border-left: 4px solid #dddddd; border-radius: 4px 0 0 4px; padding: 2px 0 2px 12px; margin: 4px 0; }
.header { font-size: 18px; font-weight: 900; margin: 4px 0; }
.section { margin: 6px 0; overflow-wrap: anywhere; }
.fields { display: grid; grid-template-columns: 1fr 1fr; gap: 6px 16px; margin-top: 6px; }
.context { font-size: 12px; color: #616061; margin: 6px 0; display: flex; flex-wrap: wrap; gap: 4px 10px; overflow-wrap: anywhere; }
a { color: #1264a3; text-decoration: none; }
code { font: 12px Monaco, Menlo, Consolas, monospace; color: #e01e5a; background: #f6f6f6; border: 1px solid #e1e1e1; border-radius: 3px; padding: 1px 3px; }
.mention { color: #1264a3; background: #e8f5fa; border-radius: 3px; padding: 0 2px; }
hr { border: none; border-top: 1px solid #e1e1e1; }
.problems { color: #b8122b; font-size: 13px; }
pre.unknown { font-size: 12px; background: #f6f6f6; padding: 6px; }
`;

/** The whole page. `title` (escaped) heads it, for example the event file's name. */
export function renderPreviewHtml(messages: readonly HtmlMessage[], title: string): string {
  const body =
    messages.length === 0
      ? '<p>Nothing would be sent.</p>'
      : messages.map((m, i) => messageToHtml(m, i, messages.length)).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><h1>guardduty-hub preview · ${escapeHtml(title)} · roughly as Slack shows it</h1>
${body}
</body></html>
`;
}
