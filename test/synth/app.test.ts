import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConfig } from '../factories/config.ts';
import { buildConsumerBundle, consumerBundleDir } from '../../stacks/bundle/index.ts';
import { main, synthesize, type SynthesizedStack } from '../../scripts/synth.ts';
import { formatSummary } from '../../stacks/index.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Collects what is written to it. */
class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

let workDir: string;
beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'guardduty-hub-app-'));
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('synthesize (npm run synth), with the real consumer bundle', () => {
  const config = makeConfig();
  let stacks: SynthesizedStack[];
  let outdir: string;

  beforeAll(() => {
    outdir = join(workDir, 'cdktf.out');
    stacks = synthesize({ config, outdir });
  });

  it('writes stacks/<name>/cdk.tf.json for the hub and each region', () => {
    expect(stacks.map((stack) => stack.file)).toEqual(
      ['hub', 'region-us-east-1', 'region-us-west-1', 'region-us-west-2', 'region-eu-north-1'].map((name) =>
        join(outdir, 'stacks', name, 'cdk.tf.json'),
      ),
    );
    for (const stack of stacks) expect(existsSync(stack.file)).toBe(true);
  });

  it('archives the consumer bundle where the function expects it', () => {
    const hub = JSON.parse(readFileSync(join(outdir, 'stacks', 'hub', 'cdk.tf.json'), 'utf8'));
    const fn = Object.values(hub.resource.aws_lambda_function)[0] as { filename: string };

    expect(existsSync(join(outdir, 'stacks', 'hub', fn.filename))).toBe(true);
  });

  it('keeps local state when no state backend is configured', () => {
    const region = JSON.parse(readFileSync(join(outdir, 'stacks', 'region-us-east-1', 'cdk.tf.json'), 'utf8'));

    expect(Object.keys(region.terraform.backend)).toEqual(['local']);
  });

  it('summarizes each stack in one line', () => {
    const lines = stacks.map((stack) => formatSummary(stack.summary));

    // hub: the consumer and the drift check; regions: the forwarder and the tamper rule.
    expect(lines[0]).toMatch(
      /^hub: 1 bus, 1 rule, 1 rule target, 3 queues, 2 queue policies, .*2 functions, .*\(\d+ resources\)$/,
    );
    expect(lines[2]).toMatch(/^region-us-west-1: 2 rules, 2 rule targets, .*1 detector, 2 members/);
  });
});

describe('consumer bundle', () => {
  it('holds an ESM handler that leaves the AWS SDK to the Lambda runtime, beside the validated config', () => {
    // Arrange
    const config = makeConfig({ hub: { name: 'bundle-test' } });
    const outDir = join(workDir, 'bundle');

    // Act
    const bundle = buildConsumerBundle({ config, outDir });

    // Assert
    const code = readFileSync(join(outDir, 'index.mjs'), 'utf8');
    expect(code.startsWith('import { createRequire as __gdhCreateRequire }')).toBe(true);
    expect(code).toMatch(/export\s*\{[^}]*\bas handler\b[^}]*\}|export\s*\{[^}]*\bhandler\b[^}]*\}/);
    // The SDK stays external: it appears only as module specifiers, and none of its code (smithy) is inlined.
    const mentions = code.match(/@aws-sdk\//g)?.length ?? 0;
    const imports = code.match(/(import\s*\(\s*|from\s*)["']@aws-sdk\//g)?.length ?? 0;
    expect(imports).toBe(mentions);
    expect(code).not.toContain('@smithy/');
    expect(bundle.codeBytes).toBe(Buffer.byteLength(code));
    expect(JSON.parse(readFileSync(join(outDir, 'hub-config.json'), 'utf8'))).toEqual(config);
  });

  it('gives different configs different bundle folders under .gen', () => {
    const a = consumerBundleDir(makeConfig());
    const b = consumerBundleDir(makeConfig({ delivery: { batchSize: 50 } }));

    expect(a).not.toBe(b);
    expect(a.startsWith(join(REPO_ROOT, '.gen'))).toBe(true);
  });
});

/** A valid one-region config with `extra` YAML appended, written to `dir/name`. */
function yamlFile(dir: string, name: string, extra: string): string {
  const path = join(dir, name);
  const base =
    'hub: { account: "111111111111", region: us-west-2 }\nregions: [us-west-2]\ndefaults: { destination: security }\ndestinations:\n  security: { webhookSecret: hub/slack/security }\n';
  writeFileSync(path, base + extra);
  return path;
}

describe('config errors', () => {
  const invalidConfig = () => {
    const path = join(workDir, 'invalid.yml');
    writeFileSync(path, 'hub:\n  account: "123"\n  region: us-west-2\nregions: [us-west-2]\n');
    return path;
  };

  it('npm run synth prints every problem, exits 2 as the CLI does, and synthesizes nothing', () => {
    const stdout = new Capture();
    const stderr = new Capture();
    const outdir = join(workDir, 'not-written');

    const code = main({ env: { HUB_CONFIG: invalidConfig() }, outdir, stdout, stderr });

    expect(code).toBe(2);
    expect(stderr.text).toContain('hub.account: must be a 12-digit AWS account id');
    expect(stderr.text).toContain('destinations: is required');
    expect(stdout.text).toBe('');
    expect(existsSync(outdir)).toBe(false);
  });

  /** Configs a new user writes by mistake: each must be one line with its key path, exit 2, nothing synthesized. */
  const MISTAKES: readonly { name: string; write: (dir: string) => string; line: string }[] = [
    {
      name: 'an accounts entry under an invalid id, with an unknown destination',
      write: (dir) =>
        yamlFile(
          dir,
          'short-id.yml',
          'accounts:\n  "31098765432": { name: x, email: aws+x@example.com, destination: nowhere }\n',
        ),
      line: '  - accounts.31098765432.destination: names destination "nowhere", which is not under destinations (known: security)',
    },
    {
      name: 'two identical suppress rules at: source',
      write: (dir) =>
        yamlFile(
          dir,
          'twice.yml',
          'suppress:\n  - { type: "Recon:EC2/Portscan", at: source }\n  - { type: "Recon:EC2/Portscan", at: source }\n',
        ),
      line: '  - suppress[1]: is the same rule as suppress[0] (both at: source, so one GuardDuty filter): remove one of the two',
    },
    {
      name: 'a folder as the config path',
      write: (dir) => dir,
      line: '  - cannot read the file: it is a folder: name the YAML file itself (for example hub.yml in it)',
    },
  ];

  it.each(MISTAKES)(
    'npm run synth: $name is one line with its key path, exit 2, nothing synthesized',
    ({ write, line }) => {
      const stdout = new Capture();
      const stderr = new Capture();
      const outdir = join(workDir, 'mistake-out');

      const code = main({ env: { HUB_CONFIG: write(mkdtempSync(join(workDir, 'mistake-'))) }, outdir, stdout, stderr });

      expect(code).toBe(2);
      expect(stderr.text.split('\n')).toContain(line);
      expect(stderr.text).not.toMatch(/\bat .*\.(ts|js):\d+/);
      expect(stdout.text).toBe('');
      expect(existsSync(outdir)).toBe(false);
    },
  );

  it('the cdktf app (main.ts) exits 2 with the message and writes no stacks', () => {
    const outdir = join(workDir, 'cdktf-app-out');
    let failure: { status: number; stderr: string } | undefined;

    try {
      execFileSync(process.execPath, ['--import', 'tsx', 'main.ts'], {
        cwd: REPO_ROOT,
        env: { ...process.env, HUB_CONFIG: invalidConfig(), CDKTF_OUTDIR: outdir },
        stdio: 'pipe',
      });
    } catch (error) {
      failure = { status: (error as { status: number }).status, stderr: String((error as { stderr: Buffer }).stderr) };
    }

    expect(failure?.status).toBe(2);
    expect(failure?.stderr).toContain('Invalid config');
    expect(existsSync(outdir) && readdirSync(outdir).length > 0).toBe(false);
  });
});
