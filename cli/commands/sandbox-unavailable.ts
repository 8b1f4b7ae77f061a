import type { Command } from 'commander';
import { UsageError } from '../errors.ts';

/**
 * `sandbox` where it cannot run: the installed package holds the built CLI, not the repository the
 * sandbox runs from (its local AWS in localaws/, the Slack simulators in test/support/, the cdktf app
 * and its dependencies). There the command says so in one line and exits 2, instead of failing to load.
 */

/** Why the sandbox cannot run here, and how to run it. */
export const SANDBOX_NEEDS_CLONE =
  "the sandbox runs from a clone of the guardduty-hub repository, not from the installed package: clone it, run 'npm ci' in it, then 'npx guardduty-hub sandbox up --config examples/sandbox.yml' there";

/** The sandbox command's module, or a stand-in that explains when the module cannot load (a dependency missing: not a clone). */
export async function loadSandbox<T extends { register(program: Command): void }>(load: () => Promise<T>, summary: string): Promise<{ register(program: Command): void }> {
  try {
    return await load();
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    return {
      register: (program) =>
        void program
          .command('sandbox')
          .description(summary)
          .argument('[args...]')
          .allowUnknownOption()
          .helpCommand(false)
          .action(() => {
            throw new UsageError(SANDBOX_NEEDS_CLONE);
          }),
    };
  }
}
