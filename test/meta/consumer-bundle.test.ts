import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { consumerBuildOptions } from '../../stacks/bundle/index.ts';

/**
 * What the Lambda bundle holds, read from esbuild's metafile of the real consumer build. The config
 * is validated at synth time, so the function needs neither the schema (zod) nor the YAML reader;
 * once a consumer module took a constant from `shared/index.ts` and, with the barrel's top-level
 * schema code kept, the bundle grew from about 170 KiB to 740 KiB and its import in a fresh process
 * from about 21 ms to 65 ms (`bench/coldstart.ts`).
 */

/** npm packages the function may carry: Powertools and what it loads, valibot, p-limit. */
const ALLOWED_PACKAGES = new Set([
  '@aws-lambda-powertools/batch',
  '@aws-lambda-powertools/commons',
  '@aws-lambda-powertools/logger',
  '@aws-lambda-powertools/metrics',
  '@aws/lambda-invoke-store',
  'p-limit',
  'valibot',
  'yocto-queue',
]);

/** Project files that are synth- or CLI-time only. */
const SYNTH_TIME_FILES = ['shared/config/schema.ts', 'shared/config/load.ts', 'shared/config/messages.ts'];

function packageOf(input: string): string | undefined {
  const at = input.lastIndexOf('node_modules/');
  if (at < 0) return undefined;
  const [scope = '', name = ''] = input.slice(at + 'node_modules/'.length).split('/');
  return scope.startsWith('@') ? `${scope}/${name}` : scope;
}

describe('the consumer Lambda bundle', () => {
  let inputs: string[];

  beforeAll(async () => {
    const result = await build({ ...consumerBuildOptions(), metafile: true });
    const outputs = Object.values((result.metafile as Metafile).outputs);
    expect(outputs).toHaveLength(1);
    inputs = Object.entries(outputs[0]?.inputs ?? {})
      .filter(([, use]) => use.bytesInOutput > 0)
      .map(([path]) => path);
  });

  it('carries only the packages the function runs with (no zod, yaml, commander, cdktf or AWS SDK)', () => {
    const packages = new Set(inputs.map(packageOf).filter((name) => name !== undefined));

    expect(packages.size).toBeGreaterThan(0);
    expect([...packages].filter((name) => !ALLOWED_PACKAGES.has(name)).sort()).toEqual([]);
  });

  it('leaves out the config schema, loader and messages', () => {
    const project = inputs.filter((path) => !path.includes('node_modules/'));

    expect(project.some((path) => path.endsWith('lambdas/bundle.ts'))).toBe(true);
    expect(project.filter((path) => SYNTH_TIME_FILES.some((file) => path.endsWith(file)))).toEqual([]);
  });
});
