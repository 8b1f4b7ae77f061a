import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readReplayEvents, runReplay } from '../../cli/replay/index.ts';
import { staticWebhooks } from '../../consumer/deliver/index.ts';
import { parseRecord } from '../../consumer/parse/index.ts';
import { makeHubConfig } from '../factories/index.ts';
import { webhookPath } from '../support/consumer-harness.ts';
import { startSlackSimulator, type SlackSimulator } from '../support/slack-simulator.ts';

/**
 * Replays the public GuardDuty events beside the checkout (../shared/fixtures/public, see its
 * SOURCES.md) through `runReplay` and the real consumer. Without the folder this file is skipped.
 */
const FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/public/', import.meta.url));
const available = existsSync(FIXTURES);
if (!available) console.warn(`replay-public-fixtures.test.ts skipped: public fixtures not found at ${FIXTURES}`);

let simulator: SlackSimulator;
beforeEach(async () => {
  simulator = await startSlackSimulator({ ratePerSecond: 50, burst: 10 });
});
afterEach(async () => {
  await simulator.close();
});

describe.skipIf(!available)('replaying the public GuardDuty fixtures', () => {
  it('delivers every parseable finding to Slack within its limits and dead-letters only the incomplete events', async () => {
    const events = await readReplayEvents([FIXTURES]);
    const parsed = events.map((event) => parseRecord(event.body));
    const config = makeHubConfig({ defaults: { minSeverity: 'low' }, delivery: { messagesPerSecond: 50, burst: 10 } });

    const summary = await runReplay({
      config,
      events,
      webhooks: staticWebhooks({ security: simulator.url(webhookPath('security')), 'team-a': simulator.url(webhookPath('team-a')) }),
      defaultVisibilityMs: 0,
    });

    const findings = parsed.flatMap((result) => (result.ok ? [result.finding] : []));
    expect(findings.length).toBeGreaterThanOrEqual(5);
    expect(simulator.requests.filter((r) => r.status === 400)).toEqual([]);
    const security = simulator.accepted(webhookPath('security')).map((r) => r.raw).join('\n');
    for (const finding of findings) expect(security).toContain(finding.consoleUrl);
    expect(summary).toMatchObject({ delivered: findings.length, invalid: events.length - findings.length, deadLettered: events.length - findings.length });
  });
});
