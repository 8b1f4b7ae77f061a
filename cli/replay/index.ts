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
  PAGERDUTY_ARGUMENT,
  TEAMS_ARGUMENT,
  parseGivenSecrets,
  replayGivenSecrets,
  type GivenSecretKind,
  type GivenSecrets,
} from './given-secrets.ts';
export {
  destinationsUsed,
  hasCredentials,
  parsePagerDutyUrl,
  parseSlackApiUrl,
  parseTokenArguments,
  parseWebhookArguments,
  replayTokens,
  replayWebhooks,
} from './webhooks.ts';
export { renderReplaySummary } from './summary.ts';
