import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../core/repeats/index.ts';
import { startPagerDutySimulator, type PagerDutySimulator } from '../../devkit/pagerduty/index.ts';
import { atSeverity, forAccount, makeFindingEvent } from '../factories/index.ts';
import { startFaultWorld, type FaultWorld } from '../support/fault-world.ts';
import { ONCALL_KEY, ONCALL_SECRET, PAGED_ACCOUNT, pagerConfig } from './pagerduty-support.ts';

// A storm of 1,000 critical findings for one PagerDuty destination, through the real handler over an
// in-memory queue on a virtual clock: batches of 300, so every invocation hands records back and they
// come back later. PagerDuty's documented limit is about 120 events per integration key over a 60-second
// window looking back from now; the simulator holds the hub to exactly that.

const MINUTE_MS = 60_000;

let world: FaultWorld | undefined;
let pager: PagerDutySimulator | undefined;
afterEach(async () => {
  await world?.close();
  await pager?.close();
  world = undefined;
  pager = undefined;
});

/** The most events that arrived within any 60 s window. */
function busiestMinute(times: readonly number[]): number {
  let most = 0;
  let start = 0;
  for (let end = 0; end < times.length; end += 1) {
    while ((times[end] ?? 0) - (times[start] ?? 0) >= MINUTE_MS) start += 1;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

describe('a storm of critical findings to PagerDuty', () => {
  it('stays within the documented rate per routing key and loses none', async () => {
    // Arrange
    const config = pagerConfig({ delivery: { batchSize: 300, maxBatchingWindowSeconds: 1 } });
    let clockNow = () => Date.now();
    pager = await startPagerDutySimulator({ now: () => clockNow() });
    pager.integration(ONCALL_KEY);
    world = await startFaultWorld({
      config,
      store: new MemoryStateStore(),
      handler: {
        secrets: async (secretId) => (secretId === ONCALL_SECRET ? ONCALL_KEY : undefined),
        pagerDutyEventsUrl: pager.url,
      },
    });
    clockNow = world.clock.now;
    const startMs = world.clock.now();
    const events = Array.from({ length: 1_000 }, () =>
      makeFindingEvent({ detail: { ...forAccount(PAGED_ACCOUNT), ...atSeverity(9.5) } }),
    );
    world.enqueue(events);

    // Act
    const outcome = await world.run({ untilMs: startMs + 60 * MINUTE_MS });

    // Assert: all 1,000 alerts triggered once each, none dead-lettered, never over 120 in a minute.
    expect(outcome.left).toBe(0);
    expect(outcome.deadLetters).toEqual([]);
    const accepted = pager.accepted();
    const keys = accepted.map((request) => request.event?.dedupKey);
    expect(new Set(keys)).toEqual(new Set(events.map((event) => `finding#${event.detail.id}`)));
    expect(keys).toHaveLength(1_000);
    expect(pager.requests.filter((request) => request.status === 429)).toEqual([]);
    expect(busiestMinute(accepted.map((request) => request.receivedAtMs))).toBeLessThanOrEqual(120);
    expect(outcome.invocations).toBeGreaterThan(Math.ceil(1_000 / 300));
    expect(outcome.drainedAtMs - startMs).toBeGreaterThan(8 * MINUTE_MS);
    expect(outcome.shownTimes.size).toBe(0);
  });
});
