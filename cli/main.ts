import { Command } from 'commander';
import { register as registerDlq } from './commands/dlq.ts';
import { register as registerReplay } from './commands/replay.ts';
import { register as registerPreview } from './commands/preview.ts';
import { register as registerSecrets } from './commands/secrets.ts';
import { register as registerSmoke } from './commands/smoke.ts';
import { register as registerSandbox } from './commands/sandbox.ts';
import { register as registerStatus } from './commands/status.ts';
import { EXIT } from './errors.ts';

/**
 * The `guardduty-hub` operator command. Each subcommand lives in `cli/commands/<name>.ts` and
 * exports `register(program)`; add one line below for each.
 */
export function buildProgram(): Command {
  const program = new Command('guardduty-hub')
    .description('Operate guardduty-hub: replay and preview findings, check status, peek and redrive the DLQ, manage webhook secrets, run smoke tests.')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  // Commands register here, one line each.
  registerStatus(program);
  registerPreview(program);
  registerDlq(program);
  registerSecrets(program);
  registerSmoke(program);
  registerReplay(program);
  registerSandbox(program);
  return program;
}

/** Runs the CLI; exit codes: 0 ok, 1 something needs attention, 2 bad usage or config. */
export async function main(argv: readonly string[] = process.argv): Promise<number> {
  const program = buildProgram();
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
