import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import pLimit from 'p-limit';
import type { HubConfig } from '../shared/index.ts';
import { processBatch, type BatchEnvironment, type BatchResult, type RecordFailure } from './batch.ts';
import {
  RateLimiters,
  queueUrlFromArn,
  requestVisibility,
  visibilitySeconds,
  type FetchLike,
  type SqsLike,
  type VisibilityRequest,
  type WebhookResolver,
} from './deliver/index.ts';
import { createLogger, type ConsumerLogger } from './log.ts';
import { createMetrics, publishInvocationMetrics, type MetricsSink } from './metrics.ts';
import type { RepeatGate } from './repeats/index.ts';

/** The Lambda handler: an SQS batch in, the records to offer again out. */
export type ConsumerHandler = (event: SQSEvent, context: Pick<Context, 'getRemainingTimeInMillis'> & Partial<Context>) => Promise<SQSBatchResponse>;

/** What `createHandler` needs; every field defaults to the real thing (see `runtime.ts`). */
export interface HandlerOptions {
  /** The hub config; default: `hub-config.json` beside the bundle. */
  readonly config?: HubConfig;
  /** Posts to Slack. Default the global `fetch`. */
  readonly fetch?: FetchLike;
  /** Clock in milliseconds since the epoch. Default `Date.now`. */
  readonly now?: () => number;
  /** Waits this many milliseconds (rate limits, 429 pauses, backoff). Default `setTimeout`. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Jitter source for retries. Default `Math.random`. */
  readonly random?: () => number;
  /** Webhook URLs; default: Secrets Manager by `destinations.NAME.webhookSecret`, cached per instance. */
  readonly webhooks?: WebhookResolver;
  /** For `ChangeMessageVisibility`; default an `SQSClient`. */
  readonly sqs?: SqsLike;
  /** Queue of the records; default `HUB_QUEUE_URL`, else derived from the record's `eventSourceARN`. */
  readonly queueUrl?: string;
  /** Default: a Powertools `Logger` (service `guardduty-hub`, level `LOG_LEVEL`). */
  readonly logger?: ConsumerLogger;
  /**
   * Stops repeat spam (see `repeats/index.ts`). Default: built once per instance from `config.repeats`
   * with the DynamoDB table `STATE_TABLE_NAME` (in memory, with a warning, when it is unset); a
   * pass-through when `repeats.enabled` is false. See `defaultRepeatGate` in `runtime.ts`.
   */
  readonly repeats?: RepeatGate;
  /** Default: a Powertools `Metrics` (namespace `GuardDutyHub`, dimension service=guardduty-hub). */
  readonly metrics?: MetricsSink;
  /** Called after each invocation with what became of the batch (replay and benchmarks count with it). */
  readonly onBatch?: (result: BatchResult, response: SQSBatchResponse) => void;
  /**
   * This instance's share of each destination's rate: `1 / delivery.maxConcurrency` in Lambda
   * (the default), 1 when it is the only consumer (replay).
   */
  readonly instanceShare?: number;
  /** Most posts to Slack at once, across destinations. Default 4. */
  readonly postConcurrency?: number;
  /** Time kept free at the end of the invocation, in milliseconds. Default 3,000. */
  readonly safetyMarginMs?: number;
  /** Longest wait for one answer from Slack, in milliseconds. Default 10,000. */
  readonly requestTimeoutMs?: number;
  /** Shortest visibility timeout requested for a deferred record, in seconds. Default 5. */
  readonly minVisibilitySeconds?: number;
}

/** A record failed on purpose so that SQS offers it again; carries the reason into the batch processor. */
export class RecordNotDeliveredError extends Error {
  override readonly name = 'RecordNotDeliveredError';
  readonly messageId: string;

  constructor(messageId: string, reason: string) {
    super(`${messageId}: ${reason}`);
    this.messageId = messageId;
  }
}

const DEFAULTS = { postConcurrency: 4, safetyMarginMs: 3_000, requestTimeoutMs: 10_000 } as const;

/**
 * Builds the consumer handler. State that must outlive an invocation (token buckets and 429 pauses
 * per destination, cached webhook URLs, SDK clients) lives in the returned closure.
 */
export function createHandler(options: HandlerOptions = {}): ConsumerHandler {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const logger = options.logger ?? createLogger();
  const metrics = options.metrics ?? createMetrics();
  const postLimit = pLimit(options.postConcurrency ?? DEFAULTS.postConcurrency);
  const safetyMarginMs = options.safetyMarginMs ?? DEFAULTS.safetyMarginMs;

  let ready: Promise<{ config: HubConfig; env: BatchEnvironment; sqs: SqsLike | undefined }> | undefined;
  const prepare = async () => {
    // The real defaults are loaded only when one is needed: tests and replay pass everything in.
    const defaults = () => import('./runtime.ts');
    const needsRuntime = !options.config || !options.webhooks || !options.sqs;
    const runtime = needsRuntime ? await (await defaults()).runtimeDefaults() : undefined;
    const config = options.config ?? runtime!.config;
    const repeats = options.repeats ?? (await (await defaults()).defaultRepeatGate(config, logger));
    const share = options.instanceShare ?? 1 / Math.max(1, config.delivery.maxConcurrency);
    const env: BatchEnvironment = {
      fetch: options.fetch ?? (globalThis.fetch as unknown as FetchLike),
      webhooks: options.webhooks ?? runtime!.webhooks,
      limiters: new RateLimiters(config.delivery, share),
      now,
      sleep,
      postLimit,
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
      ...(options.random ? { random: options.random } : {}),
      logger,
      repeats,
    };
    return { config, env, sqs: options.sqs ?? runtime?.sqs };
  };

  return async (event, context) => {
    ready ??= prepare().catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    const { config, env, sqs } = await ready;
    // A Powertools Logger adds the request id and function name to every line of this invocation.
    const withContext = logger as ConsumerLogger & { addContext?: (context: Context) => void };
    if (withContext.addContext && context.awsRequestId) withContext.addContext(context as Context);
    const startedMs = now();
    const deadlineMs = startedMs + context.getRemainingTimeInMillis() - safetyMarginMs;
    const records = event.Records;

    const result = await processBatch(records, config, env, deadlineMs);

    await deferRecords(records, result.failures, sqs, options, now(), logger);

    // The batch is routed and delivered as a whole above (collapsing and digests span records), so
    // each record's fate is known before the processor runs. The processor then only reports it:
    // its record handler throws for the failed ones, and it builds the partial batch response.
    // A fully failed batch is returned as failures rather than thrown, so the visibility timeouts
    // set above hold and the invocation does not count as a Lambda error.
    // One processor per invocation: it holds the batch's state, which concurrent calls of one handler would mix.
    const processor = new BatchProcessor(EventType.SQS);
    const response = await processPartialResponse(
      event,
      async (record: SQSRecord) => {
        const failure = result.failures.get(record.messageId);
        if (failure) throw new RecordNotDeliveredError(record.messageId, failure.reason);
      },
      processor,
      { throwOnFullBatchFailure: false },
    );

    publishInvocationMetrics(metrics, { ...result, failedRecords: response.batchItemFailures.length });
    logger.info('Batch done', {
      records: records.length,
      findingsDelivered: result.findingsDelivered,
      skipped: result.skipped,
      invalidRecords: result.invalidRecords,
      failedRecords: response.batchItemFailures.length,
      repeatsDeferred: result.repeatsDeferred,
      repeatStoreErrors: result.repeatStoreErrors,
      slackMessages: result.delivery.slackMessages,
      slackThrottled: result.delivery.slackThrottled,
      elapsedMs: now() - startedMs,
    });
    options.onBatch?.(result, response);
    return response;
  };
}

/** Asks SQS to hold back each deferred record until its destination is expected to accept again. */
async function deferRecords(
  records: readonly SQSRecord[],
  failures: ReadonlyMap<string, RecordFailure>,
  sqs: SqsLike | undefined,
  options: HandlerOptions,
  nowMs: number,
  logger: ConsumerLogger,
): Promise<void> {
  const requests: VisibilityRequest[] = [];
  for (const record of records) {
    const retryAtMs = failures.get(record.messageId)?.retryAtMs;
    if (retryAtMs === undefined) continue;
    requests.push({
      messageId: record.messageId,
      receiptHandle: record.receiptHandle,
      seconds: visibilitySeconds(retryAtMs, nowMs, options.minVisibilitySeconds),
    });
  }
  if (requests.length === 0) return;
  const queueUrl = options.queueUrl ?? (process.env.HUB_QUEUE_URL || queueUrlFromArn(records[0]?.eventSourceARN));
  if (!sqs || !queueUrl) {
    logger.warn('Cannot change visibility: no SQS client or queue URL; deferred records return after the queue visibility timeout', {
      records: requests.length,
    });
    return;
  }
  await requestVisibility(sqs, queueUrl, requests, logger);
}
