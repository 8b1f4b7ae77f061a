import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HubConfig } from '../../shared/index.ts';
import {
  applyStacks,
  destroyStacks,
  localTargets,
  plannedChanges,
  stackOutputs,
  stateAddresses,
  synthesizeInto,
  terraformOrThrow,
  terraformRunner,
  warmPluginCache,
  type DeployableStack,
  type TerraformRunner,
} from '../../devkit/sandbox/index.ts';
import { awsClients, type AwsClients } from '../support/aws.ts';
import { stubConsumerBundle } from '../support/synth.ts';
import type { DeployedHub } from '../integration/harness.ts';

/**
 * A config's stacks synthesized into a folder of their own and applied with real Terraform to the
 * local AWS, as `cdktf deploy` would; and the hub as the integration harness sees it, read from what
 * Terraform created (outputs and `terraform show -json`), never from the synthesized JSON.
 */

/** Everything a deploy test holds. */
export interface TerraformDeployment {
  readonly config: HubConfig;
  readonly stacks: readonly DeployableStack[];
  readonly runner: TerraformRunner;
  readonly targets: ReturnType<typeof localTargets>;
  readonly workDir: string;
  apply(): Promise<void>;
  plannedChanges(): Promise<Record<string, string>>;
  destroy(): Promise<void>;
  /** The resources in each stack's state, by stack. */
  state(): Promise<Record<string, string[]>>;
  /** The hub read back from Terraform, for the harness's publish/consume helpers. */
  hub(): Promise<DeployedHub>;
  /** Deletes the work folder. */
  cleanUp(): void;
}

let warmed: Promise<void> | undefined;

/** Synthesizes `config` (stub consumer bundle: moto never runs the function) into a fresh folder. */
export function terraformDeployment(endpoint: string, config: HubConfig): TerraformDeployment {
  const workDir = mkdtempSync(join(tmpdir(), 'guardduty-hub-deploy-'));
  const stub = stubConsumerBundle();
  const stacks = synthesizeInto(workDir, config, { bundleConsumer: () => stub });
  const runner = terraformRunner();
  const targets = localTargets(endpoint, config.hub.region);
  const ready = () => (warmed ??= warmPluginCache(runner));
  return {
    config,
    stacks,
    runner,
    targets,
    workDir,
    apply: async () => {
      await ready();
      await applyStacks(stacks, runner, targets);
    },
    plannedChanges: () => plannedChanges(stacks, runner, targets),
    destroy: () => destroyStacks(stacks, runner, targets),
    state: async () =>
      Object.fromEntries(
        await Promise.all(
          stacks.map(async (s) => [s.name, await stateAddresses(s, runner, await targets(s.account))] as const),
        ),
      ),
    hub: () => hubFromTerraform(endpoint, config, stacks, runner, targets),
    cleanUp: () => rmSync(workDir, { recursive: true, force: true }),
  };
}

interface ShownResource {
  readonly type: string;
  readonly values: Record<string, unknown>;
}

async function hubFromTerraform(
  endpoint: string,
  config: HubConfig,
  stacks: readonly DeployableStack[],
  runner: TerraformRunner,
  targets: ReturnType<typeof localTargets>,
): Promise<DeployedHub> {
  const stack = stacks.find((s) => s.name === 'hub');
  if (stack === undefined) throw new Error('no hub stack');
  const target = await targets(stack.account);
  const outputs = await stackOutputs(stack, runner, target);
  const shown = JSON.parse((await terraformOrThrow(runner, target, 'hub', stack.dir, ['show', '-json'])).output) as {
    values: { root_module: { resources: ShownResource[] } };
  };
  const find = (type: string): Record<string, unknown> => {
    const found = shown.values.root_module.resources.find((r) => r.type === type);
    if (found === undefined) throw new Error(`terraform state of hub has no ${type}`);
    return found.values;
  };
  const mapping = find('aws_lambda_event_source_mapping');
  const fn = find('aws_lambda_function');
  const cache = new Map<string, AwsClients>();
  const clients = (region: string): AwsClients => {
    if (!cache.has(region)) cache.set(region, awsClients(endpoint, region, { accountId: config.hub.account }));
    return cache.get(region)!;
  };
  return {
    config,
    clients,
    hub: clients(config.hub.region),
    queue: { url: outputs.hub_queue_url!, arn: outputs.hub_queue_arn! },
    dlq: { url: outputs.dlq_url!, arn: outputs.dlq_arn! },
    mapping: {
      batchSize: Number(mapping.batch_size),
      maximumBatchingWindowSeconds: Number(mapping.maximum_batching_window_in_seconds ?? 0),
      reportBatchItemFailures: ((mapping.function_response_types as string[] | null) ?? []).includes(
        'ReportBatchItemFailures',
      ),
      functionTimeoutMs: Number(fn.timeout) * 1000,
    },
    environment: ((fn.environment as { variables?: Record<string, string> }[] | undefined)?.[0]?.variables ??
      {}) as Record<string, string>,
  };
}
