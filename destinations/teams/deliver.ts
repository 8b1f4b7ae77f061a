import type { ConsumerLogger } from '../../core/log.ts';
import type { FetchLike } from '../../core/port/fetch.ts';
import type { DeliveryStats, Failure, MessageOutcome } from '../../core/port/outcome.ts';
import { byDestination, sendInTurn } from '../../core/port/in-turn.ts';
import { postMessage } from '../../core/port/post-message.ts';
import type { RateLimiters, TokenBucket } from '../../core/port/rate-limiter.ts';
import type { AttemptVerdict, CallEnvironment } from '../../core/port/resilient-call.ts';
import { DeliveryError } from '../../core/port/errors.ts';
import {
  TeamsCardRefusedError,
  TeamsRateLimitedError,
  TeamsUrlRefusedError,
  TeamsUrlSecretError,
  TeamsWorkflowGoneError,
} from './errors.ts';
import type { TeamsMessage, TeamsRenderConfig } from './messages.ts';
import { postToWorkflow } from './post.ts';
import { sendReshapingCards } from './reshape.ts';
import type { WorkflowUrlResolver } from './secrets.ts';

/** What Teams delivery needs from the consumer instance. */
export interface TeamsEnvironment extends CallEnvironment {
  readonly fetch: FetchLike;
  readonly urls: WorkflowUrlResolver;
  readonly limiters: RateLimiters;
  readonly logger: Pick<ConsumerLogger, 'warn' | 'error' | 'debug'>;
}

/** One delivery pass: its deadline, counters, the config to render again with, and each message's note. */
export interface TeamsPass {
  readonly deadlineMs: number;
  readonly stats: DeliveryStats;
  readonly config: TeamsRenderConfig;
  readonly noteFor: (message: TeamsMessage) => string | undefined;
}

/**
 * Posts cards to their workflows: each destination in order, one post at a time (a 429 is seen before
 * the next), destinations side by side within `postLimit`, each post through the destination's bucket
 * and the resilient call. A refused card is sent again smaller or simpler; a destination that is gone,
 * or out of time, stops and its remaining messages share that fate. Returns outcomes in the order of
 * `messages` (several for a reshaped message, covering each of its findings once).
 */
export async function deliverCards(
  messages: readonly TeamsMessage[],
  env: TeamsEnvironment,
  pass: TeamsPass,
): Promise<MessageOutcome[]> {
  return byDestination(messages, (destination, queue) => toDestination(destination, queue, env, pass));
}

/** The outcomes of each message of one destination's queue, in its order. */
async function toDestination(
  destination: string,
  queue: readonly TeamsMessage[],
  env: TeamsEnvironment,
  pass: TeamsPass,
): Promise<MessageOutcome[][]> {
  let url: string;
  try {
    url = await env.urls.workflowUrl(destination);
  } catch (cause) {
    const failure = unreadableUrl(destination, cause, env, pass.stats);
    return queue.map((message) => [{ status: 'failed', message, failure }]);
  }
  const bucket = env.limiters.bucket(destination, env.now());
  const post = (message: TeamsMessage) => postOne(url, message, bucket, env, pass);
  return sendInTurn(
    queue,
    (message) => {
      const reshape = { config: pass.config, note: pass.noteFor(message) };
      return sendReshapingCards({ message, form: 'card' }, post, reshape, env.logger);
    },
    (message) => message,
  );
}

/** The failure of every message to `destination` when its Workflows URL cannot be read or is refused. */
function unreadableUrl(destination: string, cause: unknown, env: TeamsEnvironment, stats: DeliveryStats): Failure {
  const error =
    cause instanceof TeamsUrlSecretError
      ? cause
      : new TeamsUrlSecretError(destination, 'unexpected error', false, { cause });
  if (error instanceof TeamsUrlRefusedError) {
    stats.webhooksRefused += 1;
    env.logger.error('Refusing the Teams Workflows URL of a destination', { destination, reason: error.reason });
    const note = `Sent here because the Teams Workflows URL of ${destination} was refused: ${error.reason}`;
    return { class: 'credential', reason: error.message, note, error };
  }
  env.logger.error('Cannot read the Teams Workflows URL of a destination', {
    destination,
    permanent: error.permanent,
    error: error.message,
  });
  if (!error.permanent) return { class: 'transient', reason: error.message, error };
  const note = `Sent here because the Teams Workflows URL of ${destination} could not be read`;
  return { class: 'credential', reason: error.message, note, error };
}

/** Posts one card through the resilient call: its bucket, 429 pauses, retries of 5xx and network errors. */
async function postOne(
  url: string,
  message: TeamsMessage,
  bucket: TokenBucket,
  env: TeamsEnvironment,
  pass: TeamsPass,
): Promise<MessageOutcome> {
  const { destination } = message;
  const options = { destination, fetch: env.fetch, now: env.now };
  const outcome = await postMessage(
    env,
    {
      message,
      bucket,
      attempt: (timeoutMs) => postToWorkflow(url, message.payload, { ...options, timeoutMs }),
      verdict: teamsVerdict,
      failureOf: (error) => teamsFailure(error, destination),
    },
    pass.deadlineMs,
    pass.stats,
  );
  if (outcome.status === 'failed' && outcome.failure.class === 'gone')
    env.logger.warn('A Teams workflow takes nothing more', { destination, reason: outcome.failure.reason });
  return outcome;
}

/** A 429 waits for `Retry-After`; 5xx, 408 and network errors back off; a refused card or a gone workflow stops. */
export function teamsVerdict(error: unknown): AttemptVerdict {
  if (error instanceof TeamsRateLimitedError) return { retryAfterSeconds: error.retryAfterSeconds };
  if (error instanceof TeamsCardRefusedError || error instanceof TeamsWorkflowGoneError) return 'stop';
  return 'retry';
}

/** A failed post as the port's data: refused card, gone workflow, or a retry later. */
function teamsFailure(error: unknown, destination: string): Failure {
  if (error instanceof TeamsCardRefusedError) return { class: 'refused', reason: error.message, error };
  if (error instanceof TeamsWorkflowGoneError) {
    const code = error.code === undefined ? '' : ` ${error.code}`;
    const note = `Sent here because the Teams workflow of ${destination} answered ${error.status}${code}`;
    return { class: 'gone', reason: error.message, note, error };
  }
  const reason = error instanceof DeliveryError ? error.message : `${destination}: unexpected error`;
  return { class: 'transient', reason, ...(error instanceof Error ? { error } : {}) };
}
