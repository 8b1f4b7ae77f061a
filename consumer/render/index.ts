export { ELLIPSIS, escapeSlack, escapeTruncated, slackLink, truncateMrkdwn, truncatePlain } from './escape.ts';
export { validatePayload } from './limits.ts';
