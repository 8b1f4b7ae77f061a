/**
 * Slack app destinations (`destinations.NAME.app: { botTokenSecret, channel }`): the Web API path
 * beside webhooks. One living parent message per issue, edited as it changes, with thread replies;
 * per-method rate limits kept by the hub's own token buckets; bot tokens from Secrets Manager.
 */
export { archiveParents, deliverAppGroups, postAppMessages, type AppEnvironment } from './deliver-app.ts';
export { slackAppDestination } from './destination.ts';
export { callWithLimits, outcomeOfCall, type CallOutcome, type WebApiEnvironment } from './call.ts';
export {
  BotTokenError,
  DESTINATION_GONE_CODES,
  PARENT_GONE_CODES,
  PAYLOAD_REFUSED_CODES,
  SlackApiPayloadError,
  SlackApiRefusedError,
  SlackParentGoneError,
} from './errors.ts';
export { WEB_API_LIMITS, WebApiLimiters } from './limits.ts';
export { deliverStorm, stormKey, type StormTarget } from './storm.ts';
export {
  addToSummary,
  emptySummary,
  parseSummary,
  stormFile,
  stormPayload,
  type StormSummary,
} from './storm-summary.ts';
export { REPLACES_DELETED, changeOf, parentPayload, replyText, type ParentChange } from './living.ts';
export {
  allArchived,
  issueFinding,
  parseParts,
  partOf,
  partsText,
  withFindings,
  type IssueParts,
  type RegionPart,
} from './issue.ts';
export { PARENT_CLAIM_SECONDS, PARENT_TTL_DAYS, parentStoreOver, type ParentStore } from './parents.ts';
export {
  BOT_TOKEN,
  botTokenFromSecretValue,
  secretsManagerTokens,
  staticTokens,
  type BotTokenResolver,
} from './tokens.ts';
export {
  DEFAULT_SLACK_API_URL,
  WEB_API_METHODS,
  callWebApi,
  type WebApiCallOptions,
  type WebApiMethod,
  type WebApiResult,
} from './web-api.ts';
