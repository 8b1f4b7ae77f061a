import type { Command } from 'commander';
import { commandContext } from '../aws/index.ts';
import { finishReport, loadCommandConfig, withCommonOptions, type CommonOptions } from './common.ts';
import { readStatus, renderStatus } from './status/index.ts';

const EXAMPLES = `
Shows the hub queue (visible / in flight / delayed, oldest message age), the depth of every DLQ
(the hub queue's, the hub rule target's, each region's forwarder target's), the hub's alarms, the
consumer's event source mapping against the config, each region's GuardDuty detector and
member relationships, each destination type (slack-webhook, slack-app, pagerduty, teams) with its
destinations and the findings they took in the last 24 hours (the FindingsDelivered_<type> metric),
the GuardDuty filters made from Slack ("Suppress like this", with triage) with the suppress: rule
that would make each one from the config instead, and drift per region: detector features (a
disabled one shows), filters of suppress rules (at: source) missing in GuardDuty, filters the config
does not make (Slack-made ones labelled), members the config expects that are not Enabled, trusted
IP and entity sets and threat intel and entity sets (the config makes none), Custom Detection Rule
associations (one in dry run makes no findings), each region's canary (its last arrival against its
budget), and the alarms of every region (each region stack's forwarder alarms). A region without
drift is one "ok" line; a GuardDuty read that fails says so in its place.

Exit status: 0 all well, 1 something needs attention (listed with its region and fix: any DLQ
holding a message, a config filter missing, a filter made by hand that archives findings, an ACTIVE
trusted list, a Custom Detection Rule in dry run, a late canary, an alarm in ALARM in any region; and each member
the config expects that is not Enabled, with its status), 2 bad config, no credentials, or the hub
is not deployed.

Examples:
  $ guardduty-hub status
  $ guardduty-hub status --config config/prod.yml
  $ AWS_PROFILE=security guardduty-hub status --json | jq .attention
`;

/** Registers `status`. */
export function register(program: Command): void {
  withCommonOptions(program.command('status'))
    .description('Show queue depths, every DLQ, alarms, event source mapping, GuardDuty members and drift per region')
    .addHelpText('after', EXAMPLES)
    .action(async (options: CommonOptions) => {
      const context = commandContext();
      const { path, config } = loadCommandConfig(options, context.env);
      const report = await readStatus(await context.awsClients(), config, path, context.now());
      finishReport(context.io, options, report, () => renderStatus(report));
    });
}
