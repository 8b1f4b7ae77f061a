import type {
  ChangeMessageVisibilityCommand,
  SendMessageBatchCommand,
  SendMessageBatchRequestEntry,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { createHandler, type HandlerOptions } from '../../lambdas/consumer/handler.ts';
import { staticWebhooks } from '../../destinations/slack-webhook/index.ts';
import { DEAD_LETTER_ATTRIBUTES, type HubConfig } from '../../shared/index.ts';
import { makeSqsEvent } from '../factories/index.ts';
import { capturePowertools, type CapturedPowertools } from './powertools-capture.ts';
import {
  startSlackSimulator,
  type SimulatorOptions,
  type SlackSimulator,
} from '../../devkit/slack/webhook-simulator.ts';

/** The webhook path of each test destination on the simulator (the `secret-…` part stands for the secret). */
export function webhookPath(destination: string): string {
  return `/services/T0HUB/B0${destination.toUpperCase()}/secret-${destination}-token`;
}

/** One consumer instance of a {@link ConsumerHarness}. */
export interface ConsumerInstance {
  readonly captured: CapturedPowertools;
  /** Runs this instance's handler on `records` with `remainingMs` left in the invocation. */
  invoke(records: readonly SQSRecord[], remainingMs?: number): Promise<SQSBatchResponse>;
}

/** A consumer handler wired to a Slack simulator, a recording SQS fake and captured Powertools output. */
export interface ConsumerHarness {
  readonly simulator: SlackSimulator;
  readonly captured: CapturedPowertools;
  /** `ChangeMessageVisibility` inputs received. */
  readonly visibilityRequests: { ReceiptHandle?: string; VisibilityTimeout?: number; QueueUrl?: string }[];
  /** Records the consumer moved to the DLQ (`SendMessageBatch` to {@link HARNESS_DLQ_URL}), every instance. */
  readonly deadLetters: DeadLetterEntry[];
  /** Runs the handler on `records` with `remainingMs` left in the invocation. */
  invoke(records: readonly SQSRecord[], remainingMs?: number): Promise<SQSBatchResponse>;
  /** Accepted payloads sent to `destination`, as raw JSON text. */
  received(destination: string): string[];
  /**
   * Another consumer instance (its own handler, rate limiters and captured output) posting to the same
   * simulator and recording into the same `visibilityRequests`; `handlerOptions` as for the first.
   */
  instance(handlerOptions?: Partial<HandlerOptions>): ConsumerInstance;
  close(): Promise<void>;
}

/** The DLQ URL the harness's handlers are given. */
export const HARNESS_DLQ_URL = 'https://sqs.us-west-2.amazonaws.com/111111111111/guardduty-hub-findings-dlq';

/** A record moved to the DLQ: its body and the consumer's attributes by short name. */
export interface DeadLetterEntry {
  readonly body: string;
  readonly reason: string;
  readonly kind: string;
  readonly sourceMessageId: string;
  readonly receiveCount: string;
}

function deadLetterOf(entry: SendMessageBatchRequestEntry): DeadLetterEntry {
  const attribute = (name: string) => entry.MessageAttributes?.[name]?.StringValue ?? '';
  return {
    body: entry.MessageBody ?? '',
    reason: attribute(DEAD_LETTER_ATTRIBUTES.reason),
    kind: attribute(DEAD_LETTER_ATTRIBUTES.kind),
    sourceMessageId: attribute(DEAD_LETTER_ATTRIBUTES.sourceMessageId),
    receiveCount: attribute(DEAD_LETTER_ATTRIBUTES.receiveCount),
  };
}

/**
 * Starts the harness. Every destination of `config` gets a webhook on the simulator; the handler is one
 * instance (`instanceShare` 1) with a 100 ms safety margin so short invocations can be simulated.
 */
export async function startConsumerHarness(
  config: HubConfig,
  simulatorOptions: SimulatorOptions = {},
  handlerOptions: Partial<HandlerOptions> = {},
): Promise<ConsumerHarness> {
  const simulator = await startSlackSimulator(simulatorOptions);
  const visibilityRequests: ConsumerHarness['visibilityRequests'] = [];
  const deadLetters: DeadLetterEntry[] = [];
  const urls = Object.fromEntries(
    Object.keys(config.destinations).map((name) => [name, simulator.url(webhookPath(name))]),
  );
  const instance = (options: Partial<HandlerOptions>): ConsumerInstance => {
    const captured = capturePowertools();
    const handler = createHandler({
      config,
      webhooks: staticWebhooks(urls),
      sqs: {
        send: async (command: ChangeMessageVisibilityCommand | SendMessageBatchCommand) => {
          if (!('Entries' in command.input)) {
            visibilityRequests.push(command.input);
            return {};
          }
          const entries = command.input.Entries ?? [];
          for (const entry of entries) deadLetters.push(deadLetterOf(entry));
          return { Successful: entries.map((entry) => ({ Id: entry.Id })), Failed: [] };
        },
      },
      deadLetterQueueUrl: HARNESS_DLQ_URL,
      logger: captured.logger,
      metrics: captured.metrics,
      instanceShare: 1,
      safetyMarginMs: 100,
      requestTimeoutMs: 2_000,
      ...options,
    });
    return {
      captured,
      invoke: (records, remainingMs = 20_000) => {
        const deadline = Date.now() + remainingMs;
        return handler(makeSqsEvent(records), { getRemainingTimeInMillis: () => deadline - Date.now() });
      },
    };
  };
  const first = instance(handlerOptions);
  return {
    simulator,
    captured: first.captured,
    visibilityRequests,
    deadLetters,
    invoke: first.invoke,
    received: (destination) => simulator.accepted(webhookPath(destination)).map((r) => r.raw),
    instance: (options = {}) => instance({ ...handlerOptions, ...options }),
    close: () => simulator.close(),
  };
}
