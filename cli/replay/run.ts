import { randomUUID } from 'node:crypto';
import {
  MemoryStateStore,
  NO_METRICS,
  SILENT_LOGGER,
  claimSecondsFor,
  createHandler,
  createRepeatGate,
  parentStoreOver,
  passThroughGate,
  staticTokens,
  type BotTokenResolver,
  type ConsumerHandler,
  type ConsumerLogger,
  type FetchLike,
  type SecretReader,
  type SkipReason,
  type WebhookResolver,
} from '../../lambdas/consumer/index.ts';
import { DEAD_LETTER_ATTRIBUTES, type HubConfig } from '../../shared/index.ts';
import type { ReplayEvent } from './inputs.ts';
import { every, liveClock } from './live.ts';
import { InMemoryQueue, REPLAY_DLQ_URL, REPLAY_QUEUE_URL } from './queue.ts';

/** Options of {@link runReplay}. */
export interface ReplayOptions {
  readonly config: HubConfig;
  readonly events: readonly ReplayEvent[];
  /** Webhook URL of each destination used. */
  readonly webhooks: WebhookResolver;
  /** Bot token of each app destination used. Default none (their findings go to the default destination). */
  readonly botTokens?: BotTokenResolver;
  /** The Slack Web API base for app destinations. Default `https://slack.com/api`. */
  readonly slackApiUrl?: string;
  /**
   * Reads the secrets of destination types that keep one through the consumer's secret reader
   * (PagerDuty's routing keys, Teams' Workflows URLs). Default Secrets Manager.
   */
  readonly secrets?: SecretReader;
  /** The PagerDuty Events API v2 endpoint. Default `https://events.pagerduty.com/v2/enqueue`. */
  readonly pagerDutyEventsUrl?: string;
  /** Records per invocation. Default `delivery.batchSize`. */
  readonly batchSize?: number;
  /**
   * Milliseconds a failed record without a visibility request stays hidden. SQS would use
   * `queue.visibilityTimeoutSeconds` (minutes); replay defaults to 5,000 so poison records settle quickly.
   */
  readonly defaultVisibilityMs?: number;
  /**
   * How long handed-back records wait, overriding `queue.redeliveryBaseSeconds` and
   * `redeliveryMaxSeconds`. Default 1 and 30 seconds: a replay waits on Slack in real time, so it
   * retries quickly rather than on the Lambda's outage-length schedule.
   */
  readonly redelivery?: { readonly redeliveryBaseSeconds?: number; readonly redeliveryMaxSeconds?: number };
  /** Shortest visibility the consumer asks for, in seconds. Default 5 (as in Lambda). */
  readonly minVisibilitySeconds?: number;
  /** Time each invocation may run, in milliseconds. Default `consumer.timeoutSeconds`. */
  readonly invocationTimeoutMs?: number;
  /** Time the handler keeps free at the end of an invocation, in milliseconds. Default 3,000 (as in Lambda). */
  readonly safetyMarginMs?: number;
  /** How webhooks are posted. Default the consumer's (`nodeHttpFetch`: node:http, keep-alive). */
  readonly fetch?: FetchLike;
  /** Clock in milliseconds since the epoch. Default `Date.now`. */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Skip repeats as the Lambda does (`config.repeats`), with the state in memory for this replay.
   * `false` delivers every event (as `repeats.enabled: false`). Default true.
   */
  readonly repeats?: boolean;
  /** The consumer's logs. Default: none. */
  readonly logger?: ConsumerLogger;
  /** Called after each invocation, and every `progressIntervalMs` while one runs. */
  readonly onProgress?: (progress: ReplayProgress) => void;
  /** Milliseconds between progress calls during an invocation. Default 1,000. */
  readonly progressIntervalMs?: number;
  /**
   * Ends the replay early (Ctrl-C): the current invocation ends as at its deadline (what Slack
   * accepted is counted, the rest handed back) and no further batch starts; `interrupted` is then true.
   */
  readonly signal?: AbortSignal;
}

/** Where a replay stands. */
export interface ReplayProgress {
  readonly records: number;
  /** Records deleted (delivered or skipped), dead-lettered so far, and still queued. */
  readonly done: number;
  readonly deadLettered: number;
  readonly queued: number;
  /** Findings delivered so far (counted when their invocation returns). */
  readonly delivered: number;
  readonly slackMessages: number;
  /** True while the consumer waits on Slack (its rate limit, a Retry-After or a retry). */
  readonly waitingOnSlack: boolean;
  readonly elapsedMs: number;
}

/** What a replay did. */
export interface ReplaySummary {
  /** Events read (one SQS record each). */
  readonly records: number;
  /** Invocations of the consumer. */
  readonly batches: number;
  /** Findings delivered to Slack. */
  readonly delivered: number;
  /** Records skipped on purpose, by reason (`repeat`: nothing new since the last message; 0 with `repeats: false`). */
  readonly skipped: Readonly<Partial<Record<SkipReason, number>>>;
  /** Whether repeats were skipped (the repeat gate was on); `skipped.repeat` is then always present. */
  readonly repeatsEnabled: boolean;
  /** Records that are not finding events (each counted once, however often received). */
  readonly invalid: number;
  /** Records dead-lettered: given up on by the consumer (invalid, refused for good, last receive) or by the queue. */
  readonly deadLettered: number;
  /** Where each dead-lettered record came from (`file`, `file:line`, `file[index]`). */
  readonly deadLetteredSources: readonly string[];
  /** Why each was dead-lettered, in the same order (the consumer's reason; empty when the queue moved it). */
  readonly deadLetteredReasons: readonly string[];
  /** Slack messages accepted. */
  readonly slackMessages: number;
  /** 429 answers from Slack. */
  readonly slackThrottled: number;
  /** Slack Web API calls answered (app destinations). */
  readonly webApiCalls: number;
  /** `ChangeMessageVisibility` requests the consumer made. */
  readonly visibilityChanges: number;
  readonly elapsedMs: number;
  /** True when the signal ended the replay early: the counts are what was done until then. */
  readonly interrupted: boolean;
}

/**
 * Replays events through the real consumer handler as one consumer instance (`instanceShare` 1): the
 * events go into an in-memory queue and are received in batches; failed records come back after
 * their visibility timeout (honouring `ChangeMessageVisibility`) until `queue.maxReceiveCount`, then
 * they count as dead-lettered.
 */
export async function runReplay(options: ReplayOptions): Promise<ReplaySummary> {
  const config: HubConfig = {
    ...options.config,
    queue: { ...options.config.queue, ...REPLAY_REDELIVERY, ...options.redelivery },
  };
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const startedMs = now();

  const queue = new InMemoryQueue(
    { maxReceiveCount: config.queue.maxReceiveCount, defaultVisibilityMs: options.defaultVisibilityMs ?? 5_000 },
    now,
  );
  const messageId = messageIds();
  for (const event of options.events) queue.enqueue(messageId(), event.body, event.source, event.parsed);

  const repeatsEnabled = (options.repeats ?? true) && config.repeats.enabled;
  const tally = newTally(repeatsEnabled);
  const live = liveClock({ now, sleep }, 2 * invocationMs(options, config), options.signal);
  const handler = replayHandler(options, config, queue, tally, { now: live.now, sleep: live.sleep, repeatsEnabled });
  const progress = (): ReplayProgress => ({
    records: options.events.length,
    done: options.events.length - queue.size - queue.deadLettered.length,
    deadLettered: queue.deadLettered.length,
    queued: queue.size,
    delivered: tally.delivered,
    slackMessages: tally.slackMessages,
    waitingOnSlack: live.waiting(),
    elapsedMs: now() - startedMs,
  });
  const onProgress = options.onProgress;
  const stopTicking =
    onProgress === undefined
      ? () => undefined
      : every(options.progressIntervalMs ?? 1_000, () => onProgress(progress()));
  const batches = await drain(queue, handler, options, config, { now, sleep: live.pause, progress }).finally(
    stopTicking,
  );

  return {
    records: options.events.length,
    batches,
    delivered: tally.delivered,
    skipped: tally.skipped,
    repeatsEnabled,
    invalid: tally.invalid.size,
    deadLettered: queue.deadLettered.length,
    deadLetteredSources: queue.deadLettered.map((d) => d.source),
    deadLetteredReasons: queue.deadLettered.map((d) => d.attributes[DEAD_LETTER_ATTRIBUTES.reason] ?? ''),
    slackMessages: tally.slackMessages,
    slackThrottled: tally.slackThrottled,
    webApiCalls: tally.webApiCalls,
    visibilityChanges: queue.visibilityChanges.length,
    elapsedMs: now() - startedMs,
    interrupted: options.signal?.aborted === true,
  };
}

/** Time each invocation may run, in milliseconds. */
const invocationMs = (options: ReplayOptions, config: HubConfig): number =>
  options.invocationTimeoutMs ?? config.consumer.timeoutSeconds * 1000;

/** What the replay counts from each invocation's result. */
interface Tally {
  delivered: number;
  slackMessages: number;
  slackThrottled: number;
  /** Slack Web API calls (app destinations). */
  webApiCalls: number;
  readonly skipped: Partial<Record<SkipReason, number>>;
  /** Message ids of records that are not finding events (a record received twice counts once). */
  readonly invalid: Set<string>;
}

/** An empty tally; `skipped.repeat` starts at 0 when the repeat gate is on. */
function newTally(repeatsEnabled: boolean): Tally {
  return {
    delivered: 0,
    slackMessages: 0,
    slackThrottled: 0,
    webApiCalls: 0,
    skipped: repeatsEnabled ? { repeat: 0 } : {},
    invalid: new Set(),
  };
}

/** The clock and sleep one replay runs with. */
interface ReplayClock {
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** The real consumer handler over the in-memory queue, as the only consumer instance, counting into `tally`. */
function replayHandler(
  options: ReplayOptions,
  config: HubConfig,
  queue: InMemoryQueue,
  tally: Tally,
  { now, sleep, repeatsEnabled }: ReplayClock & { readonly repeatsEnabled: boolean },
): ConsumerHandler {
  // One state store for the repeat gate and the app destinations' parent messages, as in the Lambda.
  const store = new MemoryStateStore();
  // Claim tokens need only be unique in this store, which lives as long as this replay.
  let claims = 0;
  const newToken = () => {
    claims += 1;
    return `replay-claim-${claims}`;
  };
  return createHandler({
    config,
    webhooks: options.webhooks,
    sqs: queue,
    parsedBody: (record) => queue.parsedBody(record),
    queueUrl: REPLAY_QUEUE_URL,
    deadLetterQueueUrl: REPLAY_DLQ_URL,
    instanceShare: 1,
    now,
    sleep,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.safetyMarginMs === undefined ? {} : { safetyMarginMs: options.safetyMarginMs }),
    ...(options.minVisibilitySeconds === undefined ? {} : { minVisibilitySeconds: options.minVisibilitySeconds }),
    repeats: repeatsEnabled
      ? createRepeatGate({ settings: config.repeats, store, claimSeconds: claimSecondsFor(config), newToken })
      : passThroughGate(),
    parents: parentStoreOver(store),
    botTokens: options.botTokens ?? staticTokens({}),
    ...(options.slackApiUrl === undefined ? {} : { slackApiUrl: options.slackApiUrl }),
    ...(options.secrets === undefined ? {} : { secrets: options.secrets }),
    ...(options.pagerDutyEventsUrl === undefined ? {} : { pagerDutyEventsUrl: options.pagerDutyEventsUrl }),
    logger: options.logger ?? SILENT_LOGGER,
    metrics: NO_METRICS,
    onBatch: (result) => {
      tally.delivered += result.findingsDelivered;
      tally.slackMessages += result.delivery.slackMessages;
      tally.slackThrottled += result.delivery.slackThrottled;
      tally.webApiCalls += result.delivery.webApiCalls;
      for (const [reason, n] of Object.entries(result.skipped)) {
        tally.skipped[reason as SkipReason] = (tally.skipped[reason as SkipReason] ?? 0) + (n ?? 0);
      }
      for (const id of result.invalidMessageIds) tally.invalid.add(id);
    },
  });
}

/**
 * Receives batches and invokes the handler until the queue is empty, waiting for hidden records to
 * come back; reports progress after each batch. Returns the number of invocations.
 */
async function drain(
  queue: InMemoryQueue,
  handler: ConsumerHandler,
  options: ReplayOptions,
  config: HubConfig,
  { now, sleep, progress }: ReplayClock & { readonly progress: () => ReplayProgress },
): Promise<number> {
  const batchSize = options.batchSize ?? config.delivery.batchSize;
  const invocationTimeoutMs = invocationMs(options, config);
  let batches = 0;
  while (queue.size > 0 && options.signal?.aborted !== true) {
    const records = queue.receive(batchSize);
    if (records.length === 0) {
      await sleep(Math.max(1, (queue.nextVisibleAtMs() ?? now()) - now()));
      continue;
    }
    batches += 1;
    const invokedMs = now();
    const response = await handler(
      { Records: records },
      { getRemainingTimeInMillis: () => invokedMs + invocationTimeoutMs - now() },
    );
    queue.settle(records, new Set(response.batchItemFailures.map((f) => f.itemIdentifier)));
    options.onProgress?.(progress());
  }
  return batches;
}

/**
 * Message ids shaped as SQS gives them (UUIDs), unique within one replay: one random UUID whose last
 * 48 bits count up, so a record costs no random bytes of its own.
 */
function messageIds(): () => string {
  const prefix = randomUUID().slice(0, 24);
  let next = 0;
  return () => `${prefix}${(next++).toString(16).padStart(12, '0')}`;
}

/** Replay's redelivery schedule: quick, since it runs in real time. */
const REPLAY_REDELIVERY = { redeliveryBaseSeconds: 1, redeliveryMaxSeconds: 30 } as const;
