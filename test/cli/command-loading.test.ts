import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../../scripts/build-cli.ts';

// What each command of the built CLI loads before it runs: its chunk and every chunk that chunk
// imports statically (esbuild's metafile; `import()` loads later, on demand). Loading the AWS SDK
// cost `replay` about 200 ms of CPU before it read an event, and `preview` never calls AWS.

let metafile: Metafile;
let outDir: string;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'guardduty-hub-cli-build-'));
  ({ metafile } = await buildCli(outDir));
}, 60_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** The npm packages in the chunks that load with the command of `entry` (`cli/commands/replay.ts`). */
function packagesLoadedBy(entry: string): Set<string> {
  const outputs = metafile.outputs;
  const start = Object.keys(outputs).find((path) => outputs[path]!.entryPoint === entry);
  if (start === undefined) throw new Error(`no chunk has the entry point ${entry}`);
  const seen = new Set<string>();
  const pending = [start];
  while (pending.length > 0) {
    const path = pending.pop()!;
    if (seen.has(path)) continue;
    seen.add(path);
    for (const imported of outputs[path]!.imports)
      if (imported.kind === 'import-statement' && !imported.external) pending.push(imported.path);
  }
  const packages = new Set<string>();
  for (const path of seen) {
    for (const input of Object.keys(outputs[path]!.inputs)) {
      const name = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1];
      if (name !== undefined) packages.add(name);
    }
  }
  return packages;
}

const awsSdk = (packages: Set<string>) => [...packages].filter((name) => name.startsWith('@aws-sdk/')).sort();

describe('what a command of the built CLI loads before it runs', () => {
  it('replay and preview load no AWS SDK (replay loads Secrets Manager only to read a secret)', () => {
    expect(awsSdk(packagesLoadedBy('cli/commands/replay.ts'))).toEqual([]);
    expect(awsSdk(packagesLoadedBy('cli/commands/preview.ts'))).toEqual([]);
  });

  it('sees the SDK where a command does load it', () => {
    expect(awsSdk(packagesLoadedBy('cli/commands/status.ts'))).toEqual(
      expect.arrayContaining([
        '@aws-sdk/client-cloudwatch',
        '@aws-sdk/client-guardduty',
        '@aws-sdk/client-lambda',
        '@aws-sdk/client-sqs',
      ]),
    );
    expect(packagesLoadedBy('cli/commands/replay.ts')).toContain('yaml');
  });
});

describe('what a dynamic import() gives in the built CLI', () => {
  it('names the exports of a CommonJS package, as Node does (esbuild splitting alone gives only default)', async () => {
    const outputs = metafile.outputs;
    const loadedLater = new Set(
      Object.values(outputs).flatMap((output) =>
        output.imports.filter((i) => i.kind === 'dynamic-import' && !i.external).map((i) => i.path),
      ),
    );
    const sqs = [...loadedLater].find((path) => outputs[path]!.exports.includes('SendMessageBatchCommand'));

    for (const path of loadedLater) expect(outputs[path]!.exports, path).not.toEqual(['default']);
    expect(sqs).toBeDefined();
    const client = (await import(join(process.cwd(), sqs!))) as Record<string, unknown>;
    expect(typeof client.SendMessageBatchCommand).toBe('function');
    expect(typeof client.ChangeMessageVisibilityCommand).toBe('function');
  });
});
