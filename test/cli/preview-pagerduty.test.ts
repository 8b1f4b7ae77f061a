import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { findingConsoleUrl } from '../../shared/index.ts';
import { atSeverity, forAccount, makeFindingEvent } from '../factories/index.ts';
import { runCli } from '../support/cli-run.ts';

// `preview` for a PagerDuty destination prints the Events API v2 event PagerDuty would receive.

const PAGED = '555555555555';

function write(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'preview-pagerduty-')), name);
  writeFileSync(path, content);
  return path;
}

const config = () =>
  write(
    'hub.yml',
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

describe('guardduty-hub preview for a PagerDuty destination', () => {
  it('prints the trigger PagerDuty would receive, the routing key shown as its secret, beside the Slack payloads', async () => {
    const paged = makeFindingEvent({ detail: { ...forAccount(PAGED), ...atSeverity(8) } });
    const other = makeFindingEvent({ detail: atSeverity(5) });
    const events = write('events.ndjson', [paged, other].map((event) => JSON.stringify(event)).join('\n'));

    const run = await runCli(['preview', '--config', config(), events]);

    expect(run.exitCode).toBe(0);
    const documents = run.stdout
      .split(/\n(?=\{)/)
      .filter((chunk) => chunk.trim() !== '')
      .map((chunk) => JSON.parse(chunk) as Record<string, unknown>);
    expect(documents).toHaveLength(2);
    expect(documents[1]).toMatchObject({
      routing_key: '<routing key in hub/pagerduty/oncall>',
      event_action: 'trigger',
      dedup_key: `finding#${paged.detail.id}`,
      payload: { severity: 'error', class: paged.detail.type, source: `prod (${PAGED}) us-east-1` },
      links: [{ href: findingConsoleUrl('us-east-1', String(paged.detail.id)) }],
    });
    expect(JSON.stringify(documents[0])).toContain(String(other.detail.id));
    expect(run.stderr).toContain(`# event 1 of 1 → oncall (PagerDuty trigger, finding ${paged.detail.id})`);
    expect(run.stderr).toContain('# message 1 of 1 → security (single, 1 finding)');
  });
});
