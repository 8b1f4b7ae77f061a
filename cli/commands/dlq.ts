import type { Command } from 'commander';
import { DLQ_IDS } from '../../shared/index.ts';
import {
  commandContext,
  findDeadLetterQueue,
  section,
  selectDeadLetterQueues,
  type DeadLetterSelection,
} from '../aws/index.ts';
import { CliError, EXIT, NeedsAttentionError, UsageError } from '../errors.ts';
import { writeJson } from '../output/index.ts';
import { loadCommandConfig, withCommonOptions, type CommonOptions } from './common.ts';
import { MAX_RATE_PER_SECOND, PEEK_MAX, listMoveTasks, renderPeek, renderTasks } from './dlq/index.ts';
import { peekOne, redriveOne, renderAllPeeks, type RedriveRun } from './dlq/run.ts';
import { integerIn } from './integer.ts';

const QUEUES_HELP = `
DLQs (--queue): hub (the hub queue's, default), hub-rule (the hub rule's target), forwarder-<region>
(each region's forwarder target, in that region); --all for every one.`;

const PEEK_HELP = `
Shows what is in a DLQ without deleting anything: each message is received, described, and made
visible again right away. Each peek adds one to a message's receive count.
For the hub DLQ it shows why the consumer gave up (reason, kind, receive count, when), or says that no
reason was recorded (SQS moved it: the consumer crashed or timed out on its last receive). For an
EventBridge target's DLQ it shows EventBridge's ERROR_CODE and ERROR_MESSAGE and the finding.
${QUEUES_HELP}

Examples:
  $ guardduty-hub dlq peek
  $ guardduty-hub dlq peek --queue forwarder-eu-north-1
  $ guardduty-hub dlq peek --all --max 50 --json | jq '.queues[].messages[] | {accountId, type, reason}'
`;

const REDRIVE_HELP = `
Sends what waits in a DLQ on to the hub queue. Fix the cause first (dlq peek shows why), or it comes back.
- hub: an SQS message move task to the hub queue (named explicitly: the records the consumer moved
  itself have no "source queue" to go back to), followed to its end.
- hub-rule, forwarder-<region>: each EventBridge event is sent to the hub queue unchanged, as the hub
  rule would have delivered it, and deleted from the DLQ once the hub queue has it. Forwarded events go
  straight to the hub queue: PutEvents cannot re-publish a source of aws.guardduty (aws. is reserved).
${QUEUES_HELP}

Exit status: 0 moved (or nothing to move), 1 something was not moved or another move is running.

Examples:
  $ guardduty-hub dlq redrive                 # move at the rate SQS chooses, wait for the end
  $ guardduty-hub dlq redrive --rate 5        # at most 5 messages a second (Slack takes ~1/s per channel)
  $ guardduty-hub dlq redrive --queue hub-rule
  $ guardduty-hub dlq redrive --all --json
  $ guardduty-hub dlq redrive --no-wait       # start the hub move and return
  $ guardduty-hub dlq redrive --status        # recent and running moves from the hub DLQ
`;

/** Milliseconds between polls while following a redrive. */
export const REDRIVE_POLL_INTERVAL_MS = 2000;

interface PeekFlags extends CommonOptions, DeadLetterSelection {
  readonly max: number;
}

interface RedriveFlags extends CommonOptions, DeadLetterSelection {
  readonly rate?: number;
  readonly wait: boolean;
  readonly status?: boolean;
}

const withSelection = (command: Command): Command =>
  command
    .option('--queue <id>', `which DLQ: ${DLQ_IDS.hubQueue} (default), ${DLQ_IDS.hubRule}, forwarder-<region>`)
    .option('--all', 'every DLQ');

/** Registers `dlq peek` and `dlq redrive`. */
export function register(program: Command): void {
  // `command()` (not `new Command`) so that subcommands inherit exitOverride: main() maps exit codes.
  const dlq = program.command('dlq').description('Inspect and redrive the dead-letter queues');

  withSelection(withCommonOptions(dlq.command('peek')))
    .description('Show DLQ messages (account, region, type, severity, why they failed) without removing them')
    .option('--max <n>', `most messages to show per DLQ (1–${PEEK_MAX})`, integerIn(1, PEEK_MAX), 10)
    .addHelpText('after', PEEK_HELP)
    .action(peekAction);

  withSelection(withCommonOptions(dlq.command('redrive')))
    .description('Send DLQ messages on to the hub queue, with progress')
    .option(
      '--rate <n>',
      `messages per second (1–${MAX_RATE_PER_SECOND}; default: as fast as SQS takes them)`,
      integerIn(1, MAX_RATE_PER_SECOND),
    )
    .option('--no-wait', 'hub DLQ: start the move and return without following it')
    .option('--status', 'hub DLQ: list running and recent moves instead of starting one')
    .addHelpText('after', REDRIVE_HELP)
    .action(redriveAction);
}

async function peekAction(options: PeekFlags): Promise<void> {
  const { awsClients, io, env } = commandContext();
  const clients = await awsClients();
  const { config } = loadCommandConfig(options, env);
  const specs = selectDeadLetterQueues(config, options);
  if (!options.all) {
    const report = await peekOne(clients, config, onlyQueue(specs), options);
    if (options.json) writeJson(io.stdout, report);
    else io.stdout.write(renderPeek(report));
    return;
  }
  // --all: a DLQ that cannot be read (its stack not deployed) says so in its place.
  const reports = [];
  for (const spec of specs) {
    const report = await section(() => peekOne(clients, config, spec, options));
    reports.push('error' in report ? { queue: spec.id, error: report.error } : report);
  }
  if (options.json) writeJson(io.stdout, { queues: reports });
  else io.stdout.write(renderAllPeeks(reports));
}

async function redriveAction(options: RedriveFlags): Promise<void> {
  const { awsClients, io, env, sleep } = commandContext();
  const clients = await awsClients();
  const { config } = loadCommandConfig(options, env);
  const specs = selectDeadLetterQueues(config, options);
  if (options.status) {
    if (options.all || onlyQueue(specs).kind !== 'hub-queue')
      throw new UsageError(
        `--status lists SQS message move tasks, which only the hub DLQ has (--queue ${DLQ_IDS.hubQueue})`,
      );
    const dlqQueue = await findDeadLetterQueue(clients, config, onlyQueue(specs));
    const tasks = await listMoveTasks(clients.sqs(config.hub.region), dlqQueue.arn);
    if (options.json) writeJson(io.stdout, { dlq: dlqQueue.name, tasks });
    else io.stdout.write(renderTasks(dlqQueue.name, tasks));
    return;
  }
  const runOptions = {
    ratePerSecond: options.rate,
    wait: options.wait,
    pollIntervalMs: REDRIVE_POLL_INTERVAL_MS,
    sleep,
    progress: io.stderr,
  };
  if (!options.all) {
    const run = await redriveOne(clients, config, onlyQueue(specs), runOptions);
    if (options.json) writeJson(io.stdout, run.result);
    else io.stdout.write(run.text);
    finish([run]);
    return;
  }
  // --all: a DLQ that cannot be read (its stack not deployed) is reported, the others still move.
  const runs: RedriveRun[] = [];
  for (const spec of specs) {
    const run = await section(() => redriveOne(clients, config, spec, runOptions));
    runs.push(
      'error' in run
        ? {
            queue: spec.id,
            result: { outcome: 'failed', error: run.error },
            text: `${spec.id}: ${run.error}\n`,
            problems: [`${spec.id}: ${run.error}`],
          }
        : run,
    );
  }
  if (options.json) writeJson(io.stdout, { results: runs.map(({ queue, result }) => ({ queue, ...result })) });
  else io.stdout.write(runs.map((run) => run.text).join(''));
  finish(runs);
}

/** Exit 1 when any redrive left something behind: one problem as the message, several as a list. */
function finish(runs: readonly RedriveRun[]): void {
  const problems = runs.flatMap((run) => run.problems);
  const [only, ...more] = problems;
  if (only !== undefined && more.length === 0) throw new CliError(only, EXIT.attention);
  if (more.length > 0) throw new NeedsAttentionError(problems);
}

/** The one DLQ selected without `--all` (the selection always names one). */
function onlyQueue<T>(specs: readonly T[]): T {
  const [spec] = specs;
  if (spec === undefined) throw new UsageError('no dead-letter queue selected: name one with --queue, or use --all');
  return spec;
}
