import type { ConsumerLogger } from '../../core/log.ts';
import { byDestination, sendInTurn } from '../../core/port/in-turn.ts';
import { postMessage } from '../../core/port/post-message.ts';
import type { DeliveryStats, Failure, MessageOutcome, OutgoingMessage } from '../../core/port/outcome.ts';
import type { AttemptVerdict, CallEnvironment } from '../../core/port/resilient-call.ts';
import type { RateLimiters, TokenBucket } from '../../core/port/rate-limiter.ts';
import type { SlackPayload } from '../slack/render/types.ts';
import {
  DeliveryError,
  SlackPayloadRejectedError,
  SlackPermanentError,
  SlackRateLimitedError,
  WebhookRefusedError,
  WebhookSecretError,
} from '../slack/errors.ts';
import { sendReshaping, type ReshapeContext } from '../slack/reshape.ts';
import type { WebhookResolver } from './secrets.ts';
import { postWebhook, type FetchLike } from './webhook.ts';

export { emptyStats, type DeliveryStats, type MessageOutcome } from '../../core/port/outcome.ts';

/** What webhook delivery needs from the outside world; one per consumer instance except `deadlineMs`. */
export interface DeliveryEnvironment extends CallEnvironment {
  readonly fetch: FetchLike;
  readonly webhooks: WebhookResolver;
  readonly limiters: RateLimiters;
  readonly logger: Pick<ConsumerLogger, 'warn' | 'error' | 'debug'>;
}

/**
 * Sends messages to their webhooks: each destination in order, one post at a time (so a 429 is seen
 * before the next post), destinations side by side within `postLimit`. Stops a destination at
 * `deadlineMs` (its remaining messages are deferred) or when it is gone (they fail over). With
 * `reshape`, a message whose payload Slack refuses (400 `invalid_…`) is sent again smaller or simpler
 * (halves, then one finding, then plain text; see `smallerForms`) until only the refused finding
 * fails; every such post waits for the same rate limiter and deadline.
 *
 * Returns outcomes in the order of `messages`: one per message, or several for a reshaped message,
 * which together cover each of its findings exactly once.
 */
export async function deliverMessages(
  messages: readonly OutgoingMessage<SlackPayload>[],
  env: DeliveryEnvironment,
  deadlineMs: number,
  stats: DeliveryStats,
  reshape?: ReshapeContext,
): Promise<MessageOutcome[]> {
  return byDestination(messages, (destination, queue) =>
    deliverToDestination(destination, queue, env, deadlineMs, stats, reshape),
  );
}

/** The outcomes of each message of `queue`, in its order (one list per message). */
async function deliverToDestination(
  destination: string,
  queue: readonly OutgoingMessage<SlackPayload>[],
  env: DeliveryEnvironment,
  deadlineMs: number,
  stats: DeliveryStats,
  reshape: ReshapeContext | undefined,
): Promise<MessageOutcome[][]> {
  let url: string;
  try {
    url = await env.webhooks.webhookUrl(destination);
  } catch (cause) {
    const failure = unreadableWebhook(destination, cause, env, stats);
    return queue.map((message) => [{ status: 'failed', message, failure }]);
  }
  const bucket = env.limiters.bucket(destination, env.now());
  const post = (message: OutgoingMessage<SlackPayload>) => sendOne(url, message, bucket, env, deadlineMs, stats);
  // A message that stops the destination (no time left, or it is gone) stops everything behind it.
  return sendInTurn(
    queue,
    (message) => {
      const note = reshape?.noteFor?.(message);
      return sendReshaping({ message, form: 'blocks' }, post, reshape && { ...reshape, note }, env.logger);
    },
    (message) => message,
  );
}

/** The failure every message to `destination` gets when its webhook URL cannot be read or is refused. */
function unreadableWebhook(
  destination: string,
  cause: unknown,
  env: DeliveryEnvironment,
  stats: DeliveryStats,
): Failure {
  const error =
    cause instanceof WebhookSecretError
      ? cause
      : new WebhookSecretError(destination, 'unexpected error', false, { cause });
  if (error instanceof WebhookRefusedError) {
    stats.webhooksRefused += 1;
    env.logger.error('Refusing the webhook URL of a destination', { destination, reason: error.reason });
    return {
      class: 'credential',
      reason: error.message,
      note: `Sent here because the webhook of ${destination} was refused: ${error.reason}`,
      error,
    };
  }
  env.logger.error('Cannot read the webhook URL of a destination', {
    destination,
    permanent: error.permanent,
    error: error.message,
  });
  if (!error.permanent) return { class: 'transient', reason: error.message, error };
  return {
    class: 'credential',
    reason: error.message,
    note: `Sent here because the webhook of ${destination} could not be read`,
    error,
  };
}

/** Posts one message to its webhook through the resilient call: its bucket, 429 pauses, retries of 5xx and network errors. */
async function sendOne(
  url: string,
  message: OutgoingMessage<SlackPayload>,
  bucket: TokenBucket,
  env: DeliveryEnvironment,
  deadlineMs: number,
  stats: DeliveryStats,
): Promise<MessageOutcome> {
  const { destination } = message;
  const outcome = await postMessage(
    env,
    {
      message,
      bucket,
      attempt: (timeoutMs) => postWebhook(url, message.payload, { destination, fetch: env.fetch, timeoutMs }),
      verdict: webhookVerdict,
      failureOf: (error) => webhookFailure(error, destination),
    },
    deadlineMs,
    stats,
  );
  if (outcome.status === 'failed' && outcome.failure.class === 'gone')
    env.logger.warn('A destination refused a message for good', { destination, reason: outcome.failure.reason });
  return outcome;
}

/** A failed post: a 429 waits for `Retry-After`, 5xx and network errors back off, other 4xx stop. */
export function webhookVerdict(error: unknown): AttemptVerdict {
  if (error instanceof SlackRateLimitedError) return { retryAfterSeconds: error.retryAfterSeconds };
  if (error instanceof SlackPermanentError) return 'stop';
  return 'retry';
}

/** A webhook post's failure as the port's data: refused payload, gone destination, or a retry later. */
function webhookFailure(error: unknown, destination: string): Failure {
  if (error instanceof SlackPayloadRejectedError) return { class: 'refused', reason: error.message, error };
  if (error instanceof SlackPermanentError) {
    return {
      class: 'gone',
      reason: error.message,
      note: `Sent here because ${destination} answered ${error.status ?? ''} ${error.body}`.replace('  ', ' '),
      error,
    };
  }
  const reason = error instanceof DeliveryError ? error.message : `${destination}: unexpected error`;
  return { class: 'transient', reason, ...(error instanceof Error ? { error } : {}) };
}
