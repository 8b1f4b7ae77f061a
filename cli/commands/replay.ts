import type { Command } from 'commander';
// The context alone, not the aws barrel: replay loads the AWS SDK only if it reads a secret.
import { commandContext } from '../aws/context.ts';
import { EXIT, InterruptedError, NeedsAttentionError, UsageError } from '../errors.ts';
import { writeJson, type OutputStream } from '../output/index.ts';
import {
  destinationsUsed,
  PAGERDUTY_ARGUMENT,
  TEAMS_ARGUMENT,
  jsonLinesLogger,
  parseGivenSecrets,
  parsePagerDutyUrl,
  parseSlackApiUrl,
  parseTokenArguments,
  parseWebhookArguments,
  readReplayEvents,
  renderReplaySummary,
  replayGivenSecrets,
  replayTokens,
  replayWebhooks,
  runReplay,
  type ReplayProgress,
} from '../replay/index.ts';
import { loadCommandConfig, withCommonOptions, type CommonOptions } from './common.ts';
import { integerIn } from './integer.ts';

const HELP = `
Replays GuardDuty finding events through the real consumer, as one consumer instance, posting to
Slack. Each PATH is a file with one event, a JSON array of events, or NDJSON (one event per line),
or a folder of such files (*.json, *.ndjson, *.jsonl, recursively). Events become SQS records in
batches; failed records are offered again after their visibility timeout, as SQS would, until
queue.maxReceiveCount, then they count as dead-lettered.

Repeats: as in the Lambda, a finding re-published with nothing new (same severity band, no count
milestone, within repeats.renotifyAfterHours) is skipped, and one issue seen in several regions is
one message; the state lives in memory for this replay only. --no-repeats delivers every event.

Webhook URLs: --webhook NAME=URL for each destination the events go to; with AWS credentials set,
the others are read from Secrets Manager. The consumer's errors are logged to stderr (LOG_LEVEL).

Teams destinations (type: teams): --teams NAME=URL gives a destination's Workflows webhook URL (checked
as the consumer checks one from its secret: https on a Workflows host, or a host listed in
delivery.allowedWebhookHosts); without it, it is read from Secrets Manager as for webhooks.

App destinations (destinations.NAME.app): --token NAME=xoxb-… for each (else Secrets Manager, as for
webhooks; a token on the command line lands in shell history, so prefer that), and --slack-api-url
for any Web API-compatible server (default https://slack.com/api). Tokens are never printed.

PagerDuty destinations (type: pagerduty): --pagerduty NAME=KEY for each (the routing key; else Secrets
Manager, as for webhooks), and --pagerduty-url for any Events API v2-compatible endpoint (default
https://events.pagerduty.com/v2/enqueue). Keys are never printed.

Progress: at a terminal, one line on stderr, rewritten every second: records done, findings delivered
and Slack messages, and whether the consumer is waiting on Slack's rate. Ctrl-C ends the replay after
the current batch's posts (what Slack accepted is counted, nothing more is sent) and prints the summary
so far (with --json, the JSON summary with "interrupted": true); a second Ctrl-C quits at once.

Exit status: 0 nothing dead-lettered, 1 something was dead-lettered, 2 bad usage, config or input,
130 interrupted (Ctrl-C).

Examples:
  $ guardduty-hub replay --config config/prod.yml --webhook security=https://hooks.slack.com/services/… events/
  $ guardduty-hub replay --webhook security=URL --webhook team-a=URL --batch-size 10 --json findings.ndjson
  $ guardduty-hub replay --webhook security=URL --token alerts=xoxb-… --slack-api-url http://127.0.0.1:8080/api events/
  $ guardduty-hub replay --webhook security=URL --pagerduty oncall=KEY --pagerduty-url http://127.0.0.1:8090/v2/enqueue events/
  $ guardduty-hub replay --webhook security=URL --teams secops=https://….logic.azure.com:443/workflows/…&sig=… events/
`;

/** `replay` options as commander parses them. */
interface ReplayCommandOptions extends CommonOptions {
  readonly webhook: string[];
  readonly token: string[];
  readonly teams: string[];
  readonly slackApiUrl?: string;
  readonly pagerduty: string[];
  readonly pagerdutyUrl?: string;
  readonly batchSize?: number;
  readonly visibilityTimeout?: number;
  /** False with `--no-repeats`. */
  readonly repeats: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** One progress line: records done, findings delivered, Slack messages, whether it waits on Slack. */
export function progressLine(p: ReplayProgress): string {
  const waiting = p.waitingOnSlack ? " · waiting on Slack's rate" : '';
  return `replay: ${p.done}/${p.records} records done · ${p.delivered} delivered in ${p.slackMessages} Slack messages · ${p.queued} queued · ${p.deadLettered} dead-lettered${waiting} · ${(p.elapsedMs / 1000).toFixed(0)} s`;
}

/**
 * Ctrl-C (SIGINT) during a replay: the first ends it early (the summary so far is printed, exit 130);
 * a second quits at once. `stop` removes the handler.
 */
function onInterrupt(stderr: { write(text: string): unknown }): {
  readonly signal: AbortSignal;
  readonly stop: () => void;
} {
  const controller = new AbortController();
  const handler = (): void => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    stderr.write(
      '\nguardduty-hub replay: interrupted: ending the current batch (what Slack accepted is counted); Ctrl-C again to quit at once\n',
    );
    controller.abort();
  };
  process.on('SIGINT', handler);
  return { signal: controller.signal, stop: () => void process.off('SIGINT', handler) };
}

/** Registers `replay`. */
export function register(program: Command): void {
  withCommonOptions(program.command('replay'))
    .description('Replay finding events (files, folders, NDJSON) through the consumer to Slack')
    .argument('<path...>', 'event files or folders')
    .option('--webhook <name=url>', 'webhook URL of a destination (repeatable)', collect, [])
    .option('--token <name=xoxb-…>', 'bot token of an app destination (repeatable)', collect, [])
    .option('--teams <name=url>', 'Workflows webhook URL of a Teams destination (repeatable)', collect, [])
    .option('--slack-api-url <url>', 'Slack Web API base for app destinations (default https://slack.com/api)')
    .option('--pagerduty <name=key>', 'routing key of a PagerDuty destination (repeatable)', collect, [])
    .option(
      '--pagerduty-url <url>',
      'PagerDuty Events API v2 endpoint (default https://events.pagerduty.com/v2/enqueue)',
    )
    .option('--batch-size <n>', 'records per invocation (default: delivery.batchSize)', integerIn(1, 10_000))
    .option(
      '--visibility-timeout <seconds>',
      'seconds before a failed record is offered again (default 5; SQS: queue.visibilityTimeoutSeconds)',
      integerIn(0, 43_200),
    )
    .option('--no-repeats', 'deliver every event: do not skip repeats or fold regions (default: as repeats.enabled)')
    .addHelpText('after', HELP)
    .action(replayAction);
}

/** `replay PATH…`: reads the events, works out the webhooks and tokens, replays, and prints the summary. */
async function replayAction(paths: string[], options: ReplayCommandOptions): Promise<void> {
  const context = commandContext();
  const { io, env } = context;
  const { config } = loadCommandConfig(options, env);
  const given = parseWebhookArguments(options.webhook, config);
  const givenTokens = parseTokenArguments(options.token, config);
  const givenKeys = parseGivenSecrets(options.pagerduty, PAGERDUTY_ARGUMENT, config);
  const givenTeams = parseGivenSecrets(options.teams, TEAMS_ARGUMENT, config);
  const slackApiUrl = options.slackApiUrl === undefined ? undefined : parseSlackApiUrl(options.slackApiUrl);
  const pagerDutyUrl = options.pagerdutyUrl === undefined ? undefined : parsePagerDutyUrl(options.pagerdutyUrl);
  const events = await readReplayEvents(paths);
  if (events.length === 0) throw new UsageError(`no events in ${paths.join(', ')}`);
  // Routing every event only to learn which destinations need a URL is skipped when --webhook and --token give them all.
  const everyDestinationGiven = Object.keys(config.destinations).every(
    (name) => given.has(name) || givenTokens.has(name) || givenKeys.has(name) || givenTeams.has(name),
  );
  const used = everyDestinationGiven ? Object.keys(config.destinations) : destinationsUsed(events, config);
  const secrets = async () => (await context.awsClients()).secrets(config.hub.region);
  const { webhooks, note } = replayWebhooks(given, used, config, env, secrets);
  const { tokens, note: tokenNote } = replayTokens(givenTokens, used, config, env, secrets);
  const others = replayGivenSecrets(
    [
      [PAGERDUTY_ARGUMENT, givenKeys],
      [TEAMS_ARGUMENT, givenTeams],
    ],
    used,
    config,
    env,
    secrets,
  );
  for (const line of [note, tokenNote, others.note]) if (line) io.stderr.write(`guardduty-hub replay: ${line}\n`);

  const progress = io.stderr.isTTY === true;
  const interrupt = onInterrupt(io.stderr);
  const summary = await runReplay({
    config,
    events,
    webhooks,
    botTokens: tokens,
    ...(slackApiUrl === undefined ? {} : { slackApiUrl }),
    secrets: others.secrets,
    ...(pagerDutyUrl === undefined ? {} : { pagerDutyEventsUrl: pagerDutyUrl }),
    repeats: options.repeats,
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    ...(options.visibilityTimeout === undefined ? {} : { defaultVisibilityMs: options.visibilityTimeout * 1000 }),
    logger: jsonLinesLogger(io.stderr, env.LOG_LEVEL ?? 'error'),
    ...(progress ? { onProgress: (p) => io.stderr.write(`\r${progressLine(p)}\u001b[K`) } : {}),
    signal: interrupt.signal,
  }).finally(interrupt.stop);
  if (progress) io.stderr.write('\n');
  report(summary, options.json === true, io.stdout);
}

/** Prints the summary; an interrupted replay exits 130, one that dead-lettered records 1. */
function report(summary: Awaited<ReturnType<typeof runReplay>>, json: boolean, stdout: OutputStream): void {
  if (json) writeJson(stdout, summary);
  else stdout.write(renderReplaySummary(summary));
  if (summary.interrupted) throw new InterruptedError('replay');
  if (summary.deadLettered > 0) {
    throw new NeedsAttentionError(
      summary.deadLetteredSources.map((source) => `dead-lettered: ${source}`),
      json ? 'deadLetteredSources in the JSON' : 'the list above',
    );
  }
}
