import { isAppDestination } from '../../shared/config/derive.ts';
import type { HubConfig } from '../../shared/index.ts';
import { emptyStats, type DeliveryStats } from '../deliver/deliver.ts';
import { findingKey } from '../repeats/index.ts';
import type { SkippedRecord } from '../route/index.ts';
import type { RoutedFinding } from '../types.ts';
import { archiveParents } from './deliver-app.ts';
import type { AppEnvironment } from './messages.ts';

/** What {@link archiveArchived} did: records to hand back (the edit did not go through) and its counters. */
export interface ArchivedResult {
  /** Failed records by message id, with the reason and when to try again. */
  readonly failures: ReadonlyMap<string, { readonly reason: string; readonly retryAtMs?: number }>;
  /** Counters of the calls made (start of the batch's counters). */
  readonly stats: DeliveryStats;
}

/**
 * Archived findings routed to an app destination whose parent message exists and does not show them
 * archived yet: edits the parent to archived and replies in its thread. Their records stay skipped
 * (`archived`) when that worked; otherwise they are handed back to try again. Archived findings
 * without a parent (never notified) are skipped as for webhooks.
 */
export async function archiveArchived(
  skipped: readonly SkippedRecord[],
  config: Pick<HubConfig, 'destinations' | 'accounts' | 'colors' | 'delivery' | 'triage'>,
  env: AppEnvironment,
  deadlineMs: number,
): Promise<ArchivedResult> {
  const stats = emptyStats();
  const failures = new Map<string, { reason: string; retryAtMs?: number }>();
  const candidates = new Map<string, RoutedFinding>();
  for (const record of skipped) {
    if (record.reason === 'archived' && record.routed !== undefined && isAppDestination(config, record.routed.destination)) {
      candidates.set(record.routed.finding.id, record.routed);
    }
  }
  if (candidates.size === 0) return { failures, stats };
  let parents: ReadonlyMap<string, { readonly destination: string; readonly channel: string; readonly ts: string; readonly archived?: boolean }>;
  try {
    parents = await env.parents.read([...candidates.values()].map((routed) => findingKey(routed.finding)));
  } catch (error) {
    env.logger.warn('Cannot read parent messages of archived findings: they stay as they are', { error: String(error) });
    return { failures, stats };
  }
  const items = [...candidates.values()].flatMap((routed) => {
    const parent = parents.get(findingKey(routed.finding));
    return parent !== undefined && parent.archived !== true && parent.destination === routed.destination ? [{ routed, parent }] : [];
  });
  const outcomes = await archiveParents(items, config, env, deadlineMs, stats);
  outcomes.forEach((outcome, i) => {
    if (outcome.status === 'delivered' || outcome.status === 'rejected') return;
    const reason = outcome.status === 'deferred' ? `archiving the message at ${outcome.message.destination} did not happen in time` : outcome.error.message;
    for (const messageId of items[i]!.routed.messageIds) {
      failures.set(messageId, outcome.status === 'deferred' ? { reason, retryAtMs: outcome.retryAtMs } : { reason });
    }
  });
  return { failures, stats };
}
