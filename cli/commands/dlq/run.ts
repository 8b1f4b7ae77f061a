import type { DeadLetterQueueSpec, HubConfig } from '../../../shared/index.ts';
import { findDeadLetterQueue, findQueue, type AwsClients } from '../../aws/index.ts';
import type { OutputStream } from '../../output/index.ts';
import { forwardEvents, type ForwardResult } from './forward.ts';
import { peekDlq, type PeekReport } from './peek.ts';
import { redrive, type RedriveResult } from './redrive.ts';
import { renderForward, renderPeek, renderRedrive } from './render.ts';

/**
 * `dlq peek` and `dlq redrive` for one selected DLQ: the hub queue's (SQS message move task) or an
 * EventBridge target's (each event sent on to the hub queue, see `forward.ts`).
 */

/** Options of {@link peekOne}. */
export interface PeekRunOptions {
  readonly max: number;
}

/** Peeks one DLQ in its own region. */
export async function peekOne(
  clients: AwsClients,
  config: HubConfig,
  spec: DeadLetterQueueSpec,
  options: PeekRunOptions,
): Promise<PeekReport> {
  const dlq = await findDeadLetterQueue(clients, config, spec);
  return peekDlq(clients.sqs(spec.region), dlq, { max: options.max });
}

/** Options of {@link redriveOne}. */
export interface RedriveRunOptions {
  readonly ratePerSecond: number | undefined;
  /** Hub DLQ only: follow the move task to its end. */
  readonly wait: boolean;
  readonly pollIntervalMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly progress: OutputStream;
}

/** One DLQ's redrive: what JSON and text print, and what needs attention (exit 1). */
export interface RedriveRun {
  /** The `--queue` selector. */
  readonly queue: string;
  readonly result: RedriveResult | ForwardResult | { readonly outcome: 'failed'; readonly error: string };
  readonly text: string;
  readonly problems: string[];
}

/** Redrives one DLQ to the hub queue. */
export async function redriveOne(
  clients: AwsClients,
  config: HubConfig,
  spec: DeadLetterQueueSpec,
  options: RedriveRunOptions,
): Promise<RedriveRun> {
  const hubSqs = clients.sqs(config.hub.region);
  const dlq = await findDeadLetterQueue(clients, config, spec);
  const hub = await findQueue(hubSqs, config, 'hub queue');
  if (spec.kind !== 'hub-queue') {
    const result = await forwardEvents(clients.sqs(spec.region), dlq, hubSqs, hub, options);
    const problems =
      result.failed > 0
        ? [`${result.failed} event(s) in ${spec.id} were not sent on: ${result.failures[0]?.reason ?? ''}`]
        : [];
    return { queue: spec.id, result, text: renderForward(result), problems };
  }
  const result = await redrive(hubSqs, dlq, hub, options);
  const problems: string[] = [];
  if (result.outcome === 'already-running')
    problems.push('another redrive is running from the DLQ; wait for it (dlq redrive --status)');
  if (result.outcome === 'finished' && result.task.status !== 'COMPLETED') {
    problems.push(
      `redrive ended ${result.task.status}${result.task.failureReason ? `: ${result.task.failureReason}` : ''}`,
    );
  }
  return { queue: spec.id, result, text: renderRedrive(result), problems };
}

/** `--all` text: each DLQ's block, titled. */
export function renderAllPeeks(
  reports: readonly (PeekReport | { readonly queue: string; readonly error: string })[],
): string {
  return reports
    .map((report) => ('error' in report ? `${report.queue}: ${report.error}\n` : renderPeek(report)))
    .join('\n');
}
