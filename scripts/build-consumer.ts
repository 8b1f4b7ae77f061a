import { join, relative } from 'node:path';
import { loadConfig } from '../shared/index.ts';
import { BUNDLE_FILES, GEN_DIR, buildConsumerBundle, reportSynthError } from '../stacks/bundle/index.ts';
import { isEntryPoint } from './entry.ts';

/**
 * `npm run build:consumer`: bundles the consumer Lambda into `.gen/consumer/` and says how big it is.
 * The bundling itself lives in `stacks/bundle/` (the stacks need it too).
 */

// Re-exported so that imports of this file from before the move keep working.
export * from '../stacks/bundle/index.ts';

function runAsScript(): number {
  try {
    const config = loadConfig();
    const outDir = join(GEN_DIR, 'consumer');
    const bundle = buildConsumerBundle({ config, outDir, fresh: true });
    const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
    process.stdout.write(
      `consumer bundle: ${relative(process.cwd(), join(outDir, BUNDLE_FILES.code))} (${kib(bundle.codeBytes)}), ` +
        `${relative(process.cwd(), join(outDir, BUNDLE_FILES.config))} (${kib(bundle.configBytes)})\n`,
    );
    return 0;
  } catch (error) {
    return reportSynthError(error, process.stderr);
  }
}

if (isEntryPoint(import.meta.url)) {
  process.exitCode = runAsScript();
}
