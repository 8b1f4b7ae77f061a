import { resolve } from 'node:path';
import { localTargets, terraformRunner } from './deploy.ts';
import { localAwsScript } from './localaws.ts';
import { stopSimulators } from './simulators.ts';
import { destroyStacks, type DeployableStack } from './stacks.ts';
import { removeSandboxState, type SandboxState } from './state.ts';

/** Destroys every stack `up` applied, then stops the simulators and the local AWS. */
export async function sandboxDown(dir: string, state: SandboxState, progress: (line: string) => void): Promise<void> {
  const work = resolve(dir);
  const runner = terraformRunner({
    onLine: (stack, line) => /Destroy complete|Destruction complete/.test(line) && progress(`${stack}: ${line}`),
  });
  const targets = localTargets(state.endpoint, state.region);
  for (const [account, keys] of Object.entries(state.credentials))
    targets.credentials.set(account, Promise.resolve(keys));
  const stacks: DeployableStack[] = state.stacks.map(({ name, resources }) => ({
    name,
    resources,
    dir: resolve(work, 'cdktf.out', 'stacks', name),
    account:
      name === 'org'
        ? (Object.keys(state.credentials).find((a) => a !== state.account) ?? state.account)
        : state.account,
  }));
  await destroyStacks(stacks, runner, targets);
  stopSimulators(work);
  await localAwsScript('stop', resolve(work, 'localaws'));
  removeSandboxState(work);
}
