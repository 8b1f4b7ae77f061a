import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../cli/errors.ts';
import { SANDBOX_NEEDS_CLONE } from '../../cli/commands/sandbox-unavailable.ts';

/**
 * The absolute path of `relative` (a path from the repository root, such as `devkit/localaws/localaws.sh`):
 * the sandbox's helper scripts are files of the repository, not of the built CLI, so they are found by
 * walking up from this module, wherever it runs from (`devkit/sandbox/` through tsx, or a chunk
 * under `dist/cli/`). Throws naming the file when no parent folder holds it.
 */
export function repoFile(relative: string, from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    const candidate = join(dir, relative);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir)
      throw new UsageError(`cannot find ${relative} above ${dirname(fileURLToPath(from))}: ${SANDBOX_NEEDS_CLONE}`);
    dir = parent;
  }
}
