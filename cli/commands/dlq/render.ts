import { formatTime, orNa, renderTable } from '../../output/index.ts';
import { deadLetterQueueLabel } from '../../aws/index.ts';
import type { ForwardResult } from './forward.ts';
import type { PeekReport } from './peek.ts';
import type { MoveTask, RedriveResult } from './redrive.ts';

/** The text form of `dlq peek` for one DLQ. */
export function renderPeek(report: PeekReport): string {
  const where = report.dlq.kind === 'hub-queue' ? '' : ` in ${report.dlq.region}`;
  const head = `${deadLetterQueueLabel(report.dlq)} ${report.dlq.name}${where}: ${report.depth} message${report.depth === 1 ? '' : 's'} waiting, showing ${report.messages.length} (none deleted, all visible again)\n`;
  if (report.messages.length === 0) return head;
  const rows = report.messages.map((m) => [
    m.messageId.slice(0, 8),
    orNa(m.accountId),
    orNa(m.region),
    orNa(m.type),
    m.severity === undefined ? 'n/a' : m.severity.toFixed(1),
    String(m.receiveCount),
    formatTime(m.firstSeen),
    formatTime(m.lastSeen),
    m.reason,
  ]);
  const header = ['message', 'account', 'region', 'type', 'severity', 'receives', 'first seen', 'last seen', 'why'];
  return `${head}\n${renderTable({ header, rows }, '  ')}`;
}

/** The text form of `dlq redrive`'s result. */
export function renderRedrive(result: RedriveResult): string {
  switch (result.outcome) {
    case 'nothing-to-redrive':
      return `nothing to redrive: DLQ ${result.dlq} is empty${result.inFlight > 0 ? ` (${result.inFlight} in flight, e.g. being peeked; try again in a minute)` : ''}\n`;
    case 'already-running':
      return `a redrive is already running from the DLQ: ${describe(result.task)}\nfollow it with: guardduty-hub dlq redrive --status\n`;
    case 'started':
      return `redrive started: ${describe(result.task)}\nfollow it with: guardduty-hub dlq redrive --status\n`;
    case 'finished':
      return `redrive ${result.task.status.toLowerCase()}: ${describe(result.task)}\n`;
  }
}

/** The text form of sending an EventBridge DLQ's events on to the hub queue. */
export function renderForward(result: ForwardResult): string {
  const dlq = `${result.dlq.name} (${result.dlq.id})`;
  if (result.outcome === 'nothing-to-redrive') return `nothing to redrive: ${dlq} is empty\n`;
  const head = `sent ${result.moved} of ${result.toMove} events from ${dlq} on to ${result.destination}${result.failed > 0 ? `; ${result.failed} failed` : ''}\n`;
  return head + result.failures.map((f) => `  - ${f.messageId}: ${f.reason}\n`).join('');
}

/** The text form of `dlq redrive --status`. */
export function renderTasks(dlqName: string, tasks: readonly MoveTask[]): string {
  if (tasks.length === 0) return `no redrive tasks from ${dlqName} in the last 14 days\n`;
  const rows = tasks.map((t) => [
    t.status,
    `${t.moved} / ${t.toMove}`,
    t.ratePerSecond === null ? 'auto' : `${t.ratePerSecond}/s`,
    formatTime(t.startedAt),
    orNa(t.failureReason),
  ]);
  return `Redrive tasks from ${dlqName} (most recent first)\n${renderTable({ header: ['status', 'moved', 'rate', 'started', 'failure'], rows }, '  ')}`;
}

function describe(task: MoveTask): string {
  const rate = task.ratePerSecond === null ? '' : ` at up to ${task.ratePerSecond}/s`;
  const failure = task.failureReason ? ` (${task.failureReason})` : '';
  return `moved ${task.moved} of ${task.toMove} messages to ${arnName(task.destination)}${rate}${failure}`;
}

function arnName(arn: string | undefined): string {
  return arn?.split(':').at(-1) ?? 'the source queue';
}
