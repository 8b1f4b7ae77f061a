/** Slack's `Retry-After` header, as the webhook and the Web API send it with a 429. */

/**
 * Seconds assumed when a 429 comes without a usable `Retry-After` header, and the shortest pause a
 * 429 causes: a `Retry-After` of 0 (or a date in the past) must not let the consumer re-post at once.
 */
export const DEFAULT_RETRY_AFTER_SECONDS = 1;

/** `Retry-After` as whole seconds, at least 1 (Slack sends an integer); HTTP dates are honoured too. */
export function parseRetryAfterSeconds(header: string | null, nowMs: number = Date.now()): number {
  if (header === null || header.trim() === '') return DEFAULT_RETRY_AFTER_SECONDS;
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds)) return Math.max(DEFAULT_RETRY_AFTER_SECONDS, Math.ceil(seconds));
  const date = Date.parse(header);
  if (Number.isFinite(date)) return Math.max(DEFAULT_RETRY_AFTER_SECONDS, Math.ceil((date - nowMs) / 1000));
  return DEFAULT_RETRY_AFTER_SECONDS;
}
