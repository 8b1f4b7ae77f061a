/**
 * The consumer's public surface: what the CLI (`replay`, `preview`, `dlq`, `secrets`), the benchmarks
 * and the tests use. The Lambda entry point is `consumer/lambda.ts`; everything else under
 * `consumer/` is internal.
 */
export {
  createHandler,
  RecordNotDeliveredError,
  type ConsumerHandler,
  type HandlerOptions,
  type InvocationResult,
} from './handler.ts';
export {
  nodeHttpFetch,
  secretsManagerWebhooks,
  staticWebhooks,
  webhookFromSecretValue,
  webhookUrlRefusal,
  type FetchLike,
  type SqsLike,
  type WebhookResolver,
} from '../../destinations/slack-webhook/index.ts';
export {
  BOT_TOKEN,
  botTokenFromSecretValue,
  parentStoreOver,
  secretsManagerTokens,
  staticTokens,
  type BotTokenResolver,
} from '../../destinations/slack-app/index.ts';
export {
  PAGERDUTY_EVENTS_API,
  ROUTING_KEY,
  dedupKeyOf,
  routingKeyFromSecretValue,
  staticRoutingKeys,
  triggerEvent,
  type PagerDutyEvent,
} from '../../destinations/pagerduty/index.ts';
export type { SecretReader } from '../../core/port/secrets.ts';
export { ConsumerError } from '../../core/errors.ts';
export { secretText } from '../../core/port/secrets.ts';
export {
  renderFindingCard,
  staticWorkflowUrls,
  teamsMessages,
  type TeamsMessage,
  type TeamsPayload,
} from '../../destinations/teams/index.ts';
export { SILENT_LOGGER, type ConsumerLogger } from '../../core/log.ts';
export { NO_METRICS, type MetricsSink } from '../../core/metrics.ts';
export { parseRecord } from '../../core/kinds/index.ts';
export { renderMessages, validatePayload } from '../../destinations/slack/render/index.ts';
export {
  DynamoStateStore,
  MemoryStateStore,
  claimSecondsFor,
  createRepeatGate,
  passThroughGate,
  type NotifyReason,
  type RepeatGate,
  type RepeatSettings,
} from '../../core/repeats/index.ts';
export { routeBatch, type RouteResult } from '../../core/route/index.ts';
export type { Finding, RoutedFinding, SkipReason } from '../../core/types.ts';
export type { SlackMessage, SlackPayload } from '../../destinations/slack/render/types.ts';
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
} from '../triage/index.ts';
export {
  DynamoSilenceStore,
  MemorySilenceStore,
  type KeptSilence,
  type SilenceStore,
} from '../../core/silences/index.ts';
export { dynamoCanaryStore, judgeCanary, type CanaryRecord } from '../../core/canary/index.ts';
