import type { Command } from 'commander';
import { commandContext } from '../aws/index.ts';
import { formatTime, renderTable, writeJson } from '../output/index.ts';
import { finishReport, loadCommandConfig, renderAttention, withCommonOptions, type CommonOptions } from './common.ts';
import { checkSecrets, readSecretInput, secretOf, storeWebhook, type SecretsReport } from './secrets/index.ts';

const SET_HELP = `
The URL is read from stdin, never from the command line (where it would land in shell history and
process lists). At a terminal you are prompted and nothing you type is shown. It must be a Slack
incoming-webhook URL (https://hooks.slack.com/services/T…/B…/…, or hooks.slack-gov.com) or a
workflow URL (https://hooks.slack.com/triggers/…). For a Slack app destination (destinations.NAME.app)
it is the app's bot token instead (xoxb-…, the Bot User OAuth Token). The value is never printed.

Examples:
  $ guardduty-hub secrets set security                     # prompts, input hidden
  $ pbpaste | guardduty-hub secrets set team-a
  $ guardduty-hub secrets set team-a < webhook.txt
  $ guardduty-hub secrets set team-a --create < webhook.txt   # the secret does not exist yet
`;

const CHECK_HELP = `
For every destination in the config: does its secret exist, hold a value, and is that value a Slack
webhook URL (or, for an app destination, a bot token xoxb-…)? Values are never printed. Exit status 1 when any is missing, malformed or unreadable.

Examples:
  $ guardduty-hub secrets check
  $ guardduty-hub secrets check --json | jq '.destinations[] | select(.status != "present")'
`;

interface SetFlags extends CommonOptions {
  readonly create?: boolean;
}

/** Registers `secrets set` and `secrets check`. */
export function register(program: Command): void {
  const secrets = program.command('secrets').description("Store and check the destinations' Slack webhook URLs and bot tokens (Secrets Manager)");

  withCommonOptions(secrets.command('set'))
    .description("Store a destination's webhook URL (or an app destination's bot token), read from stdin, in its secret")
    .argument('<destination>', 'a destination name from the config')
    .option('--create', 'create the secret when it does not exist (normally the hub stack creates it)')
    .addHelpText('after', SET_HELP)
    .action(async (destination: string, options: SetFlags) => {
      const { clients, io, env } = commandContext();
      const { config } = loadCommandConfig(options, env);
      secretOf(config, destination);
      const what = config.destinations[destination]?.app === undefined ? 'Webhook URL' : 'Bot token (xoxb-…)';
      const input = await readSecretInput(io.stdin, io.stderr, `${what} for ${destination} (input hidden): `);
      const stored = await storeWebhook(clients.secrets(config.hub.region), config, destination, input, options.create === true);
      if (options.json) writeJson(io.stdout, stored);
      else io.stdout.write(`stored ${stored.kind === 'bot-token' ? 'bot token' : 'webhook'} for ${stored.destination} in ${stored.secret} (version ${stored.versionId})${stored.created ? ', secret created' : ''}\n`);
    });

  withCommonOptions(secrets.command('check'))
    .description("Check that every destination's secret holds a Slack webhook URL or bot token, without printing it")
    .addHelpText('after', CHECK_HELP)
    .action(async (options: CommonOptions) => {
      const { clients, io, env } = commandContext();
      const { config } = loadCommandConfig(options, env);
      const report = await checkSecrets(clients.secrets(config.hub.region), config);
      finishReport(io, options, report, () => renderSecrets(report));
    });
}

function renderSecrets(report: SecretsReport): string {
  const rows = report.destinations.map((d) => [d.destination, d.secret, d.status, d.detail, formatTime(d.lastChangedAt)]);
  return `Webhook secrets (${report.region})\n${renderTable({ header: ['destination', 'secret', 'status', 'detail', 'changed'], rows }, '  ')}\n${renderAttention(report.attention, 'Every destination has a webhook URL.')}`;
}
