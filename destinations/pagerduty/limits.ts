/**
 * What PagerDuty documents of its Events API v2, in one place. Sources (PagerDuty's developer
 * documentation, github.com/PagerDuty/developer-docs and the OpenAPI description in
 * github.com/PagerDuty/api-schema `reference/events-v2/openapiv3.json`):
 * - "Send an Alert Event" (`docs/events-API-v2/02-Trigger-Events.md`): the endpoint, `routing_key` "the
 *   32 character Integration Key", `event_action` trigger|acknowledge|resolve, `dedup_key` at most 255
 *   characters, `payload.summary` at most 1024 characters, `payload.severity` critical|error|warning|info,
 *   and that acknowledge and resolve for a `dedup_key` with no open alert are dropped.
 * - "Events API v2 Overview" (`01-Overview.md`): 202 accepted, 400 "check that the JSON is valid" (no
 *   retry), 429 and 5xx and network errors "retry after some time"; payloads at most 512 KB.
 * - "Events API Rate Limits" (`05-Rate-Limits.md`): "approximately 120 calls/minute per integration key",
 *   "calculated over a 60 second window looking back from the current time"; over it, `429 - Request
 *   Limit Exceeded` and the event is not ingested; "we suggest retrying 3 times with each request being
 *   30 seconds apart". No `Retry-After` header is documented.
 */
export const PAGERDUTY_EVENTS_API = {
  /** Where events are sent. */
  url: 'https://events.pagerduty.com/v2/enqueue',
  /** Characters of a routing (integration) key. */
  routingKeyChars: 32,
  /** Longest `dedup_key`, in characters. */
  dedupKeyMaxChars: 255,
  /** Longest `payload.summary`, in characters; a longer one is refused (400), never cut by PagerDuty. */
  summaryMaxChars: 1024,
  /** Largest request body, in bytes (512 KB). */
  payloadMaxBytes: 512 * 1024,
  /** Events an integration key takes per window ("approximately"). */
  eventsPerWindow: 120,
  /** The window those events are counted over, looking back from now, in seconds. */
  windowSeconds: 60,
  /** How long to wait after a 429 that has no `Retry-After` (the rate-limit page's "30 seconds apart"), in seconds. */
  retryAfterSeconds: 30,
} as const;

/**
 * The hub's own budget per routing key, across consumer instances (each takes its share): 100 events a
 * minute with bursts of 10, so that no 60-second window holds more than 10 + 100 = 110 events, below
 * PagerDuty's approximate 120. A 429 still pauses the key (see `send.ts`).
 */
export const PAGERDUTY_BUDGET = {
  /** Events per second per routing key (100 a minute). */
  messagesPerSecond: 100 / 60,
  /** Events a routing key may take at once. */
  burst: 10,
} as const;

/** Longest text of one `custom_details` value, in characters (the whole event stays far below 512 KB). */
export const DETAIL_MAX_CHARS = 4_000;
