import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  renderMessages,
  routeBatch,
  teamsMessages,
  validatePayload,
  type SlackMessage,
  type RouteResult,
  type TeamsMessage,
} from '../../lambdas/consumer/index.ts';
import { destinationTypeOf, type HubConfig } from '../../shared/index.ts';
import { commandContext } from '../aws/context.ts';
import { NeedsAttentionError, UsageError } from '../errors.ts';
import { writeJson, type CliIo } from '../output/index.ts';
import { renderPreviewHtml } from '../preview/index.ts';
import { readReplayEvents, type ReplayEvent } from '../replay/index.ts';
import { loadCommandConfig } from './common.ts';

const HELP = `
Parses, routes and renders the findings in EVENT (one EventBridge event, a JSON array of events,
or one event per line) exactly as the consumer Lambda would, and prints each Slack payload (and, for a
Teams destination, each Workflows message with its Adaptive Card) as JSON on stdout. Every finding family is rendered for what it is (attack sequences, malware in S3,
EBS and backups, runtime processes, …), and so are "GuardDuty Malware Protection Object Scan
Result" events. Which destination, each message's findings (type and resource), and anything
skipped (below threshold, archived, suppressed, a scan that found no threats) or not a GuardDuty
event, is said on stderr. Nothing is sent; no AWS access is needed. Repeat detection (the state
table) is not applied.

Exit status: 0 ok (skips included), 1 some of the events are not GuardDuty findings, 2 none of
them is (or the file holds no events), bad usage, config or file.

Examples:
  $ guardduty-hub preview finding.json
  $ guardduty-hub preview --config config/prod.yml findings.ndjson > payloads.json
  $ guardduty-hub preview --destination-only finding.json
  $ guardduty-hub preview --html preview.html findings.ndjson   # open it in a browser
`;

/** `preview`'s options, as commander parses them. */
interface PreviewOptions {
  /** Config file; `HUB_CONFIG`, else `config/example.yml`. */
  readonly config?: string;
  /** Print where each finding goes instead of the payloads. */
  readonly destinationOnly?: boolean;
  /** Also write the messages as an HTML page, roughly as Slack shows them, to this file. */
  readonly html?: string;
}

/** What the consumer would do with some events: the routing, the Slack messages and the Teams cards. */
interface Preview {
  readonly route: RouteResult;
  readonly messages: SlackMessage[];
  /** Messages to Teams destinations (`type: teams`): one Adaptive Card each. */
  readonly cards: TeamsMessage[];
}

/** Routes and renders events as the consumer would; each event's `source` stands for its message id. */
function previewEvents(events: readonly ReplayEvent[], config: HubConfig): Preview {
  const route = routeBatch(
    events.map((event) => ({ messageId: event.source, body: event.body })),
    config,
  );
  const teams = (destination: string) => destinationTypeOf(config, destination) === 'teams';
  return {
    route,
    messages: renderMessages(
      route.routed.filter((routed) => !teams(routed.destination)),
      config,
    ),
    cards: teamsMessages(
      route.routed.filter((routed) => teams(routed.destination)),
      config,
    ),
  };
}

/** Registers `preview`. */
export function register(program: Command): void {
  program
    .command('preview')
    .description('Print the Slack payloads the findings in a file would produce (nothing is sent)')
    .argument(
      '<event-file>',
      'EventBridge GuardDuty finding or S3 scan-result event(s): JSON object, JSON array or NDJSON',
    )
    .option('-c, --config <file>', 'config file (default: $HUB_CONFIG, else config/example.yml)')
    .option('--destination-only', 'print only where each finding would go, as JSON')
    .option('--html <file>', 'also write the messages to FILE as an HTML page, roughly as Slack shows them')
    .addHelpText('after', HELP)
    .action(async (file: string, options: PreviewOptions) => {
      const context = commandContext();
      const { config } = loadCommandConfig(options, context.env);
      const events = await readReplayEvents([file]);
      if (events.length === 0) throw new UsageError(`${file}: holds no events`);
      const preview = previewEvents(events, config);
      report(context.io, preview, options);
      if (options.html !== undefined) await writeHtml(options.html, file, preview.messages);
      const { failed, routed, skipped } = preview.route;
      if (failed.length === events.length) {
        throw new UsageError(
          `${file}: no GuardDuty finding events (${failed.length === 1 ? (failed[0]?.reason ?? 'see above') : 'see above'})`,
        );
      }
      if (failed.length > 0)
        throw new NeedsAttentionError(
          failed.map((f) => `${f.messageId}: ${f.reason}`),
          'above',
        );
      if (routed.length === 0 && skipped.length > 0) context.io.stderr.write('Nothing would be sent.\n');
    });
}

/** Writes the HTML page; a file that cannot be written is a usage error naming it. */
async function writeHtml(path: string, eventFile: string, messages: readonly SlackMessage[]): Promise<void> {
  const page = renderPreviewHtml(
    messages.map((message) => ({
      destination: message.destination,
      kind: message.kind,
      findingCount: message.findings.length,
      payload: message.payload,
      problems: validatePayload(message.payload),
    })),
    eventFile,
  );
  try {
    await writeFile(path, page);
  } catch (cause) {
    throw new UsageError(
      `--html ${path}: cannot write the file (${(cause as NodeJS.ErrnoException).code ?? String(cause)}); check the folder exists and is writable`,
    );
  }
}

function report(io: CliIo, { route, messages, cards }: Preview, options: PreviewOptions): void {
  for (const { messageId, reason } of route.failed)
    io.stderr.write(`${messageId}: not a GuardDuty finding event: ${reason}\n`);
  for (const { messageId, findingId, reason, detail } of route.skipped) {
    io.stderr.write(
      `${messageId}: finding ${findingId ?? '?'} would be skipped: ${reason}${detail ? ` (${detail})` : ''}\n`,
    );
  }
  if (route.collapsed > 0)
    io.stderr.write(`${route.collapsed} repeated event(s) collapsed into the newest copy of their finding\n`);

  if (options.destinationOnly) {
    const destinations = route.routed.map(({ finding, destination, messageIds }) => ({
      findingId: finding.id,
      destination,
      severity: finding.severity,
      events: messageIds,
    }));
    writeJson(io.stdout, destinations);
    return;
  }
  const all: (SlackMessage | TeamsMessage)[] = [...messages, ...cards];
  all.forEach((message, i) => {
    const count = message.findings.length === 1 ? '1 finding' : `${message.findings.length} findings`;
    const card = i >= messages.length ? ', Teams card' : '';
    io.stderr.write(
      `# message ${i + 1} of ${all.length} → ${message.destination} (${message.kind}${card}, ${count})\n`,
    );
    for (const { finding } of message.findings)
      io.stderr.write(`#   ${finding.type} · ${finding.resource.type}: ${finding.resource.label}\n`);
    if (i < messages.length) {
      for (const problem of validatePayload((message as SlackMessage).payload))
        io.stderr.write(`#   over Slack's limits: ${problem}\n`);
    }
    writeJson(io.stdout, message.payload);
  });
}
