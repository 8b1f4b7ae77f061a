import type { Command } from 'commander';
import { destinationTypeOf } from '../../shared/index.ts';
import { commandContext } from '../aws/index.ts';
import { formatTime, renderTable, writeJson } from '../output/index.ts';
import { finishReport, loadCommandConfig, renderAttention, withCommonOptions, type CommonOptions } from './common.ts';
import { UsageError } from '../errors.ts';
import {
  checkSecrets,
  readSecretInput,
  secretOf,
  signingSecretName,
  storeSigningSecret,
  storeWebhook,
  type SecretsReport,
} from './secrets/index.ts';

const SET_HELP = `
The URL is read from stdin, never from the command line (where it would land in shell history and
process lists). At a terminal you are prompted and nothing you type is shown. It must be a Slack
incoming-webhook URL (https://hooks.slack.com/services/T…/B…/…, or hooks.slack-gov.com) or a
workflow URL (https://hooks.slack.com/triggers/…). For a Slack app destination (destinations.NAME.app)
it is the app's bot token instead (xoxb-…, the Bot User OAuth Token); for a PagerDuty destination
(type: pagerduty) the routing key (the 32-character Integration Key of an Events API v2 integration).
For a Teams destination (type: teams) it is the Workflows webhook URL: the HTTP POST URL of the "When a
Teams webhook request is received" trigger, https on *.logic.azure.com or
*.environment.api.powerplatform.com with its sig= (or on a host delivery.allowedWebhookHosts lists). With --signing-secret (and no
destination) it is the Slack app's signing secret for triage (Basic Information → App Credentials:
32 hexadecimal characters), stored in the secret triage.signingSecret names. The value is never printed.

Examples:
  $ guardduty-hub secrets set security                     # prompts, input hidden
  $ pbpaste | guardduty-hub secrets set team-a
  $ guardduty-hub secrets set team-a < webhook.txt
  $ guardduty-hub secrets set team-a --create < webhook.txt   # the secret does not exist yet
  $ guardduty-hub secrets set --signing-secret                # prompts for the Slack app's signing secret
`;

const CHECK_HELP = `
For every destination in the config: does its secret exist, hold a value, and is that value a Slack
webhook URL (or, for an app destination, a bot token xoxb-…; for a PagerDuty destination, a routing key
of 32 letters and digits)? With triage configured, does the
signing secret hold 32 hexadecimal characters? Values are never printed. Exit status 1 when any is missing, malformed or unreadable.

Examples:
  $ guardduty-hub secrets check
  $ guardduty-hub secrets check --json | jq '.destinations[] | select(.status != "present")'
`;

/** The prompt of `secrets set` by destination type. */
const PROMPTS: Readonly<Record<string, string>> = {
  'slack-webhook': 'Webhook URL',
  'slack-app': 'Bot token (xoxb-…)',
  pagerduty: 'PagerDuty routing key (32 characters)',
  teams: 'Teams Workflows URL',
};

/** What `secrets set` says it stored, by kind (a webhook URL's kinds say `webhook`). */
const STORED: Readonly<Record<string, string>> = {
  'bot-token': 'bot token',
  'routing-key': 'routing key',
  'teams-workflow': 'Workflows URL',
};

interface SetFlags extends CommonOptions {
  readonly create?: boolean;
  readonly signingSecret?: boolean;
}

/** Registers `secrets set` and `secrets check`. */
export function register(program: Command): void {
  const secrets = program
    .command('secrets')
    .description('Store and check the Slack webhook URLs, bot tokens and triage signing secret (Secrets Manager)');

  withCommonOptions(secrets.command('set'))
    .description(
      "Store a destination's webhook URL (or an app destination's bot token), or the triage signing secret, read from stdin, in its secret",
    )
    .argument('[destination]', 'a destination name from the config (not with --signing-secret)')
    .option('--signing-secret', "store the Slack app's signing secret for triage (triage.signingSecret) instead")
    .option('--create', 'create the secret when it does not exist (normally the hub stack creates it)')
    .addHelpText('after', SET_HELP)
    .action(setAction);

  withCommonOptions(secrets.command('check'))
    .description(
      "Check that every destination's secret holds a Slack webhook URL or bot token (and triage its signing secret), without printing it",
    )
    .addHelpText('after', CHECK_HELP)
    .action(async (options: CommonOptions) => {
      const { awsClients, io, env } = commandContext();
      const clients = await awsClients();
      const { config } = loadCommandConfig(options, env);
      const report = await checkSecrets(clients.secrets(config.hub.region), config);
      finishReport(io, options, report, () => renderSecrets(report));
    });
}

/** `secrets set [DESTINATION] [--signing-secret]`: reads the value hidden from stdin and stores it. */
async function setAction(destination: string | undefined, options: SetFlags): Promise<void> {
  const { awsClients, io, env } = commandContext();
  const clients = await awsClients();
  const { config } = loadCommandConfig(options, env);
  const secretsClient = clients.secrets(config.hub.region);
  const create = options.create === true;
  if (options.signingSecret === true) {
    if (destination !== undefined) throw new UsageError('give either a destination or --signing-secret, not both');
    const secret = signingSecretName(config);
    const input = await readSecretInput(io.stdin, io.stderr, `Slack signing secret for ${secret} (input hidden): `);
    const stored = await storeSigningSecret(secretsClient, config, input, create);
    if (options.json) writeJson(io.stdout, stored);
    else
      io.stdout.write(
        `stored signing secret in ${stored.secret} (version ${stored.versionId})${createdText(stored.created)}\n`,
      );
    return;
  }
  if (destination === undefined) {
    throw new UsageError(
      'name a destination (guardduty-hub secrets set DESTINATION), or pass --signing-secret for triage',
    );
  }
  secretOf(config, destination);
  const input = await readSecretInput(
    io.stdin,
    io.stderr,
    `${PROMPTS[destinationTypeOf(config, destination)] ?? PROMPTS['slack-webhook']} for ${destination} (input hidden): `,
  );
  const stored = await storeWebhook(secretsClient, config, destination, input, create);
  const kind = STORED[stored.kind] ?? 'webhook';
  if (options.json) writeJson(io.stdout, stored);
  else
    io.stdout.write(
      `stored ${kind} for ${stored.destination} in ${stored.secret} (version ${stored.versionId})${createdText(stored.created)}\n`,
    );
}

function createdText(created: boolean): string {
  return created ? ', secret created' : '';
}

function renderSecrets(report: SecretsReport): string {
  const rows = report.destinations.map((d) => [
    d.destination,
    d.secret,
    d.status,
    d.detail,
    formatTime(d.lastChangedAt),
  ]);
  const signing = report.signingSecret;
  if (signing !== undefined)
    rows.push(['(triage signing)', signing.secret, signing.status, signing.detail, formatTime(signing.lastChangedAt)]);
  return `Webhook secrets (${report.region})\n${renderTable({ header: ['destination', 'secret', 'status', 'detail', 'changed'], rows }, '  ')}\n${renderAttention(report.attention, report.signingSecret ? 'Every destination has a webhook URL, and triage its signing secret.' : 'Every destination has a webhook URL.')}`;
}
