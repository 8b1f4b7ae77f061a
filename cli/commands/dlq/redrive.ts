import {
  ListMessageMoveTasksCommand,
  StartMessageMoveTaskCommand,
  type ListMessageMoveTasksResultEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { call, queueCounts, type QueueRef } from '../../aws/index.ts';
import type { OutputStream } from '../../output/index.ts';

/** A message move task as `dlq redrive` reports it. */
export interface MoveTask {
  /** `RUNNING`, `COMPLETED`, `CANCELLING`, `CANCELLED` or `FAILED`. */
  readonly status: string;
  readonly moved: number;
  readonly toMove: number;
  /** Messages per second; `null` when SQS chooses (system-optimized). */
  readonly ratePerSecond: number | null;
  readonly startedAt: string | undefined;
  readonly source: string;
  readonly destination: string | undefined;
  /** Only while `RUNNING`. */
  readonly taskHandle: string | undefined;
  readonly failureReason: string | undefined;
}

/** Outcome of `dlq redrive`. */
export type RedriveResult =
  | { readonly outcome: 'nothing-to-redrive'; readonly dlq: string; readonly inFlight: number }
  | { readonly outcome: 'already-running'; readonly task: MoveTask }
  | { readonly outcome: 'started'; readonly task: MoveTask }
  | { readonly outcome: 'finished'; readonly task: MoveTask };

/** Options of {@link redrive}. */
export interface RedriveOptions {
  /** `MaxNumberOfMessagesPerSecond` (1–500); SQS picks when absent. */
  readonly ratePerSecond: number | undefined;
  /** Follow the task to its end (default) or return once it started. */
  readonly wait: boolean;
  /** Milliseconds between `ListMessageMoveTasks` polls while following. */
  readonly pollIntervalMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Where progress goes (stderr): one rewritten line on a terminal, one line per poll otherwise. */
  readonly progress: OutputStream;
}

/** SQS's limit on `MaxNumberOfMessagesPerSecond`. */
export const MAX_RATE_PER_SECOND = 500;

/** The statuses after which a task changes no more. */
const FINAL = new Set(['COMPLETED', 'CANCELLED', 'FAILED']);

/**
 * Moves the DLQ's messages back to the hub queue with `StartMessageMoveTask`, then (unless
 * `wait` is false) follows the task with `ListMessageMoveTasks` until it ends. Refuses to start when
 * the DLQ is empty or a task is already running from it.
 */
export async function redrive(
  sqs: SQSClient,
  dlq: QueueRef,
  hub: QueueRef,
  options: RedriveOptions,
): Promise<RedriveResult> {
  const counts = queueCounts(dlq);
  if (counts.visible === 0) return { outcome: 'nothing-to-redrive', dlq: dlq.name, inFlight: counts.inFlight };
  const [latest] = await listMoveTasks(sqs, dlq.arn, 1);
  if (latest?.status === 'RUNNING') return { outcome: 'already-running', task: latest };

  // DestinationArn is the hub queue, explicitly: without it SQS moves each message back to "its
  // original source queue", which only messages SQS itself moved (after maxReceiveCount) have. The
  // records the consumer moved to the DLQ itself (SendMessage, with their reason) were never in SQS's
  // redrive and have no source queue to go back to.
  const started = await call('StartMessageMoveTask', () =>
    sqs.send(
      new StartMessageMoveTaskCommand({
        SourceArn: dlq.arn,
        DestinationArn: hub.arn,
        ...(options.ratePerSecond === undefined ? {} : { MaxNumberOfMessagesPerSecond: options.ratePerSecond }),
      }),
    ),
  );
  const pending: MoveTask = {
    status: 'RUNNING',
    moved: 0,
    toMove: counts.visible,
    ratePerSecond: options.ratePerSecond ?? null,
    startedAt: undefined,
    source: dlq.arn,
    destination: hub.arn,
    taskHandle: started.TaskHandle,
    failureReason: undefined,
  };
  if (!options.wait) return { outcome: 'started', task: (await ourTask(sqs, dlq.arn, started.TaskHandle)) ?? pending };
  return { outcome: 'finished', task: await follow(sqs, dlq.arn, started.TaskHandle, pending, options) };
}

/** Polls until the task reaches a final status, printing progress. */
async function follow(
  sqs: SQSClient,
  sourceArn: string,
  handle: string | undefined,
  pending: MoveTask,
  options: RedriveOptions,
): Promise<MoveTask> {
  const tty = options.progress.isTTY === true;
  let task = pending;
  for (;;) {
    task = (await ourTask(sqs, sourceArn, handle)) ?? task;
    const line = `moved ${task.moved} / ${task.toMove} (${task.status})`;
    options.progress.write(tty ? `\r${line}\u001b[K` : `${line}\n`);
    if (FINAL.has(task.status)) break;
    await options.sleep(options.pollIntervalMs);
  }
  if (tty) options.progress.write('\n');
  return task;
}

/**
 * Our task: the one with our handle while it runs; once it has ended SQS drops the handle, and the
 * most recent task of the source (only one runs at a time per source) is ours.
 */
async function ourTask(sqs: SQSClient, sourceArn: string, handle: string | undefined): Promise<MoveTask | undefined> {
  const tasks = await listMoveTasks(sqs, sourceArn, 10);
  return tasks.find((t) => handle !== undefined && t.taskHandle === handle) ?? tasks[0];
}

/** The most recent move tasks from `sourceArn` (SQS keeps those of the last 14 days, 10 at most). */
export async function listMoveTasks(sqs: SQSClient, sourceArn: string, maxResults = 10): Promise<MoveTask[]> {
  const { Results: results = [] } = await call('ListMessageMoveTasks', () =>
    sqs.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: maxResults })),
  );
  return results.map(toMoveTask);
}

function toMoveTask(entry: ListMessageMoveTasksResultEntry): MoveTask {
  return {
    status: entry.Status ?? 'UNKNOWN',
    moved: entry.ApproximateNumberOfMessagesMoved ?? 0,
    toMove: entry.ApproximateNumberOfMessagesToMove ?? 0,
    ratePerSecond: entry.MaxNumberOfMessagesPerSecond ?? null,
    startedAt: entry.StartedTimestamp === undefined ? undefined : new Date(entry.StartedTimestamp).toISOString(),
    source: entry.SourceArn ?? '',
    destination: entry.DestinationArn,
    taskHandle: entry.TaskHandle,
    failureReason: entry.FailureReason,
  };
}
