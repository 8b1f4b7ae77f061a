export {
  ELLIPSIS,
  MAX_LINK_URL_CHARS,
  codeSpan,
  escapeEntities,
  escapeSlack,
  escapeTruncated,
  slackLink,
  truncateMrkdwn,
  truncatePlain,
} from './escape.ts';
export { validatePayload } from './limits.ts';
export { renderMessages } from './render-messages.ts';
export { reroutedMessages } from './rerouted.ts';
export { renderSingle } from './single.ts';
export { digestLine, renderDigests, type RenderedDigest } from './digest.ts';
export { bandSummary, severityText } from './format.ts';
export type { Block, RenderConfig, RenderOptions } from './types.ts';
