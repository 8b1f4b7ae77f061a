/**
 * GuardDuty severity bands. A finding's `severity` is a number from 1.0 to 10.0;
 * Critical (9.0–10.0) is used by attack sequences.
 */
export const SEVERITY_BANDS = ['low', 'medium', 'high', 'critical'] as const;

/** One of the four GuardDuty severity bands. */
export type SeverityBand = (typeof SEVERITY_BANDS)[number];

/** The lowest score of each band (Low 1.0–3.9, Medium 4.0–6.9, High 7.0–8.9, Critical 9.0–10.0). */
export const BAND_FLOOR: Readonly<Record<SeverityBand, number>> = {
  low: 1,
  medium: 4,
  high: 7,
  critical: 9,
};

/** Display labels for each band. */
export const BAND_LABEL: Readonly<Record<SeverityBand, string>> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
};

/** The band a severity score falls in. Scores below 1 count as Low, above 10 as Critical. */
export function bandOf(score: number): SeverityBand {
  if (score >= BAND_FLOOR.critical) return 'critical';
  if (score >= BAND_FLOOR.high) return 'high';
  if (score >= BAND_FLOOR.medium) return 'medium';
  return 'low';
}

/** Rank of a band, 0 (low) to 3 (critical), for comparisons and sorting. */
export function bandRank(band: SeverityBand): number {
  return SEVERITY_BANDS.indexOf(band);
}

/**
 * A threshold as written in config (`low`…`critical` or a number 1.0–10.0) as the lowest score it lets through.
 */
export function thresholdScore(threshold: SeverityBand | number): number {
  return typeof threshold === 'number' ? threshold : BAND_FLOOR[threshold];
}
