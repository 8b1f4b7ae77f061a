import { isAppDestination } from '../../shared/config/derive.ts';
import type { HubConfig } from '../../shared/index.ts';
import { emptyStats, type DeliveryStats } from '../deliver/deliver.ts';
import { PayloadRefusedForGoodError } from '../deliver/errors.ts';
import { findingKey, type MessageRef } from '../repeats/index.ts';
import type { SkippedRecord } from '../route/index.ts';
import type { RoutedFinding } from '../types.ts';
import { archiveParents } from './deliver-app.ts';
import { showsArchived } from './living-parent.ts';
import type { AppEnvironment } from './messages.ts';

/** Why the archive edit of one record did not go through: when to try again, or `rejected` when no retry can help. */
export interface ArchiveFailure {
  readonly reason: string;
  readonly retryAtMs?: number;
  readonly deadLetter?: 'rejected';
}

/** What {@link archiveArchived} did: records to hand back (the edit did not go through) and its counters. */
export interface ArchivedResult {
  /** Failed records by message id, with the reason and when to try again. */
  readonly failures: ReadonlyMap<string, ArchiveFailure>;
  /** Counters of the calls made (start of the batch's counters). */
  readonly stats: DeliveryStats;
}

/**
 * Archived findings routed to an app destination whose parent message exists and does not show them
 * archived yet: archives their region on the parent and replies in its thread. Their records stay
 * skipped (`archived`) when that worked; otherwise they are handed back to try again, or, when Slack
 * refused the edit even as plain text, moved to the DLQ with the reason. Archived findings without a
 * parent (never notified) are skipped as for webhooks.
 */
export async function archiveArchived(
  skipped: readonly SkippedRecord[],
  config: Pick<HubConfig, 'destinations' | 'accounts' | 'colors' | 'delivery' | 'triage'>,
  env: AppEnvironment,
  deadlineMs: number,
): Promise<ArchivedResult> {
  const stats = emptyStats();
  const failures = new Map<string, ArchiveFailure>();
  const candidates = new Map<string, RoutedFinding>();
  for (const record of skipped) {
    if (record.reason === 'archived' && record.routed !== undefined && isAppDestination(config, record.routed.destination)) {
      candidates.set(record.routed.finding.id, record.routed);
    }
  }
  if (candidates.size === 0) return { failures, stats };
  let parents: ReadonlyMap<string, MessageRef>;
  try {
    parents = await env.parents.read([...candidates.values()].map((routed) => findingKey(routed.finding)));
  } catch (error) {
    env.logger.warn('Cannot read parent messages of archived findings: they stay as they are', { error: String(error) });
    return { failures, stats };
  }
  const items = [...candidates.values()].flatMap((routed) => {
    const parent = parents.get(findingKey(routed.finding));
    return parent !== undefined && parent.destination === routed.destination && !showsArchived(parent, routed.finding) ? [{ routed, parent }] : [];
  });
  const outcomes = await archiveParents(items, config, env, deadlineMs, stats);
  outcomes.forEach((outcome, i) => {
    if (outcome.status === 'delivered' || outcome.status === 'rejected') return;
    const failure: ArchiveFailure =
      outcome.status === 'deferred'
        ? { reason: `archiving the message at ${outcome.message.destination} did not happen in time`, retryAtMs: outcome.retryAtMs }
        : outcome.error instanceof PayloadRefusedForGoodError
          ? { reason: outcome.error.message, deadLetter: 'rejected' }
          : { reason: outcome.error.message };
    for (const messageId of items[i]!.routed.messageIds) failures.set(messageId, failure);
  });
  return { failures, stats };
}
