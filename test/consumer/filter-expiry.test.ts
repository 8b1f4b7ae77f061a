import { describe, expect, it } from 'vitest';
import {
  runFilterExpiry,
  slackMadeFilter,
  type FilterExpiryGuardDuty,
  type FilterExpiryState,
  type OwedNotice,
} from '../../lambdas/drift/filter-expiry.ts';
import { SLACK_FILTER_TAGS } from '../../shared/index.ts';

// The filter-expiry step's bookkeeping on fakes at its ports (one region, a memory store, a Slack that
// can be down): notices survive a Slack outage and a run that stops half-way, and nothing is said twice.
// test/integration/filter-expiry.test.ts runs it on the local AWS and the Slack simulator.

const DAY = 86_400_000;
const T0 = Date.parse('2026-12-06T00:00:00Z');
const NAME = 'gdh-slack-0123456789abcdef';
const TAGS = {
  [SLACK_FILTER_TAGS.madeBy]: 'slack',
  [SLACK_FILTER_TAGS.user]: 'U0BOB00001',
  [SLACK_FILTER_TAGS.expires]: new Date(T0 + 10 * DAY).toISOString(),
  [SLACK_FILTER_TAGS.channel]: 'C0ALERTS01',
  [SLACK_FILTER_TAGS.thread]: '1700000000.000100',
};

function world(options: { deleteFails?: boolean } = {}) {
  const filters = new Map<string, Record<string, string>>([[NAME, { ...TAGS }]]);
  let state: FilterExpiryState = { reminded: {}, removing: {}, owed: [] };
  const posted: OwedNotice[] = [];
  const slack = { down: false };
  const guardduty: FilterExpiryGuardDuty = {
    listDetectorIds: async () => ['d1'],
    listFilterNames: async () => [...filters.keys(), 'not-from-slack'],
    filterTags: async (_detector, name) => filters.get(name) ?? {},
    deleteFilter: async (_detector, name) => {
      if (options.deleteFails) throw new Error('AccessDeniedException');
      filters.delete(name);
    },
  };
  let nowMs = T0;
  const run = (atMs: number) => {
    nowMs = atMs;
    return runFilterExpiry(
      {
        config: { regions: ['us-east-1'] },
        guardduty: () => guardduty,
        store: {
          load: async () => state,
          save: async (next) => {
            state = next;
          },
        },
        post: async (notice) => {
          if (slack.down) throw new Error('Slack answered 503');
          posted.push(notice);
        },
        now: () => nowMs,
      },
      90,
    );
  };
  return { filters, posted, slack, run, state: () => state };
}

describe('the filter-expiry step', () => {
  it('keeps a reminder owed through a Slack outage and posts it once Slack is back, never twice', async () => {
    const w = world();
    w.slack.down = true;

    const during = await w.run(T0 + 4 * DAY);
    w.slack.down = false;
    const after = await w.run(T0 + 4 * DAY + 600_000);
    const later = await w.run(T0 + 5 * DAY);

    expect([during.reminded, during.owed, during.failures.length]).toEqual([[NAME], 1, 1]);
    expect([after.reminded, after.owed, after.failures]).toEqual([[], 0, []]);
    expect(later.reminded).toEqual([]);
    expect(w.posted.map((notice) => notice.text.slice(0, 25))).toEqual([':hourglass_flowing_sand: ']);
  });

  it('does not remove a filter whose DeleteFilter fails, and owes its notice only once it is gone', async () => {
    const w = world({ deleteFails: true });

    const failing = await w.run(T0 + 11 * DAY);

    expect(failing.removed).toEqual([]);
    expect(failing.failures).toEqual([{ where: `us-east-1 ${NAME}`, error: 'AccessDeniedException' }]);
    expect(w.state().removing[NAME]?.name).toBe(NAME);
    expect(w.posted.filter((notice) => notice.text.includes('was removed'))).toEqual([]);
  });

  it('owes the removal notice of a filter whose removal began in a run that stopped (gone since)', async () => {
    const w = world();
    w.filters.clear(); // removed by the run that stopped before it could say so

    const next = await (async () => {
      const filter = slackMadeFilter(NAME, TAGS)!;
      const state = w.state() as { removing: Record<string, typeof filter> };
      state.removing[NAME] = filter;
      return w.run(T0 + 11 * DAY);
    })();

    expect(next.removed).toEqual([NAME]);
    expect(w.posted.map((notice) => notice.text)).toEqual([expect.stringContaining('was removed from every region')]);
  });

  it('leaves filters without the hub’s Slack tags alone (made before filters expired)', () => {
    expect(
      slackMadeFilter(NAME, { [SLACK_FILTER_TAGS.madeBy]: 'slack', [SLACK_FILTER_TAGS.user]: 'U1' }),
    ).toBeUndefined();
  });
});
