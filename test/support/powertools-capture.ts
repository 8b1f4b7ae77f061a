import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * A Powertools `Logger` and `Metrics` pair whose JSON output (log lines and EMF blobs) is captured
 * in memory instead of going to stdout, for assertions on what the consumer emits.
 */
export interface CapturedPowertools {
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Everything written, as raw text. */
  text(): string;
  /** Each line parsed as JSON. */
  lines(): Record<string, unknown>[];
  /** Log lines (not EMF). */
  logs(): Record<string, unknown>[];
  /** EMF blobs (lines with `_aws`). */
  emf(): Record<string, unknown>[];
  /** Sum of a metric over all EMF blobs (array values summed). */
  metric(name: string): number;
}

/** Creates a captured pair: service `guardduty-hub`, namespace `GuardDutyHub`, log level DEBUG. */
export function capturePowertools(): CapturedPowertools {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  const console = new Console({ stdout: sink, stderr: sink });
  const logger = new Logger({ serviceName: 'guardduty-hub', logLevel: 'DEBUG' });
  const metrics = new Metrics({ namespace: 'GuardDutyHub', serviceName: 'guardduty-hub' });
  // Both keep their output console in a private field; swapping it is the least intrusive capture.
  (logger as unknown as { console: Console }).console = console;
  (metrics as unknown as { console: Console }).console = console;

  const text = () => chunks.join('');
  const lines = () =>
    text()
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const emf = () => lines().filter((line) => '_aws' in line);
  return {
    logger,
    metrics,
    text,
    lines,
    logs: () => lines().filter((line) => !('_aws' in line)),
    emf,
    metric: (name) =>
      emf().reduce((sum, blob) => {
        const value = blob[name];
        if (Array.isArray(value)) return sum + value.reduce((a: number, b: number) => a + b, 0);
        return sum + (typeof value === 'number' ? value : 0);
      }, 0),
  };
}
