#!/usr/bin/env node
// Runs the CLI built to JavaScript (dist/cli/main.mjs, `npm run build`), so nothing compiles at start.
// In a clone (cli/main.ts is here) the build is used only while it is current: when it is missing, or
// one of its source files (dist/cli/inputs.json) is newer, the TypeScript source runs through tsx.
import { existsSync, readFileSync, statSync } from 'node:fs';

process.env.CHECKPOINT_DISABLE ??= '1';

const root = new URL('../', import.meta.url);
const built = new URL('dist/cli/main.mjs', root);

/** True when the built CLI exists and, in a clone, is newer than every source file it was built from. */
function buildIsCurrent() {
  if (!existsSync(built)) return false;
  if (!existsSync(new URL('cli/main.ts', root))) return true;
  try {
    const builtAt = statSync(built).mtimeMs;
    const inputs = JSON.parse(readFileSync(new URL('dist/cli/inputs.json', root), 'utf8'));
    return inputs.every((input) => statSync(new URL(input, root)).mtimeMs <= builtAt);
  } catch {
    return false; // no input list, or a source file gone: the build is from another tree
  }
}

// `sandbox` runs the cdktf app and the consumer from the repository's sources (it needs a clone: its
// local AWS, Slack daemon and Terraform runner are files of the repository), so it always runs them
// through tsx; every other command uses the build.
const fromSource = process.argv[2] === 'sandbox' && existsSync(new URL('cli/main.ts', root));

let main;
if (!fromSource && buildIsCurrent()) {
  ({ main } = await import(built.href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(new URL('cli/main.ts', root).href));
}
process.exitCode = await main(process.argv);
