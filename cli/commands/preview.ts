import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  renderMessages,
  routeBatch,
  teamsMessages,
  triggerEvent,
  validatePayload,
  type PagerDutyEvent,
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
or one event per line) exactly as the consumer Lambda would, and prints each Slack payload as JSON
on stdout; for a Teams destination (type: teams), each Workflows message with its Adaptive Card; for a
PagerDuty destination (type: pagerduty), the Events API v2 event PagerDuty would receive (the routing
key shown as the secret that holds it). Every finding family is rendered for what it is (attack sequences, malware in S3,
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

/** A PagerDuty event as PagerDuty would receive it, the routing key shown as the secret that holds it. */
interface PreviewedEvent {
  readonly destination: string;
  readonly findingId: string;
  readonly event: PagerDutyEvent & { readonly routing_key: string };
}

/** What the consumer would do with some events: the routing, the Slack messages, the Teams cards and the PagerDuty events. */
interface Preview {
  readonly route: RouteResult;
  readonly messages: SlackMessage[];
  /** Messages to Teams destinations (`type: teams`): one Adaptive Card each. */
  readonly cards: TeamsMessage[];
  readonly pagerDutyEvents: PreviewedEvent[];
}

/** Routes and renders events as the consumer would; each event's `source` stands for its message id. */
function previewEvents(events: readonly ReplayEvent[], config: HubConfig): Preview {
  const route = routeBatch(
    events.map((event) => ({ messageId: event.source, body: event.body })),
    config,
  );
  const typeOf = (destination: string) => destinationTypeOf(config, destination);
  const pagerDutyEvents = route.routed
    .filter((routed) => typeOf(routed.destination) === 'pagerduty')
    .map((routed) => ({
      destination: routed.destination,
      findingId: routed.finding.id,
      event: {
        routing_key: `<routing key in ${config.destinations[routed.destination]?.routingKeySecret ?? '?'}>`,
        ...triggerEvent(routed, config, { why: 'new' }),
      },
    }));
  const teams = route.routed.filter((routed) => typeOf(routed.destination) === 'teams');
  const slack = route.routed.filter((routed) => typeOf(routed.destination).startsWith('slack-'));
  return { route, messages: renderMessages(slack, config), cards: teamsMessages(teams, config), pagerDutyEvents };
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

function report(io: CliIo, { route, messages, cards, pagerDutyEvents }: Preview, options: PreviewOptions): void {
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
  const total = messages.length + cards.length;
  const describe = (message: SlackMessage | TeamsMessage, i: number, form: string) => {
    const count = message.findings.length === 1 ? '1 finding' : `${message.findings.length} findings`;
    io.stderr.write(`# message ${i + 1} of ${total} → ${message.destination} (${message.kind}${form}, ${count})\n`);
    for (const { finding } of message.findings)
      io.stderr.write(`#   ${finding.type} · ${finding.resource.type}: ${finding.resource.label}\n`);
  };
  messages.forEach((message, i) => {
    describe(message, i, '');
    for (const problem of validatePayload(message.payload)) io.stderr.write(`#   over Slack's limits: ${problem}\n`);
    writeJson(io.stdout, message.payload);
  });
  cards.forEach((card, i) => {
    describe(card, messages.length + i, ', Teams card');
    writeJson(io.stdout, card.payload);
  });
  pagerDutyEvents.forEach(({ destination, findingId, event }, i) => {
    io.stderr.write(
      `# event ${i + 1} of ${pagerDutyEvents.length} → ${destination} (PagerDuty ${event.event_action}, finding ${findingId})\n`,
    );
    writeJson(io.stdout, event);
  });
}
