import { runProcess, type ProcessResult } from '../support/run-process.ts';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackSimulator, type SlackSimulator } from '../../devkit/slack/webhook-simulator.ts';

/**
 * A new user's first run, in a clone of this repository's committed tree (`git clone` of HEAD) in a
 * temporary folder, so without the `../shared` folder this checkout has beside it: the README's quick
 * start (`npm run synth`; `npm ci` is replaced by a link to this checkout's node_modules, and the
 * moto virtualenv of `.cache/` is linked likewise, so nothing is downloaded), then the README's
 * "Try it" commands on the shipped sample events (preview, and replay to a local Slack simulator in
 * place of the placeholder webhooks). Then the test files that need the events run in the clone:
 * only the public-fixture file skips, and no other test file reads from outside the clone.
 */

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const README = readFileSync(join(REPO, 'README.md'), 'utf8');
/** The one test file that replays the public fixtures of `../shared`, and may skip in a clone. */
const FIXTURE_REPLAY_FILE = 'test/consumer/fixtures.test.ts';

let parent: string;
let clone: string;
let slack: SlackSimulator;

/** The environment of a user's shell: none of the running test's vitest settings. */
function userEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith('VITEST') && name !== 'NODE_OPTIONS' && name !== 'TEST',
    ),
  );
}

/** Runs a shell command in the clone, `npx guardduty-hub` being the clone's bin. */
function sh(script: string, timeoutMs = 120_000): Promise<ProcessResult> {
  const bin = `"${process.execPath}" "${join(clone, 'bin', 'guardduty-hub.mjs')}"`;
  return runProcess('sh', ['-c', script.replaceAll('npx guardduty-hub', bin)], {
    cwd: clone,
    env: userEnv(),
    timeout: timeoutMs,
  });
}

/** The commands of the README block between `<!-- NAME:start -->` and `<!-- NAME:end -->`, continuation lines joined. */
function readmeCommands(name: string): string[] {
  const block = README.split(`<!-- ${name}:start -->`)[1]?.split(`<!-- ${name}:end -->`)[0];
  if (block === undefined) throw new Error(`README.md has no ${name} block`);
  const lines = block.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('```'));
  return lines
    .join('\n')
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, ''));
}

/** True when `path` is `folder` or in it. */
const inside = (folder: string, path: string): boolean => path === folder || path.startsWith(`${folder}/`);

/** The relative paths (`../…`) a source file names in string literals: its imports and the files it reads. */
function relativePaths(source: string): string[] {
  return [...source.matchAll(/['"`]((?:\.\.\/)+[^'"`$]*)['"`]/g)].map((match) => match[1]!);
}

beforeAll(async () => {
  parent = mkdtempSync(join(tmpdir(), 'guardduty-hub-clone-'));
  clone = join(parent, 'guardduty-hub');
  await run('git', ['clone', '--quiet', REPO, clone]);
  symlinkSync(join(REPO, 'node_modules'), join(clone, 'node_modules'));
  symlinkSync(join(REPO, '.cache'), join(clone, '.cache'));
  slack = await startSlackSimulator({ ratePerSecond: 50, burst: 10 });
}, 60_000);

afterAll(async () => {
  await slack?.close();
  rmSync(parent, { recursive: true, force: true });
});

describe('a fresh clone, without ../shared', () => {
  it('has no ../shared beside it', () => {
    expect(existsSync(join(clone, '..', 'shared'))).toBe(false);
  });

  it('runs the quick start: npm run synth synthesizes every stack of the example', { timeout: 120_000 }, async () => {
    const [install] = readmeCommands('quick-start');
    expect(install).toBe('npm ci && npm run synth');

    const synth = await sh('npm run synth');

    expect(synth.code, synth.stderr).toBe(0);
    expect(synth.stdout).toMatch(/Synthesized 5 stacks from config\/example\.yml/);
    expect(existsSync(join(clone, 'cdktf.out', 'stacks', 'hub', 'cdk.tf.json'))).toBe(true);
  });

  it("runs the README's preview and replay of the shipped sample events", { timeout: 120_000 }, async () => {
    const commands = readmeCommands('try-it');
    expect(commands.map((c) => c.split(' ').slice(0, 3).join(' '))).toEqual([
      'npx guardduty-hub preview',
      'npx guardduty-hub preview',
      'npx guardduty-hub replay',
    ]);
    const [preview, destinations, replay] = commands;

    const one = await sh(preview!);
    const where = await sh(destinations!);
    const local = replay!
      .replace('security=https://hooks.slack.com/services/…', `security=${slack.url('/services/T0/B0/security')}`)
      .replace('team-a=https://hooks.slack.com/services/…', `team-a=${slack.url('/services/T0/B0/team-a')}`);
    const replayed = await sh(`${local} --json`);

    expect(one.code, one.stderr).toBe(0);
    expect(JSON.parse(one.stdout)).toMatchObject({ text: expect.stringContaining('member1 (222222222222)') });
    expect(where.code, where.stderr).toBe(0);
    expect(replayed.code, replayed.stderr).toBe(0);
    const events = readdirSync(join(clone, 'examples', 'events')).length;
    expect(JSON.parse(replayed.stdout)).toMatchObject({ records: events, invalid: 0, deadLettered: 0 });
    expect(slack.accepted('/services/T0/B0/team-a')).toHaveLength(1);
  });

  it('skips nothing but the public-fixture replay, and no other test file reads outside the clone', {
    timeout: 180_000,
  }, async () => {
    const outside = readdirSync(join(clone, 'test'), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => join('test', file))
      .filter((file) =>
        relativePaths(readFileSync(join(clone, file), 'utf8')).some(
          (path) => !inside(clone, resolve(clone, dirname(file), path)),
        ),
      );
    expect(outside).toEqual([FIXTURE_REPLAY_FILE]);

    const files = [
      FIXTURE_REPLAY_FILE,
      'test/consumer/replay-sample-events.test.ts',
      'test/examples/sample-events.test.ts',
      'test/integration/sample-events.test.ts',
    ];
    const report = join(parent, 'vitest.json');
    const tests = await sh(`npx vitest run ${files.join(' ')} --reporter=json --outputFile=${report}`, 170_000);

    expect(tests.code, tests.stdout.slice(-2000) + tests.stderr.slice(-2000)).toBe(0);
    const results = (
      JSON.parse(readFileSync(report, 'utf8')) as {
        testResults: { name: string; assertionResults: { status: string }[] }[];
      }
    ).testResults;
    const statuses = Object.fromEntries(
      results.map((r) => [relative(clone, r.name), [...new Set(r.assertionResults.map((a) => a.status))].sort()]),
    );
    expect(statuses).toEqual({
      [FIXTURE_REPLAY_FILE]: ['skipped'],
      'test/consumer/replay-sample-events.test.ts': ['passed'],
      'test/examples/sample-events.test.ts': ['passed'],
      'test/integration/sample-events.test.ts': ['passed'],
    });
  });
});
