import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runReplay, type ReplayProgress } from '../../cli/replay/index.ts';
import { staticWebhooks } from '../../lambdas/consumer/index.ts';
import { makeFindingEvent, makeHubConfig } from '../factories/index.ts';
import { webhookPath } from '../support/consumer-harness.ts';
import { runCli } from '../support/cli-run.ts';
import { startSlackSimulator, type SlackSimulator } from '../../devkit/slack/webhook-simulator.ts';

// `replay` as a person watches it: progress while it waits on Slack's rate, and Ctrl-C ending it with
// the summary of what was done (never a second post of what Slack already showed).

const BIN = fileURLToPath(new URL('../../bin/guardduty-hub.mjs', import.meta.url));
/** One message per finding (no digests), one message a second: a replay of N findings takes N − 1 seconds. */
const SLOW = { delivery: { messagesPerSecond: 1, burst: 1, digestThreshold: 100 } };

let slack: SlackSimulator;
beforeEach(async () => {
  slack = await startSlackSimulator({ ratePerSecond: 50, burst: 10 });
});
afterEach(async () => {
  await slack.close();
});

const events = (n: number) =>
  Array.from({ length: n }, () => ({ body: JSON.stringify(makeFindingEvent()), source: 'test' }));
const security = () => slack.accepted(webhookPath('security'));

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('replay progress and Ctrl-C', () => {
  it("reports progress while an invocation waits on Slack's rate, not only between invocations", async () => {
    const seen: ReplayProgress[] = [];

    await runReplay({
      config: makeHubConfig(SLOW),
      events: events(3),
      webhooks: staticWebhooks({ security: slack.url(webhookPath('security')) }),
      onProgress: (p) => seen.push(p),
      progressIntervalMs: 100,
    });

    const during = seen.filter((p) => p.waitingOnSlack);
    expect(during.length).toBeGreaterThan(0);
    expect(during[0]).toMatchObject({ records: 3, done: 0 });
    expect(seen.at(-1)).toMatchObject({ records: 3, done: 3, delivered: 3, slackMessages: 3, waitingOnSlack: false });
  });

  it('ends early on the signal: counts what Slack accepted, hands back the rest, sends nothing more', async () => {
    const controller = new AbortController();
    void until(() => security().length >= 1).then(() => controller.abort());

    const summary = await runReplay({
      config: makeHubConfig(SLOW),
      events: events(5),
      webhooks: staticWebhooks({ security: slack.url(webhookPath('security')) }),
      signal: controller.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    expect(summary).toMatchObject({ records: 5, interrupted: true, deadLettered: 0 });
    expect(summary.delivered).toBe(security().length);
    expect(summary.delivered).toBeLessThan(5);
    expect(summary.elapsedMs).toBeLessThan(3_000);
  });

  it("prints one rewritten progress line at a terminal: records done, delivered, waiting on Slack's rate", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'replay-progress-'));
    writeFileSync(join(dir, 'hub.yml'), stringify(hubDoc()));
    writeFileSync(
      join(dir, 'events.ndjson'),
      events(3)
        .map((e) => e.body)
        .join('\n'),
    );

    const run = await runCli(
      [
        'replay',
        '--config',
        join(dir, 'hub.yml'),
        '--webhook',
        `security=${slack.url(webhookPath('security'))}`,
        join(dir, 'events.ndjson'),
      ],
      { stderrIsTTY: true },
    );

    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(
      /\rreplay: 0\/3 records done · 0 delivered in 0 Slack messages · 3 queued · 0 dead-lettered · waiting on Slack's rate · \d+ s\u001b\[K/,
    );
    expect(run.stderr).toMatch(/\rreplay: 3\/3 records done · 3 delivered in 3 Slack messages/);
  });

  it('on SIGINT prints the JSON summary so far and exits 130', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'replay-sigint-'));
    writeFileSync(join(dir, 'hub.yml'), stringify(hubDoc()));
    writeFileSync(
      join(dir, 'events.ndjson'),
      events(6)
        .map((e) => e.body)
        .join('\n'),
    );
    const child = spawn(
      process.execPath,
      [
        BIN,
        'replay',
        '--config',
        'hub.yml',
        '--webhook',
        `security=${slack.url(webhookPath('security'))}`,
        '--json',
        'events.ndjson',
      ],
      { cwd: dir },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    await until(() => security().length >= 1, 40_000);
    child.kill('SIGINT');
    const code = await exited;

    expect(code, stderr).toBe(130);
    const summary = JSON.parse(stdout) as { interrupted: boolean; delivered: number; records: number };
    expect(summary).toMatchObject({ interrupted: true, records: 6 });
    expect(summary.delivered).toBe(security().length);
    expect(summary.delivered).toBeLessThan(6);
    expect(stderr).toContain(
      'guardduty-hub: replay interrupted (Ctrl-C): the summary printed is what was done until then',
    );
  });
});

/** A one-region config: every finding to `security`, one message a second, no digests. */
function hubDoc(): Record<string, unknown> {
  return {
    hub: { account: '111111111111', region: 'us-west-2' },
    regions: ['us-east-1', 'us-west-2'],
    guardduty: { mode: 'organization', managementAccount: '999999999999' },
    defaults: { destination: 'security', minSeverity: 'low' },
    destinations: { security: { webhookSecret: 'hub/slack/security' } },
    ...SLOW,
  };
}
