import { describe, it } from 'vitest';
import { MemoryStateStore } from '../../core/repeats/index.ts';
import { expectNothingLost } from '../support/fault-expect.ts';
import { FAULT_SCENARIOS, runScenario } from '../support/fault-scenarios.ts';

/**
 * The fault matrix on the memory store (test/integration/faults-dynamodb.test.ts runs it on DynamoDB):
 * the real handler, the Slack simulator and an in-memory SQS queue on a virtual clock, so a 6-hour
 * outage takes seconds. What must hold for every fault: each deliverable finding appears in a Slack
 * message, each finding Slack refuses for good and each invalid record sits in the DLQ with its reason,
 * nothing else is in the DLQ when the fault clears within retention, and a finding is shown twice only
 * after a crash between Slack accepting and the commit (see test/support/fault-expect.ts).
 */
describe('fault matrix (memory store)', () => {
  for (const scenario of FAULT_SCENARIOS) {
    it(`loses nothing: ${scenario.name}`, async () => {
      const result = await runScenario(scenario, new MemoryStateStore());

      expectNothingLost(result, scenario.expectedDuplicates?.(result.events, result.outcome) ?? 0);
    });
  }
});
