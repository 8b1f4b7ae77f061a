export { blockToHtml, renderPreviewHtml, type HtmlMessage } from './html.ts';
export { decodeSlack, escapeHtml, mrkdwnToHtml } from './mrkdwn.ts';
