import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';

// `guardduty-hub sandbox` end to end, as a user runs it: up (its own local AWS and Slack, every
// stack applied with Terraform), publish of a public GuardDuty event in a member region (and the same
// event as the member account's, routed to a Slack app destination with triage buttons), clicks on
// that parent's buttons, up again (nothing changes), down. Runs the real CLI in a child process with a
// sandbox folder of its own.

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/guardduty-hub.mjs', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../../../shared/fixtures/public/Backdoor_EC2_CandCActivity.B_DNS.json', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'guardduty-hub-sandbox-'));
const configFile = join(dir, 'hub.yml');
const ALLOWED = 'U0SANDBOX1';
const STRANGER = 'U0STRANGER';
writeFileSync(
  configFile,
  `hub: { account: "111111111111", region: us-west-2, name: sandbox-hub }
regions: [us-east-1, us-west-2]
guardduty: { mode: invitation }
defaults: { destination: security, minSeverity: medium }
accounts:
  "222222222222": { name: member1, email: aws+member1@example.com, destination: secops }
destinations:
  security: { webhookSecret: sandbox-hub/slack/security }
  team-a: { webhookSecret: sandbox-hub/slack/team-a }
  secops: { app: { botTokenSecret: sandbox-hub/slack/secops-bot, channel: C0SANDBOX1 } }
triage:
  signingSecret: sandbox-hub/slack/signing
  allow: { acknowledge: [${ALLOWED}], archive: [${ALLOWED}], unarchive: [${ALLOWED}] }
`,
);
// The public event as the member account's own finding (another id), which routes to the app destination.
const MEMBER_FINDING = '0123456789abcdef0123456789abcdef';
const memberFixture = join(dir, 'member-finding.json');
// The flow publishes a public event, read from ../shared as every fixture test does; a clone without it
// says so and skips the flow (the usage tests still run).
const fixtureAvailable = existsSync(FIXTURE);
if (!fixtureAvailable) console.warn(`sandbox.test.ts: the up → publish → click → down flow is skipped: public fixture not found at ${FIXTURE}`);
if (fixtureAvailable) {
  const publicEvent = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { account: string; detail: Record<string, unknown> };
  writeFileSync(memberFixture, JSON.stringify({ ...publicEvent, account: '222222222222', detail: { ...publicEvent.detail, accountId: '222222222222', id: MEMBER_FINDING } }));
}

interface ClickReport {
  result: string;
  findingId: string;
  user: string;
  front: { status: number; ms: number };
  parent: { text: string; status?: string; edits: number };
  reply?: string;
  ephemeral?: string;
  archived?: boolean;
}

async function cli(args: readonly string[], env: NodeJS.ProcessEnv = process.env, sandboxDir: string = dir): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, 'sandbox', ...args, '--dir', sandboxDir], { env, timeout: 8 * 60_000, maxBuffer: 16 * 1024 * 1024 });
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

  describe('click without what it needs exits 2 and names the fix', () => {
    // A recorded sandbox whose services are not running: click must stop before it reaches them.
    const fake = mkdtempSync(join(tmpdir(), 'guardduty-hub-sandbox-click-'));
    afterAll(() => rmSync(fake, { recursive: true, force: true }));
    const record = (config: string): void => {
      writeFileSync(join(fake, 'hub.yml'), config);
      const slack = { url: 'http://127.0.0.1:9', apiUrl: 'http://127.0.0.1:9/api', pid: 0, webhooks: {}, channels: { secops: 'C0SANDBOX1' } };
      const state = { endpoint: 'http://127.0.0.1:9', account: '111111111111', region: 'us-west-2', configPath: join(fake, 'hub.yml'), credentials: {}, slack, stacks: [] };
      writeFileSync(join(fake, 'sandbox.json'), JSON.stringify(state));
    };

    test('an unknown action', async () => {
      const result = await cli(['click', 'delete'], process.env, fake);

      expect(result.code).toBe(2);
      expect(result.stderr).toContain('unknown action delete: use one of acknowledge, archive, unarchive, suppress');
    });

    test('no sandbox', async () => {
      const result = await cli(['click', 'archive'], process.env, join(fake, 'none'));

      expect(result.code).toBe(2);
      expect(result.stderr).toContain("run 'guardduty-hub sandbox up' first");
    });

    test('a config without triage:', async () => {
      record(readFileSync(configFile, 'utf8').replace(/^triage:[\s\S]*$/m, ''));

      const result = await cli(['click', 'archive'], process.env, fake);

      expect(result.code).toBe(2);
      expect(result.stderr).toContain('has no triage: section: add triage: { signingSecret, allow }');
    });

    test('no parent with buttons yet', async () => {
      record(readFileSync(configFile, 'utf8'));

      const result = await cli(['click', 'archive'], process.env, fake);

      expect(result.code).toBe(2);
      expect(result.stderr).toContain("run 'guardduty-hub sandbox publish' with a finding routed to an app destination first");
    });
  });

  test.skipIf(!fixtureAvailable)('up applies every stack, publish brings a public finding from a member region to Slack, clicks triage it, up again changes nothing, down removes it all', { timeout: 15 * 60_000 }, async () => {
    const up = await cli(['up', '--config', configFile, '--json']);
    expect(up.code, up.stderr).toBe(0);
    const state = JSON.parse(up.stdout) as { endpoint: string; account: string; region: string; slack: { url: string }; stacks: { name: string; resources: number }[] };
    expect(state).toMatchObject({ account: '111111111111', region: 'us-west-2' });
    expect(state.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(state.stacks.map((s) => s.name)).toEqual(['hub', 'region-us-east-1', 'region-us-west-2']);
    expect(state.stacks.every((s) => s.resources > 0)).toBe(true);

    const published = await cli(['publish', FIXTURE, memberFixture, '--json']);
    expect(published.code, published.stderr).toBe(0);
    const report = JSON.parse(published.stdout) as {
      published: Record<string, number>;
      received: Record<string, string[]>;
      channels: Record<string, { channel: string; parents: { text: string }[] }>;
    };
    expect(report.published).toEqual({ 'us-east-1': 2 });
    expect(report.received.security).toHaveLength(1);
    expect(report.channels.secops).toMatchObject({ channel: 'C0SANDBOX1', parents: [{}] });
    const raw = (JSON.parse(readFileSync(join(dir, 'slack-received.json'), 'utf8')) as { raw: string }[]).map((r) => r.raw).join('\n');
    expect(raw).toContain('b4b01b60fc24a199139f8f5f490edd81');
    expect(raw).not.toContain(MEMBER_FINDING);

    const archive = await cli(['click', 'archive', '--json']);
    expect(archive.code, archive.stderr).toBe(0);
    const archived = JSON.parse(archive.stdout) as ClickReport;
    expect(archived).toMatchObject({ result: 'done', findingId: MEMBER_FINDING, user: ALLOWED, front: { status: 200 }, archived: true });
    expect(archived.parent.status).toMatch(new RegExp(`^Archived by <@${ALLOWED}> at `));
    expect(archived.reply).toContain('Archived');
    expect(archived.front.ms).toBeLessThan(3000);

    const again = await cli(['click', 'archive', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ result: 'already-done', archived: true, parent: { status: archived.parent.status } });

    const refused = await cli(['click', 'unarchive', '--user', STRANGER, '--json']);
    expect(refused.code, refused.stdout).toBe(1);
    const refusal = JSON.parse(refused.stdout) as ClickReport;
    expect(refusal).toMatchObject({ result: 'refused', user: STRANGER, archived: true, parent: { status: archived.parent.status, edits: JSON.parse(again.stdout).parent.edits } });
    expect(refusal.ephemeral).toContain('not allowed');
    expect(refusal.reply).toBeUndefined();

    const upAgain = await cli(['up', '--config', configFile, '--json']);
    expect(upAgain.code, upAgain.stderr).toBe(0);
    expect(JSON.parse(upAgain.stdout)).toMatchObject({ endpoint: state.endpoint, slack: { url: state.slack.url } });
    expect(upAgain.stderr).not.toMatch(/Creation complete|Modifications complete/);

    const down = await cli(['down']);
    expect(down.code, down.stderr).toBe(0);
    expect(existsSync(join(dir, 'sandbox.json'))).toBe(false);
    await expect(fetch(`${state.endpoint}/moto-api/data.json`)).rejects.toThrow();
  });
});
