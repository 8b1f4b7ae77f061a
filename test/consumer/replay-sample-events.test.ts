import { describe, expect, it } from 'vitest';
import { readReplayEvents } from '../../cli/replay/index.ts';
import { SAMPLE_EVENTS_DIR } from '../../scripts/sample-events.ts';
import { replayToSlack } from '../support/replay-to-slack.ts';

/**
 * Replays the sample events the repository ships (examples/events/, made by the factories) through
 * `runReplay` and the real consumer, as the README's replay example does: every one reaches Slack
 * within its limits, none is dead-lettered. The coverage restores (Healthy, Active) are skipped as
 * repeats: a restore with no loss on record is not news (docs/guarding.md, Coverage events).
 */
const RESTORES = ['GuardDuty Runtime Protection Healthy', 'GuardDuty Malware Protection Resource Status Active'];
describe('replaying the shipped sample events', () => {
  it('delivers every event to Slack within its limits and dead-letters nothing', async () => {
    const events = await readReplayEvents([SAMPLE_EVENTS_DIR]);

    const { summary, slack } = await replayToSlack(events);

    expect(events.length).toBeGreaterThanOrEqual(24);
    expect(slack.requests.filter((r) => r.status !== 200)).toEqual([]);
    const posted = slack.requests.map((r) => r.raw).join('\n');
    for (const event of events) {
      const detail = (JSON.parse(event.body) as { detail: { id?: string } }).detail;
      if (detail.id !== undefined) expect(posted).toContain(detail.id);
    }
    const restores = events.filter((event) => RESTORES.includes(JSON.parse(event.body)['detail-type'])).length;
    expect(restores).toBe(2);
    expect(summary).toMatchObject({
      records: events.length,
      invalid: 0,
      deadLettered: 0,
      delivered: events.length - restores,
    });
  });
});
