import { MemoryStateStore } from '../lambdas/consumer/index.ts';
import { FAULT_SCENARIOS, runScenario } from '../test/support/fault-scenarios.ts';
import type { BenchReport } from './report.ts';

/**
 * Fault benchmark: every scenario of the fault matrix (test/support/fault-scenarios.ts) through the
 * real handler, the Slack simulator and an in-memory SQS queue on a virtual clock, with the default
 * queue and redelivery settings (maxReceiveCount 20, redelivery from 30 s doubling to 30 min). Prints,
 * per fault: findings delivered, dead-lettered, shown twice, and the virtual time from the fault
 * clearing to the queue being empty. `npx tsx bench/faults.ts`, or `npm run bench -- --only faults`.
 */

type Log = (line: string) => void;

/** `6 h 0 min`, `42 s`. */
function duration(ms: number | undefined): string {
  if (ms === undefined) return 'n/a (permanent)';
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 120 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** Runs the matrix once (it is deterministic: a virtual clock and fixed jitter). */
export async function runFaultsSuite(log: Log): Promise<BenchReport> {
  const started = performance.now();
  const rows = [];
  const data = [];
  for (const scenario of FAULT_SCENARIOS) {
    const wallStarted = performance.now();
    const result = await runScenario(scenario, new MemoryStateStore());
    const wallMs = performance.now() - wallStarted;
    const { events, outcome } = result;
    const deliverable = events.deliverable.length;
    const figures = {
      scenario: scenario.name,
      delivered: result.delivered,
      deliverable,
      deadLettered: outcome.deadLetters.length,
      refusedOrInvalid: events.refused.length + events.invalid.length,
      duplicates: result.duplicates,
      recoveryToDrainedMs: result.recoveryToDrainedMs,
      invocations: outcome.invocations,
      wallMs,
    };
    data.push(figures);
    log(
      `  faults: ${scenario.name}: ${result.delivered}/${deliverable} delivered, ${outcome.deadLetters.length} dead-lettered, ${result.duplicates} duplicates`,
    );
    rows.push({
      case: scenario.name,
      result: `${result.delivered}/${deliverable} delivered · ${outcome.deadLetters.length} dead-lettered (${figures.refusedOrInvalid} refused or invalid) · ${result.duplicates} shown twice · recovery → drained ${duration(result.recoveryToDrainedMs)}`,
      measured: `virtual clock, ${outcome.invocations} invocations, ${(wallMs / 1000).toFixed(1)} s of real time`,
    });
  }
  return {
    name: 'faults',
    command: 'npm run bench -- --only faults',
    rows,
    notes: [
      "12 findings a scenario (8 to the default destination, a digest; 4 to team-a, one message each), plus the scenario's refused or invalid records; default config: maxReceiveCount 20, redelivery 30 s doubling to 30 min, visibility 360 s, consumer timeout 60 s.",
      "Virtual clock: every wait of the handler (rate limit, backoff, visibility) advances it, so a 6-hour outage runs in seconds; Slack is the project's simulator on the same clock, SQS an in-memory queue with visibility, receive counts and a DLQ.",
      '"shown twice" is expected only where Slack accepted a message whose commit never happened: the crash, and posts whose answer came after the consumer stopped waiting.',
    ],
    elapsedMs: performance.now() - started,
    data,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const report = await runFaultsSuite((line) => process.stderr.write(`${line}\n`));
  for (const row of report.rows) process.stdout.write(`${row.case}\n  ${row.result}\n  (${row.measured})\n`);
}
