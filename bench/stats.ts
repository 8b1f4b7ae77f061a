/** Small statistics shared by the benchmarks: every figure is reported as median and spread over its runs. */

/** A figure measured over several runs. */
export interface Measured {
  /** Number of runs. */
  readonly runs: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Every run's value, in run order. */
  readonly values: readonly number[];
}

/** The median of `values` (mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Median, min and max of `values`. */
export function measured(values: readonly number[]): Measured {
  return {
    runs: values.length,
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    values: [...values],
  };
}

/**
 * `12.3 ms (11.9–13.0, 5 runs)`: the median with its spread, `digits` decimals, in `unit`.
 * One run prints just the value and `1 run`.
 */
export function formatMeasured(m: Measured, unit: string, digits = 1): string {
  const value = (n: number) => n.toFixed(digits);
  if (m.runs <= 1) return `${value(m.median)} ${unit} (1 run)`;
  return `${value(m.median)} ${unit} (${value(m.min)}–${value(m.max)}, ${m.runs} runs)`;
}
