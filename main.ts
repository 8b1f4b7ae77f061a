// The cdktf app (cdktf.json: `npx tsx main.ts`). Config comes from HUB_CONFIG, else config/example.yml;
// an invalid config prints every problem and synthesizes nothing.
import { loadConfig } from './shared/index.ts';
import { reportSynthError } from './stacks/bundle/index.ts';
import { buildApp } from './stacks/index.ts';

try {
  buildApp(loadConfig()).app.synth();
} catch (error) {
  process.exitCode = reportSynthError(error, process.stderr);
}
