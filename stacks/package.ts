import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HubConfig } from '../shared/index.ts';
import { BUNDLE_FILES, buildConsumerBundle, configDigest } from './bundle/index.ts';
import { buildApp as buildHubApp, type BuildAppOptions, type HubApp } from './app.ts';

/**
 * The public cdktf entry of the package, `guardduty-hub/stacks`: for a cdktf app of your own. It
 * exports the three stacks, the whole app, the config loader, and the consumer bundle the hub stack
 * needs. Everything else under `stacks/` is internal and may change.
 */

export { ConfigError, EXAMPLE_CONFIG_PATH, loadConfig, parseConfig, type HubConfig } from '../shared/index.ts';
export type { BuildAppOptions, HubApp } from './app.ts';
export { HubStack, type HubStackProps } from './hub/index.ts';
export { STACK_NAMES, regionStackName } from '../shared/names.ts';
export { OrgStack, type OrgStackProps } from './org/index.ts';
export { RegionStack, type RegionStackProps } from './region/index.ts';

/**
 * The prebuilt consumer code in the installed package (`dist/consumer/index.mjs`, beside this
 * entry's `dist/stacks/index.mjs`). Absent in a clone, which bundles from source instead.
 */
const PREBUILT_CONSUMER = fileURLToPath(new URL(`../consumer/${BUNDLE_FILES.code}`, import.meta.url));

/** Options of {@link writeConsumerBundle}. */
export interface ConsumerBundleOptions {
  /**
   * Folder to write `index.mjs` and `hub-config.json` to; created when missing. Default
   * `.gen/guardduty-hub/<config digest>` under the current directory (your cdktf app's folder).
   */
  readonly outDir?: string;
}

/**
 * Writes the consumer Lambda's bundle for a config: the code and, beside it, the validated config it
 * reads (`hub-config.json`). Returns the folder, which is what {@link HubStack} takes as
 * `consumerBundleDir`.
 */
export function writeConsumerBundle(config: HubConfig, options: ConsumerBundleOptions = {}): string {
  const outDir = options.outDir ?? join(process.cwd(), '.gen', 'guardduty-hub', configDigest(config));
  if (!existsSync(PREBUILT_CONSUMER)) return buildConsumerBundle({ config, outDir }).outDir;
  mkdirSync(outDir, { recursive: true });
  copyFileSync(PREBUILT_CONSUMER, join(outDir, BUNDLE_FILES.code));
  writeFileSync(join(outDir, BUNDLE_FILES.config), JSON.stringify(config));
  return outDir;
}

/**
 * Builds the whole hub as its own cdktf `App`: `hub`, one `region-<name>` per configured region, and
 * `org` in organization mode. The consumer bundle goes where {@link writeConsumerBundle} puts it
 * unless `options.bundleConsumer` says otherwise. To add the hub to an `App` you already have, create
 * the stacks yourself (see the README).
 */
export function buildApp(config: HubConfig, options: BuildAppOptions = {}): HubApp {
  return buildHubApp(config, { bundleConsumer: (bundled) => writeConsumerBundle(bundled), ...options });
}
