import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * True when the module at `moduleUrl` (its `import.meta.url`) is the script Node was started with
 * (`tsx scripts/synth.ts`), false when another module imports it.
 */
export function isEntryPoint(moduleUrl: string, argv: readonly string[] = process.argv): boolean {
  return argv[1] !== undefined && moduleUrl === pathToFileURL(resolve(argv[1])).href;
}
