import { createHash } from 'node:crypto';
import type { ConsumerLogger } from '../../core/log.ts';
import type { FetchLike } from '../../core/port/fetch.ts';
import { firstStopping, type Failure, type MessageOutcome, type OutgoingMessage } from '../../core/port/outcome.ts';
import type { RateLimiters, TokenBucket } from '../../core/port/rate-limiter.ts';
import {
  callResiliently,
  type AttemptVerdict,
  type CallEnvironment,
  type CallResult,
} from '../../core/port/resilient-call.ts';
import {
  PagerDutyError,
  PagerDutyGoneError,
  PagerDutyRateLimitedError,
  PagerDutyRefusedError,
  PagerDutyServerError,
  RoutingKeyError,
} from './errors.ts';
import type { PagerDutyEvent } from './event.ts';
import { postEvent } from './post.ts';
import type { RoutingKeyResolver } from './routing-keys.ts';

/** What sending events needs from the consumer instance. */
export interface PagerDutyEnvironment extends CallEnvironment {
  readonly fetch: FetchLike;
  /** The Events API v2 endpoint (`https://events.pagerduty.com/v2/enqueue`, or a simulator's). */
  readonly eventsUrl: string;
  readonly routingKeys: RoutingKeyResolver;
  /** One bucket per routing key (keyed by its hash), at this instance's share of {@link PAGERDUTY_BUDGET}. */
  readonly limiters: RateLimiters;
  readonly logger: Pick<ConsumerLogger, 'warn' | 'error' | 'debug'>;
}

/** An event on its way, with the destination and findings it stands for. */
export type EventMessage = OutgoingMessage<PagerDutyEvent>;

/**
 * Sends events: one at a time per routing key (so the key's bucket and a 429 are seen before the next
 * event), routing keys side by side within `postLimit`. When an event finds no time left or the key
 * gone, every later event of that key shares its fate. Returns one outcome per message, in order.
 */
export async function sendEvents(
  messages: readonly EventMessage[],
  env: PagerDutyEnvironment,
  deadlineMs: number,
): Promise<MessageOutcome[]> {
  const outcomeOf = new Map<EventMessage, MessageOutcome>();
  const byKey = new Map<string, { key: string; queue: EventMessage[] }>();
  const destinations = [...new Set(messages.map((message) => message.destination))];
  const keys = await Promise.all(destinations.map((destination) => keyOf(destination, env)));
  for (const message of messages) {
    const found = keys[destinations.indexOf(message.destination)];
    if (found === undefined || 'failure' in found) {
      if (found !== undefined) outcomeOf.set(message, { status: 'failed', message, failure: found.failure });
      continue;
    }
    const id = keyId(found.key);
    const entry = byKey.get(id) ?? { key: found.key, queue: [] };
    entry.queue.push(message);
    byKey.set(id, entry);
  }
  await Promise.all(
    [...byKey].map(async ([id, { key, queue }]) => {
      const bucket = env.limiters.bucket(id, env.now());
      for (const [index, message] of queue.entries()) {
        const outcome = await sendOne(key, message, bucket, env, deadlineMs);
        outcomeOf.set(message, outcome);
        const stop = firstStopping([outcome]);
        if (stop === undefined) continue;
        for (const rest of queue.slice(index + 1)) outcomeOf.set(rest, { ...stop, message: rest });
        break;
      }
    }),
  );
  return messages.map((message) => outcomeOf.get(message) ?? unsent(message));
}

/** A bucket's name for a routing key: a hash, so the key itself is never a map key, a log field or a metric. */
function keyId(routingKey: string): string {
  return `pagerduty:${createHash('sha256').update(routingKey).digest('hex').slice(0, 24)}`;
}

/** The routing key of `destination`, or the failure every event to it gets. */
async function keyOf(
  destination: string,
  env: PagerDutyEnvironment,
): Promise<{ readonly key: string } | { readonly failure: Failure }> {
  try {
    return { key: await env.routingKeys.routingKey(destination) };
  } catch (cause) {
    const error =
      cause instanceof RoutingKeyError ? cause : new RoutingKeyError(destination, 'unexpected error', false, { cause });
    env.logger.error('Cannot read the routing key of a PagerDuty destination', {
      destination,
      permanent: error.permanent,
      error: error.message,
    });
    if (!error.permanent) return { failure: { class: 'transient', reason: error.message, error } };
    const note = `Sent here because the PagerDuty routing key of ${destination} could not be read`;
    return { failure: { class: 'credential', reason: error.message, note, error } };
  }
}

/** Posts one event through the resilient call: the key's bucket, 429 pauses, retries of 5xx and network errors. */
async function sendOne(
  routingKey: string,
  message: EventMessage,
  bucket: TokenBucket,
  env: PagerDutyEnvironment,
  deadlineMs: number,
): Promise<MessageOutcome> {
  const { destination } = message;
  const result = await callResiliently(
    env,
    {
      destination,
      what: message.payload.event_action,
      bucket,
      attempt: (timeoutMs) =>
        postEvent(env.eventsUrl, routingKey, message.payload, { destination, fetch: env.fetch, timeoutMs }),
      verdict: eventVerdict,
    },
    deadlineMs,
  );
  if (result.status === 'ok') return { status: 'delivered', message };
  const failure = eventFailure(result, destination);
  if (failure.class === 'gone' || failure.class === 'refused')
    env.logger.warn('PagerDuty did not take an event', { destination, class: failure.class, reason: failure.reason });
  return { status: 'failed', message, failure };
}

/** A failed post: a 429 waits for `Retry-After` (or the documented 30 s), 5xx and network errors back off, the rest stop. */
export function eventVerdict(error: unknown): AttemptVerdict {
  if (error instanceof PagerDutyRateLimitedError) return { retryAfterSeconds: error.retryAfterSeconds };
  return error instanceof PagerDutyServerError ? 'retry' : 'stop';
}

/** A failed event as the port's data: the key gone, the event refused, no time left, or a retry. */
function eventFailure(result: Exclude<CallResult<unknown>, { status: 'ok' }>, destination: string): Failure {
  if (result.status === 'deferred')
    return { class: 'retry-after', retryAtMs: result.retryAtMs, reason: `not delivered to ${destination} in time` };
  const { error } = result;
  if (error instanceof PagerDutyGoneError) {
    const note = `Sent here because ${destination} answered ${error.status} ${error.detail}`;
    return { class: 'gone', reason: error.message, note, error };
  }
  if (error instanceof PagerDutyRefusedError) return { class: 'refused', reason: error.message, error };
  const reason = error instanceof PagerDutyError ? error.message : `${destination}: unexpected error`;
  return { class: 'transient', reason, ...(error instanceof Error ? { error } : {}) };
}

/** The outcome of a message nothing was tried for (cannot happen: every message is queued or failed). */
function unsent(message: EventMessage): MessageOutcome {
  return { status: 'failed', message, failure: { class: 'transient', reason: `${message.destination}: not sent` } };
}
