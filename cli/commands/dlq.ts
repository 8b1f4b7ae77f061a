import type { Command } from 'commander';
import { commandContext, findQueue } from '../aws/index.ts';
import { CliError, EXIT, NeedsAttentionError } from '../errors.ts';
import { writeJson } from '../output/index.ts';
import { loadCommandConfig, withCommonOptions, type CommonOptions } from './common.ts';
import { MAX_RATE_PER_SECOND, PEEK_MAX, listMoveTasks, peekDlq, redrive, renderPeek, renderRedrive, renderTasks } from './dlq/index.ts';
import { integerIn } from './integer.ts';

const PEEK_HELP = `
Shows what is in the DLQ without deleting anything: each message is received, described, and made
visible again right away. Each peek adds one to a message's receive count.

Examples:
  $ guardduty-hub dlq peek
  $ guardduty-hub dlq peek --max 50 --json | jq '.messages[] | {accountId, type, reason}'
`;

const REDRIVE_HELP = `
Moves every message in the DLQ back to the hub queue (SQS StartMessageMoveTask) and follows the
move to its end. Fix the cause first (dlq peek shows why messages failed), or they come back.

Exit status: 0 moved (or nothing to move), 1 the move failed or another one is running.

Examples:
  $ guardduty-hub dlq redrive                 # move at the rate SQS chooses, wait for the end
  $ guardduty-hub dlq redrive --rate 5        # at most 5 messages a second (Slack takes ~1/s per channel)
  $ guardduty-hub dlq redrive --no-wait       # start and return
  $ guardduty-hub dlq redrive --status        # recent and running moves
`;

/** Milliseconds between polls while following a redrive. */
export const REDRIVE_POLL_INTERVAL_MS = 2000;

interface PeekFlags extends CommonOptions {
  readonly max: number;
}

interface RedriveFlags extends CommonOptions {
  readonly rate?: number;
  readonly wait: boolean;
  readonly status?: boolean;
}

/** Registers `dlq peek` and `dlq redrive`. */
export function register(program: Command): void {
  // `command()` (not `new Command`) so that subcommands inherit exitOverride: main() maps exit codes.
  const dlq = program.command('dlq').description('Inspect and redrive the dead-letter queue');

  withCommonOptions(dlq.command('peek'))
    .description('Show DLQ messages (account, region, type, severity, why they failed) without removing them')
    .option('--max <n>', `most messages to show (1–${PEEK_MAX})`, integerIn(1, PEEK_MAX), 10)
    .addHelpText('after', PEEK_HELP)
    .action(async (options: PeekFlags) => {
      const { clients, io, env } = commandContext();
      const { config } = loadCommandConfig(options, env);
      const sqs = clients.sqs(config.hub.region);
      const report = await peekDlq(sqs, await findQueue(sqs, config, 'DLQ'), { max: options.max });
      if (options.json) writeJson(io.stdout, report);
      else io.stdout.write(renderPeek(report));
    });

  withCommonOptions(dlq.command('redrive'))
    .description('Move DLQ messages back to the hub queue and follow the move')
    .option('--rate <n>', `messages per second (1–${MAX_RATE_PER_SECOND}; default: SQS chooses)`, integerIn(1, MAX_RATE_PER_SECOND))
    .option('--no-wait', 'start the move and return without following it')
    .option('--status', 'list running and recent moves instead of starting one')
    .addHelpText('after', REDRIVE_HELP)
    .action(async (options: RedriveFlags) => {
      const { clients, io, env, sleep } = commandContext();
      const { config } = loadCommandConfig(options, env);
      const sqs = clients.sqs(config.hub.region);
      const dlqQueue = await findQueue(sqs, config, 'DLQ');
      if (options.status) {
        const tasks = await listMoveTasks(sqs, dlqQueue.arn);
        if (options.json) writeJson(io.stdout, { dlq: dlqQueue.name, tasks });
        else io.stdout.write(renderTasks(dlqQueue.name, tasks));
        return;
      }
      const hub = await findQueue(sqs, config, 'hub queue');
      const result = await redrive(sqs, dlqQueue, hub, {
        ratePerSecond: options.rate,
        wait: options.wait,
        pollIntervalMs: REDRIVE_POLL_INTERVAL_MS,
        sleep,
        progress: io.stderr,
      });
      if (options.json) writeJson(io.stdout, result);
      else io.stdout.write(renderRedrive(result));
      if (result.outcome === 'already-running') {
        throw new CliError('another redrive is running from the DLQ; wait for it (dlq redrive --status)', EXIT.attention);
      }
      if (result.outcome === 'finished' && result.task.status !== 'COMPLETED') {
        throw new NeedsAttentionError([`redrive ended ${result.task.status}${result.task.failureReason ? `: ${result.task.failureReason}` : ''}`]);
      }
    });
}
