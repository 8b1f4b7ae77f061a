/**
 * The consumer's public surface: what the CLI (`replay`, `preview`, `dlq`, `secrets`), the benchmarks
 * and the tests use. The Lambda entry point is `consumer/lambda.ts`; everything else under
 * `consumer/` is internal.
 */
export { createHandler, RecordNotDeliveredError, type ConsumerHandler, type HandlerOptions, type InvocationResult } from './handler.ts';
export {
  nodeHttpFetch,
  secretsManagerWebhooks,
  staticWebhooks,
  webhookFromSecretValue,
  webhookUrlRefusal,
  type FetchLike,
  type SqsLike,
  type WebhookResolver,
} from './deliver/index.ts';
export { BOT_TOKEN, botTokenFromSecretValue, parentStoreOver, secretsManagerTokens, staticTokens, type BotTokenResolver } from './app/index.ts';
export { ConsumerError } from './errors.ts';
export { SILENT_LOGGER, type ConsumerLogger } from './log.ts';
export { NO_METRICS, type MetricsSink } from './metrics.ts';
export { parseRecord } from './parse/index.ts';
export { renderMessages, validatePayload } from './render/index.ts';
export {
  DynamoStateStore,
  MemoryStateStore,
  claimSecondsFor,
  createRepeatGate,
  passThroughGate,
  type NotifyReason,
  type RepeatGate,
  type RepeatSettings,
} from './repeats/index.ts';
export { routeBatch, type RouteResult } from './route/index.ts';
export type { Finding, RoutedFinding, SkipReason } from './types.ts';
export type { SlackMessage, SlackPayload } from './render/types.ts';
export {
  MAX_BODY_BYTES,
  TRIAGE_ACTION_IDS,
  TRIAGE_STATUS_BLOCK_ID,
  createTriageHandler,
  decodeTarget,
  sdkTriageGuardDuty,
  suppressCriteria,
  suppressFilterName,
  type TriageGuardDuty,
  type TriageHandler,
  type TriageJob,
  type TriageWiring,
} from './triage/index.ts';
