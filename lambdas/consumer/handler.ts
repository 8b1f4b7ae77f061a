import type { SecretReader } from '../../core/port/secrets.ts';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import pLimit, { type LimitFunction } from 'p-limit';
import { configSilences, type HubConfig } from '../../shared/index.ts';
import { DLQ_URL_ENV, type DeadLetterKind } from '../../shared/dead-letter.ts';
import { MAX_VISIBILITY_SECONDS, redeliverySeconds } from '../../shared/redelivery.ts';
import { processBatch, type BatchEnvironment, type BatchResult, type RecordFailure } from '../../core/batch.ts';
import { moveToDeadLetterQueue, type DeadLetter } from './dead-letter.ts';
import { DESTINATION_TYPES, destinationsFor, type DestinationType } from './destination-types.ts';
import {
  nodeHttpFetch,
  queueUrlFromArn,
  requestVisibility,
  visibilitySeconds,
  type FetchLike,
  type SqsLike,
  type VisibilityRequest,
  type WebhookResolver,
} from '../../destinations/slack-webhook/index.ts';
import {
  DEFAULT_SLACK_API_URL,
  parentStoreOver,
  type BotTokenResolver,
  type ParentStore,
} from '../../destinations/slack-app/index.ts';
import { PAGERDUTY_EVENTS_API } from '../../destinations/pagerduty/index.ts';
import { MemoryStateStore } from '../../core/repeats/memory-store.ts';
import { ConsumerError } from '../../core/errors.ts';
import { createLogger, type ConsumerLogger } from '../../core/log.ts';
import { createMetrics, publishInvocationMetrics, type MetricsSink } from '../../core/metrics.ts';
import { passThroughGate, type RepeatGate } from '../../core/repeats/index.ts';
import { silenceSource, type SilenceSource } from '../../core/silences/index.ts';
import type { CanaryStore } from '../../core/canary/index.ts';
import type { ParsedBodies } from '../../core/route/index.ts';
import type { QueueUrls, RuntimeDefaults } from '../runtime.ts';

/** The Lambda handler: an SQS batch in, the records to offer again out. */
export type ConsumerHandler = (
  event: SQSEvent,
  context: Pick<Context, 'getRemainingTimeInMillis'> & Partial<Context>,
) => Promise<SQSBatchResponse>;

/** What `createHandler` needs; every field defaults to the real thing (see `runtime.ts`). */
export interface HandlerOptions {
  /** The hub config; default: `hub-config.json` beside the bundle. */
  readonly config?: HubConfig;
  /** Posts to Slack. Default {@link nodeHttpFetch} (node:http and node:https with keep-alive, not the global `fetch`). */
  readonly fetch?: FetchLike;
  /** Clock in milliseconds since the epoch. Default `Date.now`. */
  readonly now?: () => number;
  /** Waits this many milliseconds (rate limits, 429 pauses, backoff). Default `setTimeout`. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Jitter source for retries. Default `Math.random`. */
  readonly random?: () => number;
  /** Webhook URLs; default: Secrets Manager by `destinations.NAME.webhookSecret`, cached per instance. */
  readonly webhooks?: WebhookResolver;
  /** Bot tokens of app destinations; default: Secrets Manager by `destinations.NAME.app.botTokenSecret`, cached per instance. */
  readonly botTokens?: BotTokenResolver;
  /**
   * Reads any secret by name for the destination types that keep their key or URL in one (PagerDuty,
   * Teams …). Default: Secrets Manager, created on first use.
   */
  readonly secrets?: SecretReader;
  /** The Slack Web API base for app destinations. Default `https://slack.com/api`. */
  readonly slackApiUrl?: string;
  /**
   * The PagerDuty Events API v2 endpoint for PagerDuty destinations (tests and replay point it at a
   * simulator). Default `https://events.pagerduty.com/v2/enqueue`.
   */
  readonly pagerDutyEventsUrl?: string;
  /**
   * Where app destinations keep their parent messages. Default: the state store of the default repeat
   * gate (the finding-state table); with `repeats` given, an instance-local memory store.
   */
  readonly parents?: ParentStore;
  /** For `ChangeMessageVisibility`; default an `SQSClient`. */
  readonly sqs?: SqsLike;
  /** Queue of the records; default `HUB_QUEUE_URL`, else derived from the record's `eventSourceARN`. */
  readonly queueUrl?: string;
  /**
   * The hub DLQ, where the consumer moves a record it gives up on, with the reason. Default
   * `HUB_DLQ_URL`; without one, such records are handed back and SQS moves them without a reason.
   */
  readonly deadLetterQueueUrl?: string;
  /** Default: a Powertools `Logger` (service `guardduty-hub`, level `LOG_LEVEL`). */
  readonly logger?: ConsumerLogger;
  /**
   * Stops repeat spam (see `repeats/index.ts`). Default: built once per instance from `config.repeats`
   * with the DynamoDB table `STATE_TABLE_NAME` (in memory, with a warning, when it is unset); a
   * pass-through when `repeats.enabled` is false. See `defaultRepeatGate` in `runtime.ts`.
   */
  readonly repeats?: RepeatGate;
  /**
   * The silences that hold findings back. Default: the config's (`silences:`) and those added with the
   * CLI in the state table (`STATE_TABLE_NAME`), read at most once a minute; the config's alone without it.
   */
  readonly silences?: SilenceSource;
  /** Where canary arrivals are counted. Default: the state table (`STATE_TABLE_NAME`); none without it. */
  readonly canaries?: CanaryStore;
  /** Default: a Powertools `Metrics` (namespace `GuardDutyHub`, dimension service=guardduty-hub). */
  readonly metrics?: MetricsSink;
  /** Called after each invocation with what became of the batch (replay and benchmarks count with it). */
  readonly onBatch?: (result: InvocationResult, response: SQSBatchResponse) => void;
  /**
   * This instance's share of each destination's rate: `1 / delivery.maxConcurrency` in Lambda
   * (the default), 1 when it is the only consumer (replay).
   */
  readonly instanceShare?: number;
  /** Most posts to Slack at once, across destinations. Default 4. */
  readonly postConcurrency?: number;
  /** Time kept free at the end of the invocation, in milliseconds. Default 3,000. */
  readonly safetyMarginMs?: number;
  /**
   * The destination types this consumer serves: the shipped ones (`DESTINATION_TYPES`), or those and a
   * type of your own (its adapter and one entry; see `destination-types.ts`).
   */
  readonly destinationTypes?: readonly DestinationType[];
  /** Longest wait for one answer from Slack, in milliseconds. Default 10,000. */
  readonly requestTimeoutMs?: number;
  /** Shortest visibility timeout requested for a deferred record, in seconds. Default 5. */
  readonly minVisibilitySeconds?: number;
  /**
   * What `JSON.parse(record.body)` gives for one of the event's records whose maker parsed it
   * already, else undefined. Replay parses every event as it reads it (to refuse a bad file before
   * sending anything) and hands that over, so a body is not parsed twice. Default: none (the Lambda
   * parses every body).
   */
  readonly parsedBody?: ParsedBodies;
}

/** What became of one invocation's batch: the batch result and the records moved to the DLQ. */
export interface InvocationResult extends BatchResult {
  /** Records the consumer moved to the DLQ itself (acknowledged in the hub queue). */
  readonly deadLettered: readonly DeadLetterSummary[];
}

/** One record moved to the DLQ. */
export interface DeadLetterSummary {
  readonly messageId: string;
  readonly kind: DeadLetterKind;
  readonly reason: string;
}

/** A record failed on purpose so that SQS offers it again; carries the reason into the batch processor. */
export class RecordNotDeliveredError extends ConsumerError {
  override readonly name = 'RecordNotDeliveredError';
  readonly messageId: string;

  constructor(messageId: string, reason: string) {
    super(`${messageId}: ${reason}`);
    this.messageId = messageId;
  }
}

const DEFAULTS = { postConcurrency: 4, safetyMarginMs: 3_000, requestTimeoutMs: 10_000 } as const;

/** The parts of the instance every destination type's calls share: clock, sleep, concurrency and the logger. */
interface InstanceParts {
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly postLimit: LimitFunction;
  readonly logger: ConsumerLogger;
}

/** What one handler instance keeps across invocations once its defaults are loaded. */
interface Prepared {
  readonly config: HubConfig;
  readonly env: BatchEnvironment;
  readonly sqs: SqsLike;
  readonly urls: QueueUrls;
}

/**
 * The config, webhooks and SQS client: the options' own, else the real defaults (`runtime.ts`),
 * which are loaded only when one is needed: tests and replay pass everything in.
 */
async function services(options: HandlerOptions, runtime: RuntimeModule): Promise<RuntimeDefaults> {
  const { config, webhooks, sqs } = options;
  if (config && webhooks && sqs)
    return { config, webhooks, sqs, botTokens: options.botTokens ?? runtime.secretsManagerTokenResolver(config) };
  const real = await runtime.runtimeDefaults();
  return {
    config: config ?? real.config,
    webhooks: webhooks ?? real.webhooks,
    sqs: sqs ?? real.sqs,
    botTokens: options.botTokens ?? real.botTokens,
  };
}

/** The runtime defaults module, imported on the first invocation (it is cheap: SDK clients load on first use). */
type RuntimeModule = typeof import('../runtime.ts');

/** Fills in the options' defaults. */
async function prepare(options: HandlerOptions, parts: InstanceParts): Promise<Prepared> {
  const runtime = await import('../runtime.ts');
  const { config, webhooks, sqs, botTokens } = await services(options, runtime);
  const state = options.repeats ? undefined : await runtime.defaultRepeatState(config, parts.logger);
  const repeats = options.repeats ?? state?.gate ?? passThroughGate();
  const call = {
    ...parts,
    fetch: options.fetch ?? nodeHttpFetch(),
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
    ...(options.random ? { random: options.random } : {}),
  };
  const destinations = destinationsFor(options.destinationTypes ?? DESTINATION_TYPES, {
    config,
    call,
    instanceShare: options.instanceShare ?? 1 / Math.max(1, config.delivery.maxConcurrency),
    webhooks,
    botTokens,
    parents: options.parents ?? parentStoreOver(state?.store ?? new MemoryStateStore()),
    slackApiUrl: (options.slackApiUrl ?? DEFAULT_SLACK_API_URL).replace(/\/+$/, ''),
    secrets: options.secrets ?? runtime.lazySecretReader(),
    pagerDutyEventsUrl: options.pagerDutyEventsUrl ?? PAGERDUTY_EVENTS_API.url,
  });
  const canaries = options.canaries ?? (await runtime.defaultCanaryStore());
  const env: BatchEnvironment = {
    now: parts.now,
    ...(canaries === undefined ? {} : { canaries }),
    logger: parts.logger,
    repeats,
    destinations,
    ...(options.parsedBody ? { parsedBody: options.parsedBody } : {}),
    silences:
      options.silences ??
      silenceSource({
        config: configSilences(config.silences),
        store: await runtime.defaultSilenceStore(),
        logger: parts.logger,
      }),
  };
  const fromEnv = runtime.queueUrlsFromEnv();
  const urls: QueueUrls = {
    queueUrl: options.queueUrl ?? fromEnv.queueUrl,
    deadLetterQueueUrl: options.deadLetterQueueUrl ?? fromEnv.deadLetterQueueUrl,
  };
  return { config, env, sqs, urls };
}

/**
 * Builds the consumer handler. State that must outlive an invocation (token buckets and 429 pauses
 * per destination, cached webhook URLs, SDK clients) lives in the returned closure.
 */
export function createHandler(options: HandlerOptions = {}): ConsumerHandler {
  const parts: InstanceParts = {
    now: options.now ?? Date.now,
    sleep: options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
    logger: options.logger ?? createLogger(),
    postLimit: pLimit(options.postConcurrency ?? DEFAULTS.postConcurrency),
  };
  const metrics = options.metrics ?? createMetrics();
  const safetyMarginMs = options.safetyMarginMs ?? DEFAULTS.safetyMarginMs;
  const { now, logger } = parts;

  let ready: Promise<Prepared> | undefined;
  return async (event, context) => {
    ready ??= prepare(options, parts).catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    const { config, env, sqs, urls } = await ready;
    // A Powertools Logger adds the request id and function name to every line of this invocation.
    const withContext = logger as ConsumerLogger & { addContext?: (context: Context) => void };
    if (withContext.addContext && context.awsRequestId) withContext.addContext(context as Context);
    const startedMs = now();
    const deadlineMs = startedMs + context.getRemainingTimeInMillis() - safetyMarginMs;
    const records = event.Records;

    const batch = await processBatch(records, config, env, deadlineMs);
    const deadLettered = await settleFailures(records, batch.failures, {
      config,
      sqs,
      urls,
      options,
      nowMs: now(),
      logger,
    });
    const moved = new Set(deadLettered.map((letter) => letter.messageId));
    const failures = new Map([...batch.failures].filter(([messageId]) => !moved.has(messageId)));
    const result: InvocationResult = { ...batch, failures, deadLettered };
    const response = await partialResponse(event, result);

    publishInvocationMetrics(metrics, {
      ...result,
      failedRecords: response.batchItemFailures.length,
      deadLettered: deadLettered.length,
    });
    logBatchDone(logger, records.length, result, response, now() - startedMs);
    options.onBatch?.(result, response);
    return response;
  };
}

/**
 * The partial batch response. The batch is routed and delivered as a whole (collapsing and digests
 * span records), so each record's fate is known before the processor runs. The processor then only
 * reports it: its record handler throws for the failed ones, and it builds the response. It is
 * given the failed records only: a record that succeeded adds nothing to the response, and the
 * processor's bookkeeping costs about a microsecond per record (it reads the environment for each).
 * A fully failed batch is returned as failures rather than thrown, so the visibility timeouts set
 * before hold and the invocation does not count as a Lambda error. One processor per invocation: it
 * holds the batch's state, which concurrent calls of one handler would mix.
 */
async function partialResponse(event: SQSEvent, result: InvocationResult): Promise<SQSBatchResponse> {
  const processor = new BatchProcessor(EventType.SQS);
  const failed =
    result.failures.size === 0 ? [] : event.Records.filter((record) => result.failures.has(record.messageId));
  return processPartialResponse(
    { Records: failed },
    async (record: SQSRecord) => {
      const failure = result.failures.get(record.messageId);
      if (failure) throw new RecordNotDeliveredError(record.messageId, failure.reason);
    },
    processor,
    { throwOnFullBatchFailure: false },
  );
}

/** The `Batch done` log line of one invocation. */
function logBatchDone(
  logger: ConsumerLogger,
  records: number,
  result: InvocationResult,
  response: SQSBatchResponse,
  elapsedMs: number,
): void {
  logger.info('Batch done', {
    records,
    findingsDelivered: result.findingsDelivered,
    skipped: result.skipped,
    invalidRecords: result.invalidRecords,
    failedRecords: response.batchItemFailures.length,
    deadLettered: result.deadLettered.length,
    repeatsDeferred: result.repeatsDeferred,
    repeatStoreErrors: result.repeatStoreErrors,
    slackMessages: result.delivery.slackMessages,
    slackThrottled: result.delivery.slackThrottled,
    elapsedMs,
  });
}

/** What {@link settleFailures} needs. */
interface SettleContext {
  readonly config: HubConfig;
  readonly sqs: SqsLike;
  readonly urls: QueueUrls;
  readonly options: HandlerOptions;
  readonly nowMs: number;
  readonly logger: ConsumerLogger;
}

/**
 * Settles the failed records. A record no retry can help (invalid, refused for good) or on its last
 * allowed receive (`queue.maxReceiveCount`) is moved to the DLQ with its reason; every other one is
 * hidden until its destination should accept again and at least for its place in the redelivery
 * schedule, which grows with its receive count (so an outage of hours ends delivered, not
 * dead-lettered). Returns the records moved.
 */
async function settleFailures(
  records: readonly SQSRecord[],
  failures: ReadonlyMap<string, RecordFailure>,
  { config, sqs, urls, options, nowMs, logger }: SettleContext,
): Promise<DeadLetterSummary[]> {
  const letters: (DeadLetter & { readonly failure: RecordFailure })[] = [];
  const later: { readonly record: SQSRecord; readonly failure: RecordFailure }[] = [];
  for (const record of records) {
    const failure = failures.get(record.messageId);
    if (failure === undefined) continue;
    const kind =
      failure.deadLetter ?? (receiveCountOf(record) >= config.queue.maxReceiveCount ? 'undelivered' : undefined);
    if (kind === undefined) later.push({ record, failure });
    else letters.push({ record, kind, reason: failure.reason, failure });
  }
  const dlqUrl = urls.deadLetterQueueUrl;
  let moved = new Set<string>();
  if (letters.length > 0 && dlqUrl) moved = await moveToDeadLetterQueue(sqs, dlqUrl, letters, nowMs, logger);
  else if (letters.length > 0)
    logger.warn(`No ${DLQ_URL_ENV}: records to dead-letter are handed back; SQS moves them without a reason`, {
      records: letters.length,
    });
  for (const letter of letters) if (!moved.has(letter.record.messageId)) later.push(letter);

  const random = options.random ?? Math.random;
  const requests: VisibilityRequest[] = later.map(({ record, failure }) => {
    const scheduled = redeliverySeconds(receiveCountOf(record), config.queue, random);
    const untilDestination =
      failure.retryAtMs === undefined ? 0 : visibilitySeconds(failure.retryAtMs, nowMs, options.minVisibilitySeconds);
    return {
      messageId: record.messageId,
      receiptHandle: record.receiptHandle,
      seconds: Math.min(MAX_VISIBILITY_SECONDS, Math.max(scheduled, untilDestination)),
    };
  });
  await requestVisibilities(records, requests, sqs, urls, logger);
  return letters
    .filter((letter) => moved.has(letter.record.messageId))
    .map(({ record, kind, reason }) => ({ messageId: record.messageId, kind, reason }));
}

/** The record's `ApproximateReceiveCount` (1 when absent or odd). */
function receiveCountOf(record: SQSRecord): number {
  const count = Number(record.attributes?.ApproximateReceiveCount);
  return Number.isInteger(count) && count >= 1 ? count : 1;
}

/** `ChangeMessageVisibility` for each request, when the queue can be reached. */
async function requestVisibilities(
  records: readonly SQSRecord[],
  requests: readonly VisibilityRequest[],
  sqs: SqsLike,
  urls: QueueUrls,
  logger: ConsumerLogger,
): Promise<void> {
  if (requests.length === 0) return;
  const queueUrl = urls.queueUrl ?? queueUrlFromArn(records[0]?.eventSourceARN);
  if (!queueUrl) {
    logger.warn(
      'Cannot change visibility: no SQS client or queue URL; deferred records return after the queue visibility timeout',
      {
        records: requests.length,
      },
    );
    return;
  }
  await requestVisibility(sqs, queueUrl, requests, logger);
}
