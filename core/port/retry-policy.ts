/**
 * When to retry a failed post and how long to wait: network errors and 5xx back off exponentially
 * with full jitter; 429 waits for `Retry-After` (see the rate limiter); other 4xx never retry.
 */
export const RETRY_POLICY = {
  /** Delay before the first retry, in milliseconds (before jitter). */
  baseDelayMs: 250,
  /** Longest delay between two attempts, in milliseconds. */
  maxDelayMs: 8_000,
  /** Shortest delay between two attempts, in milliseconds (jitter never goes below it). */
  minDelayMs: 50,
} as const;

/** The retry policy's knobs. */
export type RetryPolicy = { readonly baseDelayMs: number; readonly maxDelayMs: number; readonly minDelayMs: number };

/**
 * Milliseconds to wait before retry number `attempt` (1 for the first retry): a random value between
 * half and all of `base × 2^(attempt-1)`, capped at `maxDelayMs` ("equal jitter", so retries of many
 * instances spread out but never come back at once).
 */
export function backoffDelayMs(
  attempt: number,
  random: () => number = Math.random,
  policy: RetryPolicy = RETRY_POLICY,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(policy.minDelayMs, Math.round(ceiling / 2 + random() * (ceiling / 2)));
}
