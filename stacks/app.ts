import { App, type TerraformStack } from 'cdktf';
import type { HubConfig } from '../shared/index.ts';
import { buildConsumerBundle, consumerBundleDir } from './bundle/index.ts';
import { HubStack } from './hub/index.ts';
import { STACK_NAMES, regionStackName } from '../shared/names.ts';
import { OrgStack } from './org/index.ts';
import { RegionStack } from './region/index.ts';

/** Options of {@link buildApp}. */
export interface BuildAppOptions {
  /** Where `app.synth()` writes (`cdktf.out` by default, as cdktf.json expects). */
  readonly outdir?: string;
  /**
   * Bundles the consumer for a config and returns the bundle folder. Default: esbuild into
   * `.gen/consumer-bundles/<config digest>` (once per process; see `stacks/bundle/`).
   */
  readonly bundleConsumer?: (config: HubConfig) => string;
  /** Record a stack trace per construct (slow for large apps). Default false. */
  readonly stackTraces?: boolean;
}

/** The app and its stacks by name. */
export interface HubApp {
  readonly app: App;
  /** Every stack by its name: `hub`, `region-<region>`, `org`. */
  readonly stacks: ReadonlyMap<string, TerraformStack>;
}

/** The default: bundle into `.gen/`, one folder per config. */
export function bundleConsumerIntoGen(config: HubConfig): string {
  return buildConsumerBundle({ config, outDir: consumerBundleDir(config) }).outDir;
}

/**
 * Builds the whole app from a validated config: `hub`, one `region-<name>` per configured region,
 * and `org` in organization mode. Nothing is written until `app.synth()`, except the consumer bundle.
 */
export function buildApp(config: HubConfig, options: BuildAppOptions = {}): HubApp {
  const app = new App({
    ...(options.outdir === undefined ? {} : { outdir: options.outdir }),
    stackTraces: options.stackTraces ?? false,
  });
  const stacks = new Map<string, TerraformStack>();
  const bundleDir = (options.bundleConsumer ?? bundleConsumerIntoGen)(config);

  stacks.set(STACK_NAMES.hub, new HubStack(app, { config, consumerBundleDir: bundleDir, stackName: STACK_NAMES.hub }));
  for (const region of config.regions) {
    const stackName = regionStackName(region);
    stacks.set(stackName, new RegionStack(app, { config, region, stackName }));
  }
  if (config.guardduty.mode === 'organization') {
    stacks.set(STACK_NAMES.org, new OrgStack(app, { config, stackName: STACK_NAMES.org }));
  }
  return { app, stacks };
}
