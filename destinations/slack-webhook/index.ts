export { slackWebhookDestination } from './destination.ts';
export {
  deliverMessages,
  emptyStats,
  type DeliveryEnvironment,
  type DeliveryStats,
  type MessageOutcome,
} from './deliver.ts';
export {
  DeliveryError,
  PayloadRefusedForGoodError,
  SlackPayloadRejectedError,
  SlackPermanentError,
  SlackRateLimitedError,
  SlackServerError,
  WebhookRefusedError,
  WebhookSecretError,
} from '../slack/errors.ts';
export { renderPlain } from '../slack/render/plain.ts';
export { smallerForms, type MessageForm, type ReshapeContext, type ShapedMessage } from '../slack/reshape.ts';
export {
  RateLimiters,
  TokenBucket,
  type BucketSettings,
  type DestinationLimits,
} from '../../core/port/rate-limiter.ts';
export { RETRY_POLICY, backoffDelayMs, type RetryPolicy } from '../../core/port/retry-policy.ts';
export {
  secretsManagerWebhooks,
  staticWebhooks,
  webhookFromSecretValue,
  type SecretReader,
  type SecretWebhookOptions,
  type WebhookResolver,
} from './secrets.ts';
export {
  VISIBILITY_BOUNDS,
  queueUrlFromArn,
  requestVisibility,
  visibilitySeconds,
  type SqsLike,
  type VisibilityRequest,
} from './visibility.ts';
export { DEFAULT_IDLE_SOCKET_MS, nodeHttpFetch, type NodeHttpFetchOptions } from '../../core/port/http-fetch.ts';
export {
  DEFAULT_RETRY_AFTER_SECONDS,
  parseRetryAfterSeconds,
  postWebhook,
  type FetchLike,
  type PostOptions,
} from './webhook.ts';
export { webhookUrlRefusal } from './webhook-policy.ts';
