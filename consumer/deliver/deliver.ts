import type { ConsumerLogger } from '../log.ts';
import type { LimitFunction } from 'p-limit';
import type { OutgoingMessage } from '../types.ts';
import {
  DeliveryError,
  PayloadRefusedForGoodError,
  SlackPayloadRejectedError,
  SlackPermanentError,
  SlackRateLimitedError,
  SlackServerError,
  WebhookRefusedError,
  WebhookSecretError,
} from './errors.ts';
import type { RateLimiters, TokenBucket } from './rate-limiter.ts';
import { smallerForms, type ReshapeContext, type ShapedMessage } from './reshape.ts';
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
  /** Times a destination's webhook URL was refused (not https, or not an allowed host): once per destination per `deliverMessages`. */
  webhooksRefused: number;
  /** Slack Web API calls answered (app destinations), 429s not counted. */
  webApiCalls: number;
}

/** A fresh set of counters. */
export function emptyStats(): DeliveryStats {
  return { slackMessages: 0, slackThrottled: 0, digestSizes: [], webhooksRefused: 0, webApiCalls: 0 };
}

/**
 * What became of one message, or of a smaller message made from it when Slack refused its payload
 * (its `findings` are a subset of the original's, the same objects).
 */
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
 * With `reshape`, a message whose payload Slack refuses (400 `invalid_…`) is sent again smaller or
 * simpler (halves, then one finding, then plain text; see `smallerForms`) until only the refused
 * finding fails; every such post waits for the same rate limiter and deadline.
 *
 * Returns outcomes in the order of `messages`: one per message, or several for a reshaped message,
 * which together cover each of its findings exactly once.
 */
export async function deliverMessages(
  messages: readonly OutgoingMessage[],
  env: DeliveryEnvironment,
  deadlineMs: number,
  stats: DeliveryStats,
  reshape?: ReshapeContext,
): Promise<MessageOutcome[]> {
  const byDestination = new Map<string, OutgoingMessage[]>();
  for (const message of messages) {
    const queue = byDestination.get(message.destination) ?? [];
    queue.push(message);
    byDestination.set(message.destination, queue);
  }
  const results = await Promise.all(
    [...byDestination].map(([destination, queue]) => deliverToDestination(destination, queue, env, deadlineMs, stats, reshape)),
  );
  const outcomesOf = new Map<OutgoingMessage, MessageOutcome[]>();
  for (const [queue, outcomes] of results) queue.forEach((message, i) => outcomesOf.set(message, outcomes[i]!));
  return messages.flatMap((message) => outcomesOf.get(message)!);
}

/** The outcomes of each message of `queue`, in its order (one list per message). */
async function deliverToDestination(
  destination: string,
  queue: readonly OutgoingMessage[],
  env: DeliveryEnvironment,
  deadlineMs: number,
  stats: DeliveryStats,
  reshape: ReshapeContext | undefined,
): Promise<[readonly OutgoingMessage[], MessageOutcome[][]]> {
  let url: string;
  try {
    url = await env.webhooks.webhookUrl(destination);
  } catch (cause) {
    const error = cause instanceof WebhookSecretError ? cause : new WebhookSecretError(destination, 'unexpected error', false, { cause });
    if (error instanceof WebhookRefusedError) {
      stats.webhooksRefused += 1;
      env.logger.error('Refusing the webhook URL of a destination', { destination, reason: error.reason });
    } else {
      env.logger.error('Cannot read the webhook URL of a destination', { destination, permanent: error.permanent, error: error.message });
    }
    return [queue, queue.map((message) => [error.permanent ? { status: 'rejected', message, error } : { status: 'failed', message, error }])];
  }

  const bucket = env.limiters.bucket(destination, env.now());
  const post = (message: OutgoingMessage) => sendOne(url, message, bucket, env, deadlineMs, stats);
  const outcomes: MessageOutcome[][] = [];
  for (const [index, message] of queue.entries()) {
    const note = reshape?.noteFor?.(message);
    const got = await sendReshaping({ message, form: 'blocks' }, post, reshape && { ...reshape, note }, env.logger);
    outcomes.push(got);
    const stop = stopping(got);
    // The same holds for everything behind it: no time left, or the destination refuses.
    if (stop) {
      for (const rest of queue.slice(index + 1)) outcomes.push([{ ...stop, message: rest }]);
      break;
    }
  }
  return [queue, outcomes];
}

/** The outcome that stops a destination for now (deferred: no time; rejected: refused for good). */
function stopping(outcomes: readonly MessageOutcome[]): MessageOutcome | undefined {
  return outcomes.find((outcome) => outcome.status === 'deferred' || outcome.status === 'rejected');
}

/** How a refusal names the form it came in. */
const FORM_TEXT: Readonly<Record<ShapedMessage['form'], string>> = { blocks: 'in blocks', plain: 'as plain text' };

/**
 * Posts a message; when Slack refuses its payload, posts its smaller forms one after the other
 * (recursively), so that only a finding Slack refuses even as plain text fails, alone, with Slack's answer.
 */
export async function sendReshaping(
  shaped: ShapedMessage,
  post: (message: OutgoingMessage) => Promise<MessageOutcome>,
  reshape: (ReshapeContext & { readonly note: string | undefined }) | undefined,
  logger: DeliveryEnvironment['logger'],
): Promise<MessageOutcome[]> {
  const outcome = await post(shaped.message);
  if (outcome.status !== 'failed' || !(outcome.error instanceof SlackPayloadRejectedError)) return [outcome];
  const { destination, findings } = shaped.message;
  const detail = { destination, status: outcome.error.status, body: outcome.error.body, form: shaped.form, kind: shaped.message.kind };
  const pieces = reshape ? smallerForms(shaped, reshape.config, reshape.note) : [];
  if (pieces.length === 0) {
    logger.error('Slack refused a payload in its simplest form; its findings fail', { ...detail, findingIds: findings.map((f) => f.finding.id) });
    return [{ ...outcome, error: new PayloadRefusedForGoodError(outcome.error, FORM_TEXT[shaped.form]) }];
  }
  logger.warn('Slack refused a payload; sending it again smaller or simpler', { ...detail, findings: findings.length, pieces: pieces.length });
  const outcomes: MessageOutcome[] = [];
  for (const [index, piece] of pieces.entries()) {
    const got = await sendReshaping(piece, post, reshape, logger);
    outcomes.push(...got);
    const stop = stopping(got);
    if (stop) {
      for (const rest of pieces.slice(index + 1)) outcomes.push({ ...stop, message: rest.message });
      break;
    }
  }
  return outcomes;
}

/** Posts one message to its webhook: waits for its bucket, retries 429, network errors and 5xx within the deadline. */
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
      if (!(await postInSlot(url, message, env, deadlineMs))) {
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
      const refused = refusedOutcome(error, message, env.logger);
      if (refused) return refused;
      retries += 1;
      const delayMs = retryDelayMs(error, destination, retries, env);
      if (at + delayMs + MIN_REQUEST_MS > deadlineMs) return { status: 'deferred', message, retryAtMs: at + delayMs };
      await env.sleep(delayMs);
    }
  }
}

/**
 * Posts once a concurrency slot is free. Waiting for a slot takes time, so what is left is measured
 * when the post starts: false (nothing sent) when too little is left.
 */
async function postInSlot(url: string, message: OutgoingMessage, env: DeliveryEnvironment, deadlineMs: number): Promise<boolean> {
  return env.postLimit(async () => {
    const startMs = env.now();
    if (startMs + MIN_REQUEST_MS > deadlineMs) return false;
    const timeoutMs = Math.min(env.requestTimeoutMs, deadlineMs - startMs);
    await postWebhook(url, message.payload, { destination: message.destination, fetch: env.fetch, timeoutMs });
    return true;
  });
}

/**
 * The outcome of a post Slack refused for good, or undefined when a retry may help. A refused payload
 * is the caller's to handle (send it smaller, or fail its findings).
 */
function refusedOutcome(error: unknown, message: OutgoingMessage, logger: DeliveryEnvironment['logger']): MessageOutcome | undefined {
  if (error instanceof SlackPayloadRejectedError) return { status: 'failed', message, error };
  if (error instanceof SlackPermanentError) {
    logger.warn('A destination refused a message for good', { destination: message.destination, status: error.status, body: error.body });
    return { status: 'rejected', message, error };
  }
  return undefined;
}

/** The backoff before retry number `retries` of a post that failed on the network or with a 5xx, logged. */
function retryDelayMs(error: unknown, destination: string, retries: number, env: DeliveryEnvironment): number {
  const serverError = error instanceof SlackServerError ? error : new SlackServerError(destination, undefined, 'unexpected error', { cause: error });
  const delayMs = backoffDelayMs(retries, env.random);
  env.logger.warn('Slack did not take a message; retrying', {
    destination,
    status: serverError.status,
    error: serverError.message,
    retry: retries,
    delayMs,
  });
  return delayMs;
}
