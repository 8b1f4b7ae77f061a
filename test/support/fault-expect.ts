import { expect } from 'vitest';
import type { ScenarioResult } from './fault-scenarios.ts';

/**
 * What must hold after every fault of the matrix: each deliverable finding appears in a Slack message;
 * each finding Slack refuses for good and each invalid record sits in the DLQ with its reason; nothing
 * else is in the DLQ (the fault cleared within retention); and exactly `expectedDuplicates` findings
 * were shown twice (only a message Slack accepted whose commit never happened may be sent again).
 */
export function expectNothingLost(result: ScenarioResult, expectedDuplicates: number): void {
  const { events, outcome } = result;
  expect(outcome.left, 'records still queued at the end of retention').toBe(0);
  const missing = events.deliverable
    .filter((event) => (outcome.shownTimes.get(event.detail.id) ?? 0) === 0)
    .map((event) => event.detail.id);
  expect(missing, 'deliverable findings no Slack message shows').toEqual([]);

  const deadById = new Map(outcome.deadLetters.map((letter) => [letter.findingId, letter]));
  for (const event of events.refused) {
    expect(
      deadById.get(event.detail.id)?.reason,
      `refused finding ${event.detail.id} in the DLQ with its reason`,
    ).toMatch(/\S/);
    expect(outcome.shownTimes.get(event.detail.id) ?? 0).toBe(0);
  }
  const invalidLetters = outcome.deadLetters.filter((letter) => letter.kind === 'invalid');
  expect(invalidLetters).toHaveLength(events.invalid.length);
  for (const letter of invalidLetters) expect(letter.reason).toMatch(/^invalid record: /);
  expect(outcome.deadLetters, 'nothing else in the DLQ').toHaveLength(events.refused.length + events.invalid.length);
  expect(result.duplicates, 'findings shown twice').toBe(expectedDuplicates);
}
