import type { ConsumerLogger } from '../log.ts';
import type { LimitFunction } from 'p-limit';
import type { OutgoingMessage } from '../types.ts';
import {
  DeliveryError,
  SlackPayloadRejectedError,
  SlackPermanentError,
  SlackRateLimitedError,
  SlackServerError,
  WebhookSecretError,
} from './errors.ts';
import type { RateLimiters, TokenBucket } from './rate-limiter.ts';
import { backoffDelayMs } from './retry-policy.ts';
import type { WebhookResolver } from './secrets.ts';
import { postWebhook, type FetchLike } from './webhook.ts';

/** What delivery needs from the outside world; one per consumer instance except `deadlineMs`. */
export interface DeliveryEnvironment {
  readonly fetch: FetchLike;
  readonly webhooks: WebhookResolver;
  readonly limiters: RateLimiters;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Bounds concurrent posts across all destinations. */
  readonly postLimit: LimitFunction;
  /** Longest wait for one answer from Slack, in milliseconds. */
  readonly requestTimeoutMs: number;
  /** Jitter source for retries (0 ≤ x < 1). */
  readonly random?: () => number;
  readonly logger: Pick<ConsumerLogger, 'warn' | 'error' | 'debug'>;
}

/** Counters filled while delivering (they become metrics). */
export interface DeliveryStats {
  /** Messages Slack accepted. */
  slackMessages: number;
  /** 429 answers. */
  slackThrottled: number;
  /** Findings per digest message Slack accepted. */
  readonly digestSizes: number[];
}

/** A fresh set of counters. */
export function emptyStats(): DeliveryStats {
  return { slackMessages: 0, slackThrottled: 0, digestSizes: [] };
}

/** What became of one message. */
export type MessageOutcome =
  | { readonly status: 'delivered'; readonly message: OutgoingMessage }
  /** Not sent in time; the destination is expected to accept again at `retryAtMs`. */
  | { readonly status: 'deferred'; readonly message: OutgoingMessage; readonly retryAtMs: number }
  /** The destination refuses it for good (gone, archived, revoked, no webhook): send it elsewhere. */
  | { readonly status: 'rejected'; readonly message: OutgoingMessage; readonly error: SlackPermanentError | WebhookSecretError }
  /** Cannot be sent as it is (Slack rejected the payload) or the webhook is unreadable for now. */
  | { readonly status: 'failed'; readonly message: OutgoingMessage; readonly error: DeliveryError };

/** A post needs at least this much time left, in milliseconds, to be worth starting. */
const MIN_REQUEST_MS = 250;

/**
 * Sends messages to their destinations: each destination in order, one post at a time (so a 429 is
 * seen before the next post), destinations side by side within `postLimit`. Stops a destination at
 * `deadlineMs` (its remaining messages are deferred) or at a permanent refusal (they are rejected).
 * Outcomes come back in the order of `messages`.
 */
export async function deliverMessages(
  messages: readonly OutgoingMessage[],
  env: DeliveryEnvironment,
  deadlineMs: number,
  stats: DeliveryStats,
): Promise<MessageOutcome[]> {
  const byDestination = new Map<string, OutgoingMessage[]>();
  for (const message of messages) {
    const queue = byDestination.get(message.destination) ?? [];
    queue.push(message);
    byDestination.set(message.destination, queue);
  }
  const results = await Promise.all(
    [...byDestination].map(([destination, queue]) => deliverToDestination(destination, queue, env, deadlineMs, stats)),
  );
  const outcomeOf = new Map<OutgoingMessage, MessageOutcome>();
  for (const outcome of results.flat()) outcomeOf.set(outcome.message, outcome);
  return messages.map((message) => outcomeOf.get(message)!);
}

async function deliverToDestination(
  destination: string,
  queue: readonly OutgoingMessage[],
  env: DeliveryEnvironment,
  deadlineMs: number,
  stats: DeliveryStats,
): Promise<MessageOutcome[]> {
  let url: string;
  try {
    url = await env.webhooks.webhookUrl(destination);
  } catch (cause) {
    const error = cause instanceof WebhookSecretError ? cause : new WebhookSecretError(destination, 'unexpected error', false, { cause });
    env.logger.error('Cannot read the webhook URL of a destination', { destination, permanent: error.permanent, error: error.message });
    return queue.map((message) => (error.permanent ? { status: 'rejected', message, error } : { status: 'failed', message, error }));
  }

  const bucket = env.limiters.bucket(destination, env.now());
  const outcomes: MessageOutcome[] = [];
  for (const [index, message] of queue.entries()) {
    const outcome = await sendOne(url, message, bucket, env, deadlineMs, stats);
    outcomes.push(outcome);
    if (outcome.status === 'deferred' || outcome.status === 'rejected') {
      // The same holds for everything behind it: no time left, or the destination refuses.
      for (const rest of queue.slice(index + 1)) outcomes.push({ ...outcome, message: rest });
      break;
    }
  }
  return outcomes;
}

async function sendOne(
  url: string,
  message: OutgoingMessage,
  bucket: TokenBucket,
  env: DeliveryEnvironment,
  deadlineMs: number,
  stats: DeliveryStats,
): Promise<MessageOutcome> {
  const { destination } = message;
  let retries = 0;
  for (;;) {
    const now = env.now();
    const waitMs = bucket.waitMs(now);
    if (now + waitMs + MIN_REQUEST_MS > deadlineMs) return { status: 'deferred', message, retryAtMs: now + waitMs };
    if (waitMs > 0) {
      await env.sleep(waitMs);
      continue;
    }
    try {
      const posted = await env.postLimit(async () => {
        // Waiting for a free slot takes time: measure what is left when the post starts.
        const startMs = env.now();
        if (startMs + MIN_REQUEST_MS > deadlineMs) return false;
        const timeoutMs = Math.min(env.requestTimeoutMs, deadlineMs - startMs);
        await postWebhook(url, message.payload, { destination, fetch: env.fetch, timeoutMs });
        return true;
      });
      if (!posted) {
        const at = env.now();
        return { status: 'deferred', message, retryAtMs: at + bucket.waitMs(at) };
      }
      bucket.take(env.now());
      stats.slackMessages += 1;
      if (message.kind === 'digest') stats.digestSizes.push(message.findings.length);
      return { status: 'delivered', message };
    } catch (error) {
      const at = env.now();
      if (error instanceof SlackRateLimitedError) {
        stats.slackThrottled += 1;
        bucket.pauseUntil(at + error.retryAfterSeconds * 1000, at);
        env.logger.warn('Slack rate limited a destination; pausing it', { destination, status: 429, retryAfterSeconds: error.retryAfterSeconds });
        continue;
      }
      bucket.take(at);
      if (error instanceof SlackPayloadRejectedError) {
        env.logger.error('Slack rejected a payload: the renderer made a message Slack does not accept', {
          destination,
          status: error.status,
          body: error.body,
          findingIds: message.findings.map((f) => f.finding.id),
        });
        return { status: 'failed', message, error };
      }
      if (error instanceof SlackPermanentError) {
        env.logger.warn('A destination refused a message for good', { destination, status: error.status, body: error.body });
        return { status: 'rejected', message, error };
      }
      const serverError = error instanceof SlackServerError ? error : new SlackServerError(destination, undefined, 'unexpected error', { cause: error });
      retries += 1;
      const delayMs = backoffDelayMs(retries, env.random);
      env.logger.warn('Slack did not take a message; retrying', {
        destination,
        status: serverError.status,
        error: serverError.message,
        retry: retries,
        delayMs,
      });
      if (at + delayMs + MIN_REQUEST_MS > deadlineMs) return { status: 'deferred', message, retryAtMs: at + delayMs };
      await env.sleep(delayMs);
    }
  }
}
