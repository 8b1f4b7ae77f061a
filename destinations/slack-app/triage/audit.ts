import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { TriageAction } from '../../../shared/index.ts';
import { METRIC_NAMES } from '../../../shared/telemetry.ts';
import type { ConsumerLogger } from '../../../core/log.ts';
import type { MetricsSink } from '../../../core/metrics.ts';

/**
 * The audit trail of triage: every request refused at the door, and every click (done, already done,
 * refused, failed) is one structured log line (`message` "Triage audit", `audit: "triage"`) and one
 * count in its metric, published at once. Never the signing secret, the signature or a token.
 */

/** How a request or click ended. */
export type TriageResult = 'refused-request' | 'done' | 'already-done' | 'refused' | 'failed';

/**
 * What became of telling one other destination of the finding's account about a click (PagerDuty:
 * `acknowledge` or `resolve` with the issue's `dedup_key`). Never the destination's secret.
 */
export interface TriageFollowUp {
  /** The destination told (a name under `destinations:`). */
  readonly destination: string;
  /** What it is, as the thread reply names it: `PagerDuty`. */
  readonly service: string;
  /** What it was sent: `acknowledge`, `resolve`. */
  readonly event: string;
  readonly result: 'sent' | 'failed';
  /** Why it failed: names the destination and what the service answered. */
  readonly reason?: string;
}

/** One audit line: who, what, on which finding, where, and how it ended. */
export interface TriageAudit {
  readonly result: TriageResult;
  /** Slack user id; absent for requests refused before the payload was read. */
  readonly user?: string;
  readonly action?: TriageAction;
  readonly findingId?: string;
  readonly accountId?: string;
  /** The finding's region (suppress: every configured region it was made in). */
  readonly region?: string;
  readonly regions?: readonly string[];
  /** Why it was refused or failed (a short code or an error message without secrets). */
  readonly reason?: string;
  /** The filter "Suppress like this" made. */
  readonly filter?: string;
  /** The silence Silence… made (`sil-…`), and when it ends (ISO 8601). */
  readonly silence?: string;
  readonly until?: string;
  /** The ended silence Renew made again (the new one is `silence`). */
  readonly renewed?: string;
  /** The other destinations told of a done action, each with its outcome (a failed one never undoes the action). */
  readonly followUps?: readonly TriageFollowUp[];
}

/** What the audit writes to. */
export interface TriageAuditSinks {
  readonly logger: ConsumerLogger;
  readonly metrics: MetricsSink;
}

const METRIC_OF: Readonly<Record<TriageResult, string>> = {
  'refused-request': METRIC_NAMES.triageRequestsRefused,
  done: METRIC_NAMES.triageActionsDone,
  'already-done': METRIC_NAMES.triageActionsRepeated,
  refused: METRIC_NAMES.triageActionsRefused,
  failed: METRIC_NAMES.triageActionsFailed,
};

/**
 * Writes one audit line (ERROR for failures, and for a done action another destination could not be
 * told of; WARN for refusals; INFO otherwise) and counts it.
 */
export function audit(sinks: TriageAuditSinks, entry: TriageAudit): void {
  const line = { audit: 'triage', ...entry };
  const untold = entry.followUps?.some((followUp) => followUp.result === 'failed') === true;
  if (entry.result === 'failed' || untold) sinks.logger.error('Triage audit', line);
  else if (entry.result === 'refused' || entry.result === 'refused-request') sinks.logger.warn('Triage audit', line);
  else sinks.logger.info('Triage audit', line);
  sinks.metrics.addMetric(METRIC_OF[entry.result], MetricUnit.Count, 1);
  sinks.metrics.publishStoredMetrics();
}
