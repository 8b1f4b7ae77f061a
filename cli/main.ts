import { Command } from 'commander';
import { loadSandbox } from './commands/sandbox-unavailable.ts';
import { EXIT } from './errors.ts';

/** A subcommand module: `cli/commands/<name>.ts`, exporting `register(program)`. */
interface CommandModule {
  register(program: Command): void;
}

/** One top-level subcommand: its name, its one-line description (as the module gives it), its module. */
interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  readonly load: () => Promise<CommandModule>;
}

const SANDBOX_SUMMARY =
  'Run the whole hub locally: local AWS, Terraform-applied stacks, Slack, PagerDuty and Teams simulators';

/**
 * Every subcommand, one line each (add yours here). A module is imported only when its command
 * runs, so `--help` and each command load only what they use (the AWS SDK clients alone take
 * ~0.5 s to import). `summary` must equal the module's own `.description(…)`; a test checks it.
 */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'status',
    summary: 'Show queue depths, every DLQ, alarms, event source mapping, GuardDuty members and drift per region',
    load: () => import('./commands/status.ts'),
  },
  {
    name: 'preview',
    summary: 'Print the Slack payloads the findings in a file would produce (nothing is sent)',
    load: () => import('./commands/preview.ts'),
  },
  { name: 'dlq', summary: 'Inspect and redrive the dead-letter queues', load: () => import('./commands/dlq.ts') },
  {
    name: 'secrets',
    summary: 'Store and check the Slack webhook URLs, bot tokens and triage signing secret (Secrets Manager)',
    load: () => import('./commands/secrets.ts'),
  },
  {
    name: 'smoke',
    summary: 'Create a sample finding per region and wait until the hub sees it',
    load: () => import('./commands/smoke.ts'),
  },
  {
    name: 'replay',
    summary: 'Replay finding events (files, folders, NDJSON) through the consumer to Slack',
    load: () => import('./commands/replay.ts'),
  },
  {
    name: 'silences',
    summary: 'List, add and expire silences: findings the hub skips for a while (GuardDuty keeps them)',
    load: () => import('./commands/silences.ts'),
  },
  { name: 'sandbox', summary: SANDBOX_SUMMARY, load: () => loadSandbox(SANDBOX_SUMMARY) },
];

/**
 * The `guardduty-hub` operator command with the subcommands in `loaded` registered in full; every
 * other one appears by name and summary only (enough for the overview help and for suggestions).
 */
export async function buildProgram(loaded: readonly string[] = COMMANDS.map((entry) => entry.name)): Promise<Command> {
  const program = new Command('guardduty-hub')
    .description(
      'Operate guardduty-hub: replay and preview findings, check status, peek and redrive the DLQ, manage webhook secrets, run smoke tests.',
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const entry of COMMANDS) {
    if (loaded.includes(entry.name)) (await entry.load()).register(program);
    else program.command(entry.name).description(entry.summary);
  }
  return program;
}

/** The subcommand that argv names (its first argument after the script), if it is one of ours. */
function requestedCommand(argv: readonly string[]): string[] {
  const first = argv[2] === 'help' ? argv[3] : argv[2];
  return COMMANDS.some((entry) => entry.name === first) ? [first as string] : [];
}

/** Runs the CLI; exit codes: 0 ok, 1 something needs attention, 2 bad usage or config. */
export async function main(argv: readonly string[] = process.argv): Promise<number> {
  const program = await buildProgram(requestedCommand(argv));
  try {
    await program.parseAsync([...argv]);
    // Commands report trouble by throwing (see errors.ts), never through process.exitCode.
    return EXIT.ok;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') return EXIT.ok;
    if (typeof code === 'string' && code.startsWith('commander.')) return EXIT.usage;
    process.stderr.write(`guardduty-hub: ${error instanceof Error ? error.message : String(error)}\n`);
    return (error as { exitCode?: number }).exitCode ?? EXIT.usage;
  }
}
