import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../consumer/repeats/index.ts';
import { FAULT_SCENARIOS, runScenario, type ScenarioResult } from '../support/fault-scenarios.ts';

/**
 * The fault matrix on the memory store (test/integration/faults-dynamodb.test.ts runs it on DynamoDB):
 * the real handler, the Slack simulator and an in-memory SQS queue on a virtual clock, so a 6-hour
 * outage takes seconds. What must hold for every fault: each deliverable finding appears in a Slack
 * message, each finding Slack refuses for good and each invalid record sits in the DLQ with its reason,
 * nothing else is in the DLQ when the fault clears within retention, and a finding is shown twice only
 * after a crash between Slack accepting and the commit.
 */
export function expectNothingLost(result: ScenarioResult, expectedDuplicates: number): void {
  const { events, outcome } = result;
  expect(outcome.left, 'records still queued at the end of retention').toBe(0);
  const missing = events.deliverable.filter((event) => (outcome.shownTimes.get(event.detail.id) ?? 0) === 0).map((event) => event.detail.id);
  expect(missing, 'deliverable findings no Slack message shows').toEqual([]);

  const deadById = new Map(outcome.deadLetters.map((letter) => [letter.findingId, letter]));
  for (const event of events.refused) {
    expect(deadById.get(event.detail.id)?.reason, `refused finding ${event.detail.id} in the DLQ with its reason`).toMatch(/\S/);
    expect(outcome.shownTimes.get(event.detail.id) ?? 0).toBe(0);
  }
  const invalidLetters = outcome.deadLetters.filter((letter) => letter.kind === 'invalid');
  expect(invalidLetters).toHaveLength(events.invalid.length);
  for (const letter of invalidLetters) expect(letter.reason).toMatch(/^invalid record: /);
  expect(outcome.deadLetters, 'nothing else in the DLQ').toHaveLength(events.refused.length + events.invalid.length);
  expect(result.duplicates, 'findings shown twice').toBe(expectedDuplicates);
}

describe('fault matrix (memory store)', () => {
  for (const scenario of FAULT_SCENARIOS) {
    it(`loses nothing: ${scenario.name}`, async () => {
      const result = await runScenario(scenario, new MemoryStateStore());

      expectNothingLost(result, scenario.expectedDuplicates?.(result.events, result.outcome) ?? 0);
    });
  }
});
