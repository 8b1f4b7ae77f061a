import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { SANDBOX_NEEDS_CLONE } from '../../cli/commands/sandbox-unavailable.ts';
import { makeFindingEvent } from '../factories/index.ts';
import { webhookPath } from '../support/consumer-harness.ts';
import { startSlackSimulator, type SlackSimulator } from '../../devkit/slack/webhook-simulator.ts';
import { REPO_ROOT, installOffline, installedFiles, packInto, runIn } from './installed.ts';

// The package as published: `npm pack` (prepack builds dist/), installed offline into an empty
// folder that holds nothing of the repository, and run from there.

let work: string;
let app: string;
let files: string[];
const bin = () => join(app, 'node_modules', '.bin', 'guardduty-hub');

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'guardduty-hub-pack-'));
  app = join(work, 'app');
  mkdirSync(app);
  await installOffline(await packInto(work), app);
  files = installedFiles(app);
}, 180_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('holds the built JavaScript, declarations and the example config, and no TypeScript source', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'bin/guardduty-hub.mjs',
        'dist/cli/main.mjs',
        'dist/stacks/index.mjs',
        'dist/consumer/index.mjs',
        'dist/types/stacks/package.d.ts',
        'config/example.yml',
        'README.md',
      ]),
    );
    expect(files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
  });

  it('is publishable: not private, with exports and types', () => {
    const manifest = JSON.parse(
      readFileSync(join(app, 'node_modules', 'guardduty-hub', 'package.json'), 'utf8'),
    ) as Record<string, unknown>;

    expect(manifest.private).toBeUndefined();
    expect(manifest.exports).toMatchObject({
      './stacks': { types: './dist/types/stacks/package.d.ts', import: './dist/stacks/index.mjs' },
    });
  });

  it('runs guardduty-hub --help from the install', async () => {
    const result = await runIn(app, bin(), ['--help']);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: guardduty-hub [options] [command]');
    for (const command of ['status', 'preview', 'dlq', 'secrets', 'smoke', 'replay'])
      expect(result.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  });

  it.each([{ args: ['sandbox', 'up'] }, { args: ['sandbox', 'publish', 'events/'] }, { args: ['sandbox'] }])(
    '$args says in one line that the sandbox runs from a clone, and how (exit 2, no stack trace)',
    async ({ args }) => {
      const result = await runIn(app, bin(), args);

      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(`guardduty-hub: ${SANDBOX_NEEDS_CLONE}\n`);
    },
  );

  it('previews an event file with the example config it ships, as JSON and as HTML', async () => {
    const event = makeFindingEvent();
    writeFileSync(join(app, 'finding.json'), JSON.stringify(event));

    const json = await runIn(app, bin(), ['preview', 'finding.json']);
    const html = await runIn(app, bin(), ['preview', '--html', 'preview.html', 'finding.json']);

    expect(json.code).toBe(0);
    expect(json.stderr).toContain('→ security (single, 1 finding)');
    expect((JSON.parse(json.stdout) as { text: string }).text).toContain(event.detail.title);
    expect(html.code).toBe(0);
    expect(readFileSync(join(app, 'preview.html'), 'utf8')).toContain(event.detail.id);
  });
});

describe('replay from the install', () => {
  let simulator: SlackSimulator;
  beforeAll(async () => {
    simulator = await startSlackSimulator({ ratePerSecond: 50, burst: 10 });
  });
  afterAll(async () => {
    await simulator.close();
  });

  it('delivers the events of a file to a local webhook and prints the JSON summary', async () => {
    writeHubConfig();
    writeFileSync(
      join(app, 'events.ndjson'),
      [makeFindingEvent(), makeFindingEvent()].map((e) => JSON.stringify(e)).join('\n'),
    );

    const result = await runIn(app, bin(), [
      'replay',
      '--config',
      'hub.yml',
      '--webhook',
      `security=${simulator.url(webhookPath('security'))}`,
      '--json',
      'events.ndjson',
    ]);

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ records: 2, delivered: 2, deadLettered: 0, slackMessages: 2 });
    expect(simulator.accepted(webhookPath('security'))).toHaveLength(2);
  });

  it('dead-letters a finding Slack refuses even as plain text at its first receive, with the reason, and delivers the rest', async () => {
    // The built CLI loads the AWS SDK's SQS commands with import(); a bundle that lost their names
    // handed such a record back on every receive until the queue moved it without a reason.
    writeHubConfig();
    const events = Array.from({ length: 8 }, () => makeFindingEvent());
    writeFileSync(join(app, 'refused.ndjson'), events.map((e) => JSON.stringify(e)).join('\n'));
    const path = '/services/T0HUB/B0REFUSES/secret-refuses';
    simulator.setBehaviour(path, { refuseContaining: events[3]!.detail.id, refuseBody: 'invalid_blocks' });

    const result = await runIn(app, bin(), [
      'replay',
      '--config',
      'hub.yml',
      '--webhook',
      `security=${simulator.url(path)}`,
      '--batch-size',
      '8',
      '--json',
      'refused.ndjson',
    ]);

    expect(JSON.parse(result.stdout)).toMatchObject({
      records: 8,
      batches: 1,
      delivered: 7,
      deadLettered: 1,
      deadLetteredSources: ['refused.ndjson:4'],
      deadLetteredReasons: ['security: Slack answered 400 invalid_blocks, even as plain text'],
    });
    expect(result.code).toBe(1);
  });
});

describe('guardduty-hub/stacks from the install', () => {
  // Two full type-checks of cdktf's declarations (no skipLibCheck) and a synth: over a minute on a busy 2-core machine.
  it('adds the hub to a cdktf app of your own, type-checked against the shipped declarations', {
    timeout: 180_000,
  }, async () => {
    // The app brings cdktf itself (optional peer dependencies): the repository's copies stand in.
    for (const name of ['cdktf', 'constructs', '@cdktf/provider-aws']) {
      mkdirSync(join(app, 'node_modules', name, '..'), { recursive: true });
      symlinkSync(join(REPO_ROOT, 'node_modules', name), join(app, 'node_modules', name));
    }
    writeHubConfig();
    writeFileSync(join(app, 'main.ts'), readmeExample());
    // As the README says: NodeNext or Bundler module resolution, and @types/node.
    mkdirSync(join(app, 'node_modules', '@types'), { recursive: true });
    symlinkSync(join(REPO_ROOT, 'node_modules', '@types', 'node'), join(app, 'node_modules', '@types', 'node'));
    const tsconfig = (module: string, moduleResolution: string) => ({
      compilerOptions: { module, moduleResolution, target: 'ES2022', strict: true, noEmit: true, types: ['node'] },
      files: ['main.ts'],
    });
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(tsconfig('NodeNext', 'NodeNext')));
    writeFileSync(join(app, 'tsconfig.bundler.json'), JSON.stringify(tsconfig('ESNext', 'Bundler')));
    const tsc = (project: string) =>
      runIn(app, process.execPath, [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project]);

    const [types, bundler] = await Promise.all([tsc('tsconfig.json'), tsc('tsconfig.bundler.json')]);
    const synth = await runIn(
      app,
      process.execPath,
      [join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'main.ts'],
      { CHECKPOINT_DISABLE: '1' },
    );

    expect(types.stdout + types.stderr).toBe('');
    expect(bundler.stdout + bundler.stderr).toBe('');
    expect(synth.stderr).toBe('');
    const hub = JSON.parse(readFileSync(join(app, 'cdktf.out', 'stacks', 'hub', 'cdk.tf.json'), 'utf8')) as {
      resource: Record<string, unknown>;
    };
    expect(Object.keys(hub.resource)).toEqual(expect.arrayContaining(['aws_lambda_function', 'aws_sqs_queue']));
    const [bundle] = readdirSync(join(app, '.gen', 'guardduty-hub'));
    expect(readdirSync(join(app, '.gen', 'guardduty-hub', bundle!)).sort()).toEqual(['hub-config.json', 'index.mjs']);
  });
});

/** `hub.yml` in the app folder: one region, one destination, a fast Slack rate. */
function writeHubConfig(): void {
  const config = {
    hub: { account: '111111111111', region: 'us-west-2' },
    regions: ['us-west-2'],
    defaults: { destination: 'security' },
    accounts: { '222222222222': { name: 'member1', email: 'member1@example.com' } },
    destinations: { security: { webhookSecret: 'hub/slack/security' } },
    delivery: { messagesPerSecond: 50, burst: 10 },
  };
  writeFileSync(join(app, 'hub.yml'), stringify(config));
}

/** The README's "Add the hub to your own cdktf app" example, exactly as the README shows it. */
function readmeExample(): string {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const example = /<!-- stacks-example:start -->\n```ts\n([\s\S]*?)```\n<!-- stacks-example:end -->/.exec(readme);
  if (!example) throw new Error('README.md has no stacks-example block');
  return example[1]!;
}
