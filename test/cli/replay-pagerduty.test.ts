import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startPagerDutySimulator, type PagerDutySimulator } from '../../devkit/pagerduty/index.ts';
import { startSlackSimulator, type SlackSimulator } from '../../devkit/slack/webhook-simulator.ts';
import { atSeverity, forAccount, makeFindingEvent } from '../factories/index.ts';
import { runCli } from '../support/cli-run.ts';
import { webhookPath } from '../support/consumer-harness.ts';

// `replay --pagerduty NAME=KEY --pagerduty-url URL`: findings of a PagerDuty destination trigger alerts on
// the PagerDuty simulator, through the real consumer; keys are never printed.

const PAGED = '555555555555';
const KEY = 'R3pLaYkEy0000000000000000000abcd';

let dir: string;
let pager: PagerDutySimulator;
let slack: SlackSimulator;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'replay-pagerduty-'));
  pager = await startPagerDutySimulator();
  slack = await startSlackSimulator({ ratePerSecond: 50, burst: 10 });
});
afterEach(async () => {
  await pager.close();
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A config where PAGED's findings go to `oncall` (PagerDuty), the rest to the `security` webhook. */
function writeConfig(): string {
  const path = join(dir, 'hub.yml');
  writeFileSync(
    path,
    stringify({
      hub: { account: '111111111111', region: 'us-west-2' },
      regions: ['us-east-1', 'us-west-2'],
      defaults: { destination: 'security', minSeverity: 'medium' },
      accounts: { [PAGED]: { name: 'prod', email: 'prod@example.com', minSeverity: 'high', destination: 'oncall' } },
      destinations: {
        security: { webhookSecret: 'hub/slack/security' },
        oncall: { type: 'pagerduty', routingKeySecret: 'hub/pagerduty/oncall' },
      },
    }),
  );
  return path;
}

function writeEvents(count: number): string {
  const path = join(dir, 'events.ndjson');
  const events = Array.from({ length: count }, () =>
    makeFindingEvent({ detail: { ...forAccount(PAGED), ...atSeverity(9) } }),
  );
  writeFileSync(path, events.map((event) => JSON.stringify(event)).join('\n'));
  return path;
}

describe('replay to PagerDuty destinations', () => {
  it('triggers an alert per finding with --pagerduty and --pagerduty-url, never printing the key', async () => {
    pager.integration(KEY);

    const run = await runCli([
      'replay',
      '--config',
      writeConfig(),
      '--webhook',
      `security=${slack.url(webhookPath('security'))}`,
      '--pagerduty',
      `oncall=${KEY}`,
      '--pagerduty-url',
      pager.url,
      '--json',
      writeEvents(3),
    ]);

    expect(run.exitCode).toBe(0);
    expect(run.json()).toMatchObject({ records: 3, delivered: 3, deadLettered: 0 });
    expect(pager.accepted().map((request) => request.event?.action)).toEqual(['trigger', 'trigger', 'trigger']);
    expect(slack.accepted()).toEqual([]);
    expect(run.stdout + run.stderr).not.toContain(KEY);
  });

  it('needs a key for every PagerDuty destination the events use, without AWS credentials (exit 2)', async () => {
    const run = await runCli([
      'replay',
      '--config',
      writeConfig(),
      '--webhook',
      `security=${slack.url('/x')}`,
      writeEvents(1),
    ]);

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('no routing key for PagerDuty destination oncall: pass --pagerduty oncall=KEY');
  });

  it.each([
    [`oncall=${KEY.slice(1)}`, '--pagerduty oncall: the value is not a PagerDuty routing key (32 letters and digits)'],
    [
      `security=${KEY}`,
      '--pagerduty security: not a PagerDuty destination in the config (PagerDuty destinations: oncall)',
    ],
    [KEY, '--pagerduty must be NAME=KEY (got no NAME=)'],
  ])('refuses --pagerduty %#, never echoing the key (exit 2)', async (argument, message) => {
    const run = await runCli(['replay', '--config', writeConfig(), '--pagerduty', argument, writeEvents(1)]);

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toContain(KEY.slice(1));
  });

  it('refuses a --pagerduty-url that is not an http(s) URL (exit 2)', async () => {
    const run = await runCli([
      'replay',
      '--config',
      writeConfig(),
      '--pagerduty-url',
      'events.pagerduty.com',
      writeEvents(1),
    ]);

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('--pagerduty-url: "events.pagerduty.com" is not a URL');
  });
});
