import type { HubConfig } from '../../shared/index.ts';
import type { RecordFailure } from '../../core/port/destination.ts';
import { failsOver, type DeliveryStats, type Failure } from '../../core/port/outcome.ts';
import { notificationKey, type MessageRef } from '../../core/repeats/index.ts';
import type { RoutedFinding } from '../../core/types.ts';
import { archiveParents } from './deliver-app.ts';
import { showsArchived } from './living-parent.ts';
import type { AppEnvironment } from './messages.ts';

/**
 * Archived findings routed to an app destination whose parent message exists and does not show them
 * archived yet: archives their region on the parent and replies in its thread. Their records stay
 * skipped (`archived`) when that worked; otherwise they are handed back to try again, or, when Slack
 * refused the edit even as plain text, moved to the DLQ with the reason. Archived findings without a
 * parent (never notified) are skipped as for webhooks. Returns the failed records by message id.
 */
export async function archiveArchived(
  archived: readonly RoutedFinding[],
  config: Pick<HubConfig, 'destinations' | 'accounts' | 'colors' | 'delivery' | 'triage'>,
  env: AppEnvironment,
  deadlineMs: number,
  stats: DeliveryStats,
): Promise<ReadonlyMap<string, RecordFailure>> {
  const failures = new Map<string, RecordFailure>();
  const candidates = new Map<string, RoutedFinding>();
  for (const routed of archived) candidates.set(notificationKey(routed), routed);
  if (candidates.size === 0) return failures;
  let parents: ReadonlyMap<string, MessageRef>;
  try {
    parents = await env.parents.read([...candidates.keys()]);
  } catch (error) {
    env.logger.warn('Cannot read parent messages of archived findings: they stay as they are', {
      error: String(error),
    });
    return failures;
  }
  const items = [...candidates].flatMap(([key, routed]) => {
    const parent = parents.get(key);
    return parent !== undefined && parent.destination === routed.destination && !showsArchived(parent, routed.finding)
      ? [{ routed, parent }]
      : [];
  });
  const outcomes = await archiveParents(items, config, env, deadlineMs, stats);
  outcomes.forEach((outcome, i) => {
    // Delivered, or the destination is gone (nothing left to archive there): the records stay skipped.
    if (outcome.status === 'delivered' || failsOver(outcome.failure)) return;
    const failure = archiveFailure(outcome.failure, outcome.message.destination);
    for (const messageId of items[i]?.routed.messageIds ?? []) failures.set(messageId, failure);
  });
  return failures;
}

/** What a failed archive edit makes of its records: try again (at `retryAtMs`), or, refused for good, the DLQ. */
function archiveFailure(failure: Failure, destination: string): RecordFailure {
  if (failure.class === 'refused') return { reason: failure.reason, deadLetter: 'rejected' };
  if (failure.class === 'retry-after')
    return {
      reason: `archiving the message at ${destination} did not happen in time`,
      ...(failure.retryAtMs === undefined ? {} : { retryAtMs: failure.retryAtMs }),
    };
  return { reason: failure.reason };
}
