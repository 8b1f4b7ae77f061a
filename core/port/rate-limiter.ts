/**
 * Per-destination token buckets. Slack takes about one message per second per webhook, with short
 * bursts; the budget is shared by every consumer instance, so each instance takes its share.
 */

/** Rate settings of one bucket. */
export interface BucketSettings {
  /** Tokens added per second (messages per second this instance may send to one destination). */
  readonly ratePerSecond: number;
  /** Most tokens the bucket holds (messages that may go at once); at least 1. */
  readonly capacity: number;
}

/**
 * A token bucket for one destination. A send may start when a token is there and no 429 pause is
 * running. The token is taken when Slack's answer arrives: Slack counted the message no later than
 * that, so this bucket never holds more than Slack's own (one send in flight per destination).
 */
export class TokenBucket {
  readonly #settings: BucketSettings;
  #tokens: number;
  #updatedAtMs: number;
  #pausedUntilMs = 0;

  constructor(settings: BucketSettings, nowMs: number) {
    this.#settings = { ratePerSecond: settings.ratePerSecond, capacity: Math.max(1, settings.capacity) };
    this.#tokens = this.#settings.capacity;
    this.#updatedAtMs = nowMs;
  }

  /** Milliseconds from `nowMs` until a send may start (0: now). */
  waitMs(nowMs: number): number {
    this.#refill(nowMs);
    const pause = Math.max(0, this.#pausedUntilMs - nowMs);
    const token = this.#tokens >= 1 ? 0 : Math.ceil(((1 - this.#tokens) / this.#settings.ratePerSecond) * 1000);
    return Math.max(pause, token);
  }

  /** Takes one token at `nowMs` (the time Slack answered). */
  take(nowMs: number): void {
    this.#refill(nowMs);
    this.#tokens -= 1;
  }

  /**
   * Sends nothing before `untilMs` (a 429's `Retry-After`). When the pause ends the bucket holds one
   * token (Slack said it accepts again then) and refills from there.
   */
  pauseUntil(untilMs: number, nowMs: number): void {
    this.#refill(nowMs);
    this.#pausedUntilMs = Math.max(this.#pausedUntilMs, untilMs);
    this.#tokens = 1;
    this.#updatedAtMs = Math.max(this.#updatedAtMs, this.#pausedUntilMs);
  }

  #refill(nowMs: number): void {
    if (nowMs <= this.#updatedAtMs) return;
    const added = ((nowMs - this.#updatedAtMs) / 1000) * this.#settings.ratePerSecond;
    this.#tokens = Math.min(this.#settings.capacity, this.#tokens + added);
    this.#updatedAtMs = nowMs;
  }
}

/** Destination limits as configured (`delivery.messagesPerSecond`, `delivery.burst`). */
export interface DestinationLimits {
  readonly messagesPerSecond: number;
  readonly burst: number;
}

/**
 * The buckets of one consumer instance, one per destination, created on first use and kept for the
 * life of the instance (so pauses and spent tokens carry over between invocations).
 * `instanceShare` is this instance's part of the budget: `1 / maxConcurrency` in Lambda, 1 for replay.
 * Rate and burst are both scaled by it; the capacity is at least 1.
 */
export class RateLimiters {
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #settings: BucketSettings;

  constructor(limits: DestinationLimits, instanceShare: number) {
    const share = instanceShare > 0 && instanceShare <= 1 ? instanceShare : 1;
    this.#settings = {
      ratePerSecond: limits.messagesPerSecond * share,
      capacity: Math.max(1, Math.floor(limits.burst * share)),
    };
  }

  /** The bucket of `destination`. */
  bucket(destination: string, nowMs: number): TokenBucket {
    let bucket = this.#buckets.get(destination);
    if (!bucket) {
      bucket = new TokenBucket(this.#settings, nowMs);
      this.#buckets.set(destination, bucket);
    }
    return bucket;
  }

  /** The settings every bucket uses. */
  get settings(): BucketSettings {
    return this.#settings;
  }
}
