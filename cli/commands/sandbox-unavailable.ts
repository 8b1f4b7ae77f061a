import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { UsageError } from '../errors.ts';

/**
 * The `sandbox` command lives in the repository's dev tooling (`devkit/sandbox`: its local AWS, Slack
 * simulators and the cdktf app), which the shipped CLI never bundles: in a clone it is loaded from the
 * sources by a path computed here (the bin runs `sandbox` through tsx there); in the installed package,
 * which has no devkit/, the command says so in one line and exits 2.
 */

/** Why the sandbox cannot run here, and how to run it. */
export const SANDBOX_NEEDS_CLONE =
  "the sandbox runs from a clone of the guardduty-hub repository, not from the installed package: clone it, run 'npm ci' in it, then 'npx guardduty-hub sandbox up --config examples/sandbox.yml' there";

/** Where the sandbox command is in a clone: `devkit/sandbox/command.ts`, two folders above this module's. */
export const SANDBOX_COMMAND = new URL('../../devkit/sandbox/command.ts', import.meta.url);

/**
 * The sandbox command's module (`at`, by default the clone's), or a stand-in that explains when it
 * cannot load: no devkit/ (the installed package) or a dependency missing.
 */
export async function loadSandbox(
  summary: string,
  at: URL = SANDBOX_COMMAND,
): Promise<{ register(program: Command): void }> {
  try {
    if (!existsSync(fileURLToPath(at)))
      throw Object.assign(new Error('no devkit/ here'), { code: 'ERR_MODULE_NOT_FOUND' });
    // A computed specifier: the build leaves it alone, so the shipped CLI holds none of the devkit.
    return (await import(pathToFileURL(fileURLToPath(at)).href)) as { register(program: Command): void };
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
