import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';

// `guardduty-hub sandbox` end to end, as a user runs it: up (its own local AWS and Slack, every
// stack applied with Terraform), publish of a public GuardDuty event in a member region, up again
// (nothing changes), down. Runs the real CLI in a child process with a sandbox folder of its own.

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/guardduty-hub.mjs', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../../../shared/fixtures/public/Backdoor_EC2_CandCActivity.B_DNS.json', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'guardduty-hub-sandbox-'));
const configFile = join(dir, 'hub.yml');
writeFileSync(
  configFile,
  `hub: { account: "111111111111", region: us-west-2, name: sandbox-hub }
regions: [us-east-1, us-west-2]
guardduty: { mode: invitation }
defaults: { destination: security, minSeverity: medium }
accounts:
  "222222222222": { name: member1, email: aws+member1@example.com, destination: team-a }
destinations:
  security: { webhookSecret: sandbox-hub/slack/security }
  team-a: { webhookSecret: sandbox-hub/slack/team-a }
`,
);

async function cli(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, 'sandbox', ...args, '--dir', dir], { env, timeout: 8 * 60_000, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failure.code === 'number' ? failure.code : 1, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}

afterAll(async () => {
  // Whatever happened, leave no local AWS or simulator running.
  if (existsSync(join(dir, 'sandbox.json'))) await cli(['down']);
  rmSync(dir, { recursive: true, force: true });
});

describe('guardduty-hub sandbox', () => {
  test('without terraform on PATH, up says what to install and exits 2', async () => {
    const result = await cli(['up', '--config', configFile], { ...process.env, PATH: '/nonexistent' });

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('terraform is not on PATH: install Terraform');
  });

  test('up applies every stack, publish brings a public finding from a member region to Slack, up again changes nothing, down removes it all', { timeout: 15 * 60_000 }, async () => {
    const up = await cli(['up', '--config', configFile, '--json']);
    expect(up.code, up.stderr).toBe(0);
    const state = JSON.parse(up.stdout) as { endpoint: string; account: string; region: string; slack: { url: string }; stacks: { name: string; resources: number }[] };
    expect(state).toMatchObject({ account: '111111111111', region: 'us-west-2' });
    expect(state.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(state.stacks.map((s) => s.name)).toEqual(['hub', 'region-us-east-1', 'region-us-west-2']);
    expect(state.stacks.every((s) => s.resources > 0)).toBe(true);

    const published = await cli(['publish', FIXTURE, '--json']);
    expect(published.code, published.stderr).toBe(0);
    const report = JSON.parse(published.stdout) as { published: Record<string, number>; received: Record<string, string[]> };
    expect(report.published).toEqual({ 'us-east-1': 1 });
    expect(report.received.security).toHaveLength(1);
    const raw = (JSON.parse(readFileSync(join(dir, 'slack-received.json'), 'utf8')) as { raw: string }[]).map((r) => r.raw).join('\n');
    expect(raw).toContain('b4b01b60fc24a199139f8f5f490edd81');

    const again = await cli(['up', '--config', configFile, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ endpoint: state.endpoint, slack: { url: state.slack.url } });
    expect(again.stderr).not.toMatch(/Creation complete|Modifications complete/);

    const down = await cli(['down']);
    expect(down.code, down.stderr).toBe(0);
    expect(existsSync(join(dir, 'sandbox.json'))).toBe(false);
    await expect(fetch(`${state.endpoint}/moto-api/data.json`)).rejects.toThrow();
  });
});
