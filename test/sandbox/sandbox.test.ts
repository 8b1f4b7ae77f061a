import { runProcess, type ProcessResult } from '../support/run-process.ts';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import type { ValidateFunction } from 'ajv';
import { parseRecord } from '../../core/kinds/index.ts';
import { localAwsScript } from '../../devkit/sandbox/index.ts';
import {
  SANDBOX_ROUTING_KEY,
  pagerDutyRequests,
  sandboxWorkflowPath,
  teamsRequests,
} from '../../devkit/sandbox/pagerduty-teams.ts';
import { stopSimulators } from '../../devkit/sandbox/simulators.ts';
import { dedupKeyOf, type TeamsPayload } from '../../lambdas/consumer/index.ts';
import { adaptiveCardValidator } from '../support/adaptive-card-schema.ts';
import { cardTexts, expectValidMessage } from '../consumer/teams/card-support.ts';
import { SAMPLE_MEMBER_FINDING_ID } from '../factories/index.ts';
import type { StatusReport } from '../../cli/commands/status/index.ts';
import { makeDriftByHand } from './drift-by-hand.ts';

// `guardduty-hub sandbox` end to end, as a user runs it from docs/sandbox.md: the walkthrough's commands as
// written (up with examples/sandbox.yml, publish of the shipped sample events, click), what the Slack,
// PagerDuty and Teams simulators received, the click example's output, the operator commands after
// `eval "$(npx guardduty-hub sandbox env)"`, an event that is not GuardDuty's refused, up again
// (nothing changes, the simulators listed), drift made by hand shown by `status`, down. Each command runs in `sh` in a folder of
// its own (its .sandbox/ there, examples/ linked to the repository's), with `npx guardduty-hub` the
// repository's bin.

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(REPO, 'bin/guardduty-hub.mjs');
/** The sandbox page, whose commands this test runs as written. */
const SANDBOX_DOC = readFileSync(join(REPO, 'docs', 'sandbox.md'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'guardduty-hub-sandbox-'));
const configFile = join(dir, 'hub.yml');
const ALLOWED = 'U0SANDBOX1';
const STRANGER = 'U0STRANGER';
// A config of its own for the usage tests below (a recorded sandbox whose services are not running).
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
  secops: { app: { botTokenSecret: sandbox-hub/slack/secops-bot, channel: C0SANDBOX1 } }
triage:
  signingSecret: sandbox-hub/slack/signing
  allow: { acknowledge: [${ALLOWED}], archive: [${ALLOWED}], unarchive: [${ALLOWED}] }
`,
);

/** The shell lines of docs/sandbox.md between `<!-- NAME:start -->` and `<!-- NAME:end -->` (fence and blank lines left out). */
function docLines(name: string): string[] {
  const block = SANDBOX_DOC.split(`<!-- ${name}:start -->`)[1]?.split(`<!-- ${name}:end -->`)[0];
  if (block === undefined) throw new Error(`docs/sandbox.md has no ${name} block`);
  return block.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('```'));
}

/** The sandbox page's click example: each `$ npx guardduty-hub sandbox click …` command with the lines it shows. */
function docClicks(): { command: string; output: string[] }[] {
  const example = SANDBOX_DOC.split('```text\n  $ npx guardduty-hub sandbox click')[1]?.split('```')[0];
  if (example === undefined) throw new Error('docs/sandbox.md has no sandbox click example');
  return `  $ npx guardduty-hub sandbox click${example}`
    .split('\n  $ ')
    .map((part) =>
      part
        .replace(/^ {2}\$ /, '')
        .split('\n')
        .map((line) => line.replace(/^ {2}/, '')),
    )
    .map(([command, ...output]) => ({
      command: command!.replace(/\s+#.*$/, ''),
      output: output.filter((line) => line.trim() !== ''),
    }));
}

/** The `dedup_key` the hub gives the finding of a shipped sample event. */
function sampleDedupKey(file: string): string {
  const parsed = parseRecord(readFileSync(join(REPO, 'examples', 'events', file), 'utf8'));
  if (!parsed.ok) throw new Error(`examples/events/${file}: ${parsed.reason}`);
  return dedupKeyOf(parsed.finding);
}

/** Output with what changes from run to run (times, durations) masked, and the page's cut text (`…`) matched loosely. */
const masked = (line: string): string =>
  line.replace(/\d+(\.\d+)? ms/g, 'N ms').replace(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/g, 'TIME');

// The user's folder: examples/ as in the clone, and `npx guardduty-hub` running this checkout's bin.
const work = mkdtempSync(join(tmpdir(), 'guardduty-hub-walkthrough-'));
symlinkSync(join(REPO, 'examples'), join(work, 'examples'));
mkdirSync(join(work, 'bin'));
writeFileSync(
  join(work, 'bin', 'npx'),
  `#!/bin/sh\n[ "$1" = guardduty-hub ] || { echo "npx: only guardduty-hub here" >&2; exit 127; }\nshift\nexec "${process.execPath}" "${BIN}" "$@"\n`,
  { mode: 0o755 },
);
const userEnv = { ...process.env, PATH: `${join(work, 'bin')}:${process.env.PATH ?? ''}` };

/** Runs `script` in `sh` in the user's folder. */
function sh(script: string): Promise<ProcessResult> {
  return runProcess('sh', ['-c', script], { cwd: work, env: userEnv, timeout: 8 * 60_000 });
}

function cli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  sandboxDir: string = dir,
): Promise<ProcessResult> {
  return runProcess(process.execPath, [BIN, 'sandbox', ...args, '--dir', sandboxDir], { env, timeout: 8 * 60_000 });
}

afterAll(async () => {
  // Whatever happened, leave no local AWS or simulator running.
  if (existsSync(join(work, '.sandbox', 'sandbox.json'))) await sh('npx guardduty-hub sandbox down');
  // An up that failed half way recorded no sandbox, but may have started the local AWS and Slack.
  if (existsSync(join(work, '.sandbox', 'localaws')))
    await localAwsScript('stop', join(work, '.sandbox', 'localaws')).catch(() => undefined);
  stopSimulators(join(work, '.sandbox'));
  rmSync(dir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
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
      const slack = {
        url: 'http://127.0.0.1:9',
        apiUrl: 'http://127.0.0.1:9/api',
        pid: 0,
        webhooks: {},
        channels: { secops: 'C0SANDBOX1' },
      };
      const state = {
        endpoint: 'http://127.0.0.1:9',
        account: '111111111111',
        region: 'us-west-2',
        configPath: join(fake, 'hub.yml'),
        credentials: {},
        slack,
        pagerDuty: { url: 'http://127.0.0.1:9/v2/enqueue', destinations: [] },
        teams: { url: 'http://127.0.0.1:9', destinations: [] },
        stacks: [],
      };
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
      expect(result.stderr).toContain(
        "run 'guardduty-hub sandbox publish' with a finding routed to an app destination first",
      );
    });
  });

  test('the docs/sandbox.md walkthrough: up, publish of the shipped events, the click example as shown, the operator commands through sandbox env, up again changes nothing, drift made by hand shown by status, down', {
    timeout: 15 * 60_000,
  }, async () => {
    const validateCard: ValidateFunction = await adaptiveCardValidator('1.4');
    const [up, publish, click] = docLines('sandbox-walkthrough');
    expect(up).toMatch(/^npx guardduty-hub sandbox up --config examples\/sandbox.yml\b/);

    const upRun = await sh(up!);
    expect(upRun.code, upRun.stderr).toBe(0);
    expect(upRun.stderr).toContain("member 222222222222 accepted the hub's invitation in us-east-1");
    const state = JSON.parse(readFileSync(join(work, '.sandbox', 'sandbox.json'), 'utf8')) as {
      endpoint: string;
      slack: { url: string };
      pagerDuty: { url: string };
      teams: { url: string };
      stacks: { name: string }[];
    };
    expect(state.stacks.map((st) => st.name)).toEqual(['hub', 'region-us-east-1', 'region-us-west-2']);

    const published = await sh(publish!);
    expect(published.code, published.stderr + published.stdout).toBe(0);
    expect(published.stdout).toContain('Published 32 event(s) (us-east-1: 32)');
    const raw = (JSON.parse(readFileSync(join(work, '.sandbox', 'slack-received.json'), 'utf8')) as { raw: string }[])
      .map((r) => r.raw)
      .join('\n');
    expect(raw).toContain('ec2instance000001000000000000000');
    expect(raw).toContain('GuardDuty weakened');
    expect(raw).not.toContain(SAMPLE_MEMBER_FINDING_ID);

    // PagerDuty: prod's attack sequences (its only critical findings) paged, one trigger each, keyed by the
    // finding, and so did prod's lost Runtime Monitoring coverage (coverage goes to every destination of
    // the account, whatever their thresholds, as configuration changes do).
    const sandboxDir = join(work, '.sandbox');
    const triggers = pagerDutyRequests(sandboxDir)
      .filter((r) => r.status === 202)
      .map((r) => JSON.parse(r.raw) as { routing_key: string; event_action: string; dedup_key: string });
    expect(triggers.map((t) => [t.event_action, t.routing_key])).toEqual([
      ['trigger', SANDBOX_ROUTING_KEY],
      ['trigger', SANDBOX_ROUTING_KEY],
      ['trigger', SANDBOX_ROUTING_KEY],
    ]);
    expect(triggers.map((t) => t.dedup_key).sort()).toEqual(
      ['attack-sequence.json', 'finding-attack-sequence.json', 'coverage-runtime-unhealthy.json']
        .map(sampleDedupKey)
        .sort(),
    );
    // Teams: member1's finding as one valid Adaptive Card on the secops workflow.
    const teamsPosts = teamsRequests(sandboxDir).filter((r) => r.path === sandboxWorkflowPath('secops'));
    expect(teamsPosts.map((r) => r.status)).toEqual([202]);
    const card = expectValidMessage(JSON.parse(teamsPosts[0]!.raw) as TeamsPayload, validateCard);
    expect(cardTexts(card).join('\n')).toContain('Command and Control server domain name queried');
    // What publish printed names what was received, never the routing key or a Workflows URL.
    expect(published.stdout).toContain('oncall (PagerDuty): 3 event(s)');
    expect(published.stdout).toContain('secops (Teams): 1 message(s)');
    for (const output of [upRun.stdout, upRun.stderr, published.stdout, published.stderr]) {
      expect(output).not.toContain(SANDBOX_ROUTING_KEY);
      expect(output).not.toContain(sandboxWorkflowPath('secops'));
      expect(output).not.toContain('sig=');
    }

    writeFileSync(
      join(work, 'ec2.json'),
      JSON.stringify({
        version: '0',
        source: 'aws.ec2',
        'detail-type': 'EC2 Instance State-change Notification',
        region: 'us-east-1',
        detail: { state: 'running' },
      }),
    );
    const refused = await sh('npx guardduty-hub sandbox publish ec2.json');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('Published 0 event(s)');
    expect(refused.stdout).toContain(
      'ec2.json: not a GuardDuty event (source aws.ec2, detail-type EC2 Instance State-change Notification)',
    );

    const clicks = docClicks();
    expect(clicks.map((c) => c.command)).toEqual([
      click!.replace(/\s+#.*$/, ''),
      `npx guardduty-hub sandbox click unarchive --user ${STRANGER}`,
    ]);
    for (const [i, example] of clicks.entries()) {
      const clicked = await sh(example.command);
      expect(clicked.code, clicked.stderr).toBe(i === 0 ? 0 : 1);
      const shown = clicked.stdout.trimEnd().split('\n').map(masked);
      expect(shown.length, clicked.stdout).toBe(example.output.length);
      example.output.map(masked).forEach((line, j) => {
        if (line.includes('…'))
          expect(
            shown[j]!.startsWith(line.split('…')[0]!) && shown[j]!.endsWith(line.split('…')[1]!),
            `${shown[j]}\n${line}`,
          ).toBe(true);
        else expect(shown[j]).toBe(line);
      });
    }
    const again = await sh('npx guardduty-hub sandbox click archive --json');
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      result: 'already-done',
      findingId: SAMPLE_MEMBER_FINDING_ID,
      user: ALLOWED,
      archived: true,
    });

    // Suppress like this… as its allowed user: the click opens the modal with the figures, `click`
    // submits it, and the worker makes the Slack-made ARCHIVE filter in every region (issue 29).
    const suppressed = await sh('npx guardduty-hub sandbox click suppress --json');
    expect(suppressed.code, suppressed.stderr).toBe(0);
    const suppression = JSON.parse(suppressed.stdout) as {
      result: string;
      user: string;
      filters: { region: string; name: string; action: string }[];
    };
    expect(suppression).toMatchObject({ result: 'done', user: 'U0123ABCD9' });
    expect(suppression.filters.map((f) => `${f.region} ${f.action}`).sort()).toEqual([
      'us-east-1 ARCHIVE',
      'us-west-2 ARCHIVE',
    ]);

    const [env, ...operator] = docLines('sandbox-operator');
    expect(env).toBe('eval "$(npx guardduty-hub sandbox env)"');
    const results = [];
    for (const line of operator) results.push({ line, ...(await sh(`${env}\n${line}`)) });
    for (const result of results) expect(result.code, `${result.line}\n${result.stdout}${result.stderr}`).toBe(0);
    const [status, secrets, , smoke] = results;
    expect(status!.stdout).toMatch(/222222222222 +Enabled/);
    expect(status!.stdout).not.toContain('no event source mapping');
    expect(secrets!.stdout).toMatch(/security +guardduty-hub\/slack\/security +present +allowed-host/);
    expect(secrets!.stdout).toMatch(/oncall +guardduty-hub\/pagerduty\/oncall +present +routing-key/);
    expect(secrets!.stdout).toMatch(/secops +guardduty-hub\/teams\/secops +present +allowed-host/);
    expect(smoke!.stdout).toMatch(/us-east-1 +ok +[1-9]/);

    const upAgain = await sh(`${up!.replace(/\s+#.*$/, '')} --json`);
    expect(upAgain.code, upAgain.stderr).toBe(0);
    expect(JSON.parse(upAgain.stdout)).toMatchObject({
      endpoint: state.endpoint,
      slack: { url: state.slack.url },
      pagerDuty: { url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/v2\/enqueue$/), destinations: ['oncall'] },
      teams: { url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), destinations: ['secops'] },
    });
    expect(JSON.parse(upAgain.stdout)).toMatchObject({ pagerDuty: state.pagerDuty, teams: state.teams });
    expect(upAgain.stdout).not.toContain(SANDBOX_ROUTING_KEY);
    expect(upAgain.stderr).not.toMatch(/Creation complete|Modifications complete|accepted the hub/);

    // Drift made by hand (issue 28): an ARCHIVE filter outside the config and member1 disassociated in
    // us-east-1; `status` shows both, in text and --json, with attention and the fix for the filter.
    const drift = await makeDriftByHand(sandboxDir, 'us-east-1', '222222222222');
    const driftText = await sh(`${env}\nnpx guardduty-hub status`);
    const driftJson = await sh(`${env}\nnpx guardduty-hub status --json`);
    const attention = [
      `us-east-1: member 222222222222 (member1) is Removed, expected Enabled`,
      `us-east-1: filter ${drift.filterName} (ARCHIVE) is not in the config and hides findings: move it into suppress: or delete it (aws guardduty delete-filter --region us-east-1 --detector-id ${drift.detectorId} --filter-name ${drift.filterName})`,
    ];
    expect(driftText.code, driftText.stdout + driftText.stderr).toBe(1);
    expect(driftText.stdout).toMatch(
      /us-east-1 +members +\d+ Enabled; not Enabled: 222222222222 \(member1\) Removed\n/,
    );
    const slackFilter = suppression.filters[0]!.name;
    expect(driftText.stdout).toContain(
      `  filters  not in config: ${slackFilter} (made from Slack, listed below), hand-made-quiet (ARCHIVE)\n`,
    );
    expect(driftText.stdout).toMatch(new RegExp(`\\n  ${slackFilter} +us-east-1, us-west-2 +U0123ABCD9 +`));
    expect(driftText.stdout).toContain(`Needs attention:\n${attention.map((line) => `  - ${line}`).join('\n')}\n`);
    expect(driftJson.code, driftJson.stderr).toBe(1);
    const report = JSON.parse(driftJson.stdout) as StatusReport;
    expect(report.regions.find((r) => r.region === 'us-east-1')?.members).toContainEqual(
      expect.objectContaining({ accountId: '222222222222', status: 'Removed', expected: 'Enabled', ok: false }),
    );
    expect(report.drift.find((r) => r.region === 'us-east-1')?.filters).toEqual({
      missing: [],
      unknown: [
        expect.objectContaining({ name: slackFilter }),
        { name: drift.filterName, action: 'ARCHIVE', origin: 'outside the config' },
      ],
    });
    expect(report.attention).toEqual(attention);

    const down = await sh('npx guardduty-hub sandbox down');
    expect(down.code, down.stderr).toBe(0);
    expect(existsSync(join(work, '.sandbox', 'sandbox.json'))).toBe(false);
    await expect(fetch(`${state.endpoint}/moto-api/data.json`)).rejects.toThrow();
  });
});
