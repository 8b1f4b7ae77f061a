import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { vi } from 'vitest';
import { BUNDLE_FILES, REPO_ROOT, buildConsumerBundle } from '../../stacks/bundle/index.ts';
import type { HubConfig } from '../../shared/index.ts';
import { FAKE_CREDENTIALS } from './aws.ts';

/**
 * The built consumer bundle (esbuild output and hub-config.json in a temp folder), imported as the
 * Lambda runtime would, with its environment stubbed: SDK clients pointed at `endpoint` (moto) in
 * `region` with fake credentials, plus `env`. `close()` restores the environment and removes the folder.
 */
export async function importLambdaBundle<T>(
  config: HubConfig,
  options: { readonly endpoint: string; readonly region: string; readonly env: Readonly<Record<string, string>> },
): Promise<{ readonly module: T; close(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'consumer-bundle-'));
  buildConsumerBundle({ config, outDir: dir });
  // The Lambda runtime provides the AWS SDK, which the bundle leaves out; here it comes from the repo.
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const env = {
    AWS_ENDPOINT_URL: options.endpoint,
    AWS_REGION: options.region,
    AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
    ...options.env,
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  const module = (await import(/* @vite-ignore */ pathToFileURL(join(dir, BUNDLE_FILES.code)).href)) as T;
  return {
    module,
    close() {
      vi.unstubAllEnvs();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
