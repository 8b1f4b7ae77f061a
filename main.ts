// The cdktf app (cdktf.json: `npx tsx main.ts`). Config comes from HUB_CONFIG, else config/example.yml;
// an invalid config prints every problem and synthesizes nothing.
import { ConfigError, loadConfig } from './shared/index.ts';
import { ConsumerBundleError } from './scripts/build-consumer.ts';
import { buildApp } from './stacks/index.ts';

try {
  buildApp(loadConfig()).app.synth();
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof ConsumerBundleError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
