import type { Command } from 'commander';
import { processIo } from '../output/index.ts';
import { writeJson } from '../output/json.ts';
import { loadCommandConfig, withCommonOptions, type CommonOptions } from './common.ts';
import { sandboxDown } from './sandbox/down.ts';
import { sandboxPublish } from './sandbox/publish.ts';
import { SANDBOX_DIR, readSandboxState, requireSandboxState } from './sandbox/state.ts';
import { findTerraform } from './sandbox/terraform.ts';
import { sandboxUp } from './sandbox/up.ts';
import { NeedsAttentionError } from '../errors.ts';

const HELP = `
The whole hub on this machine: a local AWS (moto with the project's extensions, localaws/) on a
free loopback port, every stack applied with Terraform in <dir>/cdktf.out/stacks/<name>, and a
local Slack simulator whose URLs are stored as the destinations' webhook secrets. Needs terraform
on PATH, Python 3 (moto is installed into .cache/moto-venv once) and the hashicorp/aws 5.100.0
provider in a filesystem mirror (found, or named by GUARDDUTY_HUB_TF_MIRROR). State is in <dir>.

Examples:
  $ guardduty-hub sandbox up --config hub.yml
  $ guardduty-hub sandbox publish finding.json findings/ --json
  $ guardduty-hub sandbox down
`;

interface SandboxFlags extends CommonOptions {
  readonly dir: string;
}

const progress = (line: string): void => void process.stderr.write(`${line}\n`);

/** Registers `sandbox up`, `sandbox publish` and `sandbox down`. */
export function register(program: Command): void {
  const sandbox = program.command('sandbox').description('Run the whole hub locally: local AWS, Terraform-applied stacks, a Slack simulator').addHelpText('after', HELP);
  const withDir = (command: Command) => withCommonOptions(command).option('--dir <folder>', 'sandbox state folder', SANDBOX_DIR);

  withDir(sandbox.command('up'))
    .description('Start the local AWS and Slack, apply every stack with Terraform, store the webhook secrets (again: changes nothing)')
    .action(async (options: SandboxFlags) => {
      findTerraform();
      const { path, config } = loadCommandConfig(options, process.env);
      const state = await sandboxUp({ dir: options.dir, config, configPath: path, progress });
      const io = processIo();
      const summary = { endpoint: state.endpoint, account: state.account, region: state.region, slack: state.slack, stacks: state.stacks };
      if (options.json) writeJson(io.stdout, summary);
      else io.stdout.write(`Sandbox up: local AWS ${state.endpoint}, account ${state.account}, hub region ${state.region}, Slack ${state.slack.url}\n${state.stacks.map((s) => `  ${s.name}: ${s.resources} resources`).join('\n')}\n`);
    });

  withDir(sandbox.command('publish'))
    .argument('<paths...>', 'event files (one event, a JSON array or NDJSON) or folders of them')
    .description("Put events on their region's default bus, run the consumer over the hub queue until empty, show what Slack received")
    .action(async (paths: string[], options: SandboxFlags) => {
      const report = await sandboxPublish(options.dir, requireSandboxState(options.dir), paths);
      const io = processIo();
      if (options.json) writeJson(io.stdout, report);
      else {
        const lines = Object.entries(report.received).map(([d, texts]) => `  ${d}: ${texts.length} message(s)${texts.map((t) => `\n    ${t}`).join('')}`);
        io.stdout.write(`Published ${JSON.stringify(report.published)}; skipped ${report.skipped.length}; ${report.invocations} consumer invocation(s)\n${lines.join('\n')}\n`);
      }
      if (report.attention.length > 0) throw new NeedsAttentionError(report.attention, options.json ? 'attention in the JSON report' : 'the list above');
    });

  withDir(sandbox.command('down'))
    .description('Destroy the stacks and stop what up started')
    .action(async (options: SandboxFlags) => {
      findTerraform();
      const state = readSandboxState(options.dir);
      if (state === undefined) {
        progress(`no sandbox in ${options.dir}: nothing to do`);
        return;
      }
      await sandboxDown(options.dir, state, progress);
      if (options.json) writeJson(processIo().stdout, { destroyed: state.stacks.map((s) => s.name) });
      else processIo().stdout.write(`Sandbox down: destroyed ${state.stacks.map((s) => s.name).join(', ')}\n`);
    });
}
