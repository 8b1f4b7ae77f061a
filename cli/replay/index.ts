export {
  EVENT_FILE_EXTENSIONS,
  ReplayInputError,
  parseEventFile,
  readReplayEvents,
  type ReplayEvent,
} from './inputs.ts';
export { jsonLinesLogger } from './log.ts';
export { InMemoryQueue, REPLAY_QUEUE_URL, type InMemoryQueueOptions, type VisibilityChange } from './queue.ts';
export { runReplay, type ReplayOptions, type ReplayProgress, type ReplaySummary } from './run.ts';
export {
  destinationsUsed,
  parseSlackApiUrl,
  parseTokenArguments,
  parseWebhookArguments,
  replayTokens,
  replayWebhooks,
} from './webhooks.ts';
export { parsePagerDutyArguments, parsePagerDutyUrl, replayRoutingKeys } from './pagerduty.ts';
export { renderReplaySummary } from './summary.ts';
