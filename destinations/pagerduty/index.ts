/**
 * PagerDuty destinations (`destinations.NAME: { type: pagerduty, routingKeySecret }`): a finding triggers
 * its issue's alert through the Events API v2, an archived finding resolves it. The routing key is read
 * from Secrets Manager and is never logged, kept in an error or put in a metric. Slack's triage
 * buttons acknowledge or resolve the alert through `sendFollowUps`.
 */
export { pagerDutyDestination } from './destination.ts';
export { RESOLVED_KEYS_KEPT, RESOLVED_TTL_MS, ResolvedKeys, resolveArchived } from './archive.ts';
export {
  PagerDutyError,
  PagerDutyGoneError,
  PagerDutyRateLimitedError,
  PagerDutyRefusedError,
  PagerDutyServerError,
  RoutingKeyError,
} from './errors.ts';
export {
  SEVERITY_OF_BAND,
  cutText,
  dedupKeyFor,
  dedupKeyOf,
  followUpEvent,
  followUpEventFor,
  triggerEvent,
  type EventAction,
  type FollowUpAction,
  type PagerDutyEvent,
  type PagerDutySeverity,
  type TriggerOptions,
  type TriggerPayload,
} from './event.ts';
export { sendFollowUps, type FollowUpOutcome } from './follow-up.ts';
export { DETAIL_MAX_CHARS, PAGERDUTY_BUDGET, PAGERDUTY_EVENTS_API } from './limits.ts';
export { postEvent, retryAfterSeconds, type EventAccepted, type PostEventOptions } from './post.ts';
export {
  ROUTING_KEY,
  routingKeyFromSecretValue,
  secretsManagerRoutingKeys,
  staticRoutingKeys,
  type RoutingKeyResolver,
} from './routing-keys.ts';
export { eventVerdict, sendEvents, type EventMessage, type PagerDutyEnvironment } from './send.ts';
