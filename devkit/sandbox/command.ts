import { resolve } from 'node:path';
import type { Command } from 'commander';
import { processIo } from '../../cli/output/index.ts';
import { writeJson } from '../../cli/output/json.ts';
import { loadCommandConfig, withCommonOptions, type CommonOptions } from '../../cli/commands/common.ts';
import { CLICK_OK_RESULTS, sandboxClick, type ClickReport } from './click.ts';
import { CLICK_ACTIONS, isClickAction } from './click-target.ts';
import { sandboxDown } from './down.ts';
import { sandboxEnvironment, shellExports } from './env.ts';
import { sandboxPublish, type PublishNote, type PublishReport } from './publish.ts';
import { SANDBOX_DIR, readSandboxState, requireSandboxState, type SandboxState } from './state.ts';
import { findTerraform } from './terraform.ts';
import { sandboxUp } from './up.ts';
import { NeedsAttentionError, UsageError } from '../../cli/errors.ts';

const HELP = `
The whole hub on this machine: a local AWS (moto with the project's extensions, devkit/localaws/) on a
free loopback port, every stack applied with Terraform in <dir>/cdktf.out/stacks/<name>, and a
local Slack (webhook and Web API simulators), PagerDuty (Events API v2) and Teams (Workflows webhook)
simulators: webhook URLs are stored as the destinations' webhook secrets, a sandbox bot token as the
app destinations' bot tokens, a sandbox routing key as the PagerDuty destinations' routing keys, a
Workflows URL of the Teams simulator as the Teams destinations' URLs, and with triage: a sandbox
signing secret, so 'sandbox click' can press a parent's triage button as Slack would. Needs terraform
on PATH, Python 3 (moto is installed into .cache/moto-venv once) and the hashicorp/aws 5.100.0
provider in a filesystem mirror (found, or named by GUARDDUTY_HUB_TF_MIRROR). State is in <dir>.
'sandbox env' prints the exports that point the operator commands (status, dlq, secrets, smoke) at it.
The sandbox runs from a clone of the repository (its local AWS, simulators and Terraform runner are in devkit/).

Examples:
  $ guardduty-hub sandbox up --config examples/sandbox.yml
  $ guardduty-hub sandbox publish examples/events/
  $ guardduty-hub sandbox click archive
  $ eval "$(guardduty-hub sandbox env)" && guardduty-hub status
  $ guardduty-hub sandbox down
`;

const CLICK_HELP = `
Builds the signed block_actions request Slack sends when ACTION's button on a parent is pressed
(default: the newest parent with buttons; default user: the first user id in triage.allow.ACTION),
and runs the triage function's handler here against the sandbox: its front (signature, replay mark,
hand-off), then its worker (authorization, GuardDuty on the local AWS, the parent's edit and thread
reply on the sandbox's Slack). Prints the front's answer time, the audit outcome, the parent's text,
the reply, and what GuardDuty holds. Exit 0 when done or already done, 1 when refused or failed,
2 on usage errors.

Examples:
  $ guardduty-hub sandbox click archive
  $ guardduty-hub sandbox click suppress --finding b4b01b60fc24a199139f8f5f490edd81 --user U0SANDBOX1 --json
`;

interface ClickFlags extends SandboxFlags {
  readonly finding?: string;
  readonly user?: string;
}

function clickText(report: ClickReport): string {
  const gd =
    report.archived !== undefined
      ? `GuardDuty (${report.region}): ${report.archived ? 'archived' : 'not archived'} (ListFindings service.archived = true ${report.archived ? 'lists' : 'does not list'} it)`
      : report.filters !== undefined
        ? `GuardDuty filters made from Slack: ${report.filters.length === 0 ? 'none' : report.filters.map((f) => `${f.region} ${f.name} (${f.action})`).join(', ')}`
        : undefined;
  return [
    `Clicked ${report.action} on ${report.findingId} as ${report.user}${report.staleButton ? ' (the parent no longer shows the button: clicked as a client still showing it)' : ''}`,
    `  front answered HTTP ${report.front.status} in ${report.front.ms} ms`,
    `  audit: ${report.result}${report.audit.map((a) => (a.reason === undefined ? '' : ` (${String(a.reason)})`)).join('')}`,
    `  parent: ${report.parent.text}${report.parent.status === undefined ? '' : ` | ${report.parent.status}`}`,
    ...(report.reply === undefined ? [] : [`  thread reply: ${report.reply}`]),
    ...(report.ephemeral === undefined ? [] : [`  only ${report.user} sees: ${report.ephemeral}`]),
    ...(gd === undefined ? [] : [`  ${gd}`]),
  ].join('\n');
}

interface SandboxFlags extends CommonOptions {
  readonly dir: string;
}

const progress = (line: string): void => void process.stderr.write(`${line}\n`);

/**
 * `--config` on a command that works on a running sandbox: the sandbox was built from one config
 * (`up --config`), so naming another is a mistake, said with the fix; naming the same one is fine.
 */
function sameConfig(options: SandboxFlags, state: SandboxState): void {
  if (options.config === undefined || resolve(options.config) === state.configPath) return;
  throw new UsageError(
    `the sandbox in ${options.dir} was made from ${state.configPath}, not ${resolve(options.config)}: leave --config out, or run 'guardduty-hub sandbox down' and 'guardduty-hub sandbox up --config ${options.config}'`,
  );
}

/** The recorded sandbox of `--dir`, checked against `--config` (see {@link sameConfig}). */
function sandboxFor(options: SandboxFlags): SandboxState {
  const state = requireSandboxState(options.dir);
  sameConfig(options, state);
  return state;
}

/** What the PagerDuty simulator and each Teams destination received, as `publish` prints it (no routing key, no URL). */
function pagerDutyTeamsLines(report: PublishReport): string[] {
  const { destinations, events } = report.pagerDuty;
  const pages =
    destinations.length === 0
      ? []
      : [
          `  ${destinations.join(', ')} (PagerDuty): ${events.length} event(s)${events.map((e) => `\n    ${e.action}${e.severity === '' ? '' : ` ${e.severity}`} ${e.dedupKey}${e.summary === '' ? '' : `: ${e.summary}`}`).join('')}`,
        ];
  const teams = Object.entries(report.teams).map(
    ([d, texts]) => `  ${d} (Teams): ${texts.length} message(s)${texts.map((t) => `\n    ${t}`).join('')}`,
  );
  return [...pages, ...teams];
}

/** `publish` as text: what was published, refused or left on a bus, and what Slack, PagerDuty and Teams received. */
function publishText(report: PublishReport): string {
  const count = Object.values(report.published).reduce((sum, n) => sum + n, 0);
  const where = Object.entries(report.published)
    .map(([region, n]) => `${region}: ${n}`)
    .join(', ');
  const lines = [
    `Published ${count} event(s)${count > 0 ? ` (${where})` : ''}; ${report.invocations} consumer invocation(s)`,
  ];
  const notes = (title: string, list: readonly PublishNote[]) =>
    list.length === 0 ? [] : [`${title} ${list.length}:`, ...list.map((n) => `  ${n.source}: ${n.reason}`)];
  lines.push(...notes('Not published', report.skipped), ...notes('Published but not forwarded', report.notForwarded));
  for (const [d, texts] of Object.entries(report.received))
    lines.push(`  ${d}: ${texts.length} message(s)${texts.map((t) => `\n    ${t}`).join('')}`);
  for (const [d, { channel, parents }] of Object.entries(report.channels)) {
    lines.push(
      `  ${d} (app, ${channel}): ${parents.length} parent(s)${parents.map((p) => `\n    ${p.text}${p.replies.map((r) => `\n      ↳ ${r}`).join('')}`).join('')}`,
    );
  }
  lines.push(...pagerDutyTeamsLines(report));
  return `${lines.join('\n')}\n`;
}

/** `sandbox click ACTION`: see {@link CLICK_HELP}. */
function registerClick(command: Command): void {
  command
    .argument('<action>', CLICK_ACTIONS.join(' | '))
    .option('--finding <id>', 'the finding whose parent is clicked (default: the newest parent)')
    .option('--user <id>', 'the Slack user id who clicks (default: the first user in triage.allow.<action>)')
    .description(
      'Press a triage button on a parent as Slack would, and run the triage function here against the sandbox',
    )
    .addHelpText('after', CLICK_HELP)
    .action(async (action: string, options: ClickFlags) => {
      if (!isClickAction(action))
        throw new UsageError(`unknown action ${action}: use one of ${CLICK_ACTIONS.join(', ')}`);
      const report = await sandboxClick(options.dir, sandboxFor(options), {
        action,
        findingId: options.finding,
        user: options.user,
      });
      const io = processIo();
      if (options.json) writeJson(io.stdout, report);
      else io.stdout.write(`${clickText(report)}\n`);
      if (!CLICK_OK_RESULTS.includes(report.result))
        throw new NeedsAttentionError(
          [
            `the click was ${report.result}${report.audit.map((a) => (a.reason === undefined ? '' : `: ${String(a.reason)}`)).join('')}`,
          ],
          options.json ? 'the JSON report' : 'above',
        );
    });
}

/** Registers `sandbox up`, `publish`, `click`, `env` and `down`. */
export function register(program: Command): void {
  const sandbox = program
    .command('sandbox')
    .description(
      'Run the whole hub locally: local AWS, Terraform-applied stacks, Slack, PagerDuty and Teams simulators',
    )
    .addHelpText('after', HELP);
  const withDir = (command: Command) =>
    withCommonOptions(command).option('--dir <folder>', 'sandbox state folder', SANDBOX_DIR);

  withDir(sandbox.command('up'))
    .description(
      "Start the local AWS and the simulators, apply every stack with Terraform, store the destinations' secrets (again: changes nothing)",
    )
    .action(upAction);

  withDir(sandbox.command('publish'))
    .argument('<paths...>', 'event files (one event, a JSON array or NDJSON) or folders of them')
    .description(
      "Put events on their region's default bus, run the consumer over the hub queue until empty, show what Slack, PagerDuty and Teams received",
    )
    .action(publishAction);

  registerClick(withDir(sandbox.command('click')));

  withDir(sandbox.command('env'))
    .description(
      'Print the exports that point every operator command (status, dlq, secrets, smoke) at the sandbox: eval "$(guardduty-hub sandbox env)"',
    )
    .action(envAction);

  withDir(sandbox.command('down')).description('Destroy the stacks and stop what up started').action(downAction);
}

/** `sandbox up`: starts the local AWS and Slack and applies every stack. */
async function upAction(options: SandboxFlags): Promise<void> {
  findTerraform();
  const { path, config } = loadCommandConfig(options, process.env);
  const state = await sandboxUp({ dir: options.dir, config, configPath: path, progress });
  const io = processIo();
  const { endpoint, account, region, slack, pagerDuty, teams, stacks } = state;
  if (options.json) {
    writeJson(io.stdout, { endpoint, account, region, slack, pagerDuty, teams, stacks });
    return;
  }
  const stackLines = stacks.map((s) => `  ${s.name}: ${s.resources} resources`).join('\n');
  io.stdout.write(
    `Sandbox up: local AWS ${endpoint}, account ${account}, hub region ${region}, Slack ${slack.url}, PagerDuty ${pagerDuty.url}, Teams ${teams.url}\n${stackLines}\n`,
  );
}

/** `sandbox publish PATH…`: puts the events on their buses and runs the consumer until the hub queue is empty. */
async function publishAction(paths: string[], options: SandboxFlags): Promise<void> {
  const report = await sandboxPublish(options.dir, sandboxFor(options), paths);
  const io = processIo();
  if (options.json) writeJson(io.stdout, report);
  else io.stdout.write(publishText(report));
  if (report.attention.length > 0) {
    throw new NeedsAttentionError(report.attention, options.json ? 'attention in the JSON report' : 'the list above');
  }
}

/** `sandbox env`: the exports that point the operator commands at the sandbox. */
function envAction(options: SandboxFlags): void {
  const environment = sandboxEnvironment(options.dir, sandboxFor(options));
  const io = processIo();
  if (options.json) writeJson(io.stdout, environment);
  else io.stdout.write(shellExports(environment));
}

/** `sandbox down`: destroys the stacks and stops what `up` started. */
async function downAction(options: SandboxFlags): Promise<void> {
  findTerraform();
  const state = readSandboxState(options.dir);
  if (state === undefined) {
    progress(`no sandbox in ${options.dir}: nothing to do`);
    return;
  }
  sameConfig(options, state);
  await sandboxDown(options.dir, state, progress);
  if (options.json) writeJson(processIo().stdout, { destroyed: state.stacks.map((s) => s.name) });
  else processIo().stdout.write(`Sandbox down: destroyed ${state.stacks.map((s) => s.name).join(', ')}\n`);
}
