import { isNewer } from '../route/index.ts';
import type { RoutedFinding } from '../types.ts';
import { DECISION_REASONS, type NotifyReason } from './decide.ts';

/**
 * One message's worth of findings: the same issue (type, account, resource) from one or more regions,
 * for one destination. It is a {@link RoutedFinding} (the most severe member, with every member's SQS
 * message ids), so rendering and delivery can treat it as one finding and name `regions`.
 */
export interface NotifyGroup extends RoutedFinding {
  /** Why the message is sent (the first of `new`, `severity-rose`, `count-milestone`, `renotify-due` among members). */
  readonly why: NotifyReason;
  /** Every finding the message stands for, the representative (`finding`) first. */
  readonly members: readonly RoutedFinding[];
  /** Every member's region, sorted, without duplicates. */
  readonly regions: readonly string[];
}

/** A member of a group to be, with the reason it would notify. */
export interface Candidate {
  readonly routed: RoutedFinding;
  readonly why: NotifyReason;
}

/** Builds the group for `candidates` (at least one, same issue and destination). */
export function toGroup(candidates: readonly Candidate[]): NotifyGroup {
  const ordered = [...candidates].sort(byImportance);
  const primary = ordered[0];
  if (primary === undefined) throw new RangeError('a group needs at least one finding');
  const members = ordered.map((candidate) => candidate.routed);
  const why = DECISION_REASONS.find((reason) => candidates.some((candidate) => candidate.why === reason)) as NotifyReason;
  return {
    finding: primary.routed.finding,
    destination: primary.routed.destination,
    messageIds: [...new Set(members.flatMap((member) => member.messageIds))],
    why,
    members,
    regions: [...new Set(members.map((member) => member.finding.region))].sort(),
  };
}

/** A group of one, for a gate that is off or failed open. */
export function singleton(routed: RoutedFinding, why: NotifyReason): NotifyGroup {
  return toGroup([{ routed, why }]);
}

/** Most severe first, then highest count, then region and id for a stable order. */
function byImportance(a: Candidate, b: Candidate): number {
  const fa = a.routed.finding;
  const fb = b.routed.finding;
  return (
    fb.severity - fa.severity ||
    fb.count - fa.count ||
    fa.region.localeCompare(fb.region) ||
    fa.id.localeCompare(fb.id)
  );
}

/**
 * Keeps one routed finding per finding id: the latest version (highest count, then latest `updatedAt`).
 * Returns the kept ones in input order and the superseded ones.
 */
export function latestPerId(routed: readonly RoutedFinding[]): {
  readonly latest: readonly RoutedFinding[];
  readonly superseded: readonly RoutedFinding[];
} {
  const best = new Map<string, RoutedFinding>();
  for (const item of routed) {
    const held = best.get(item.finding.id);
    // On a tie the later item wins.
    if (held === undefined || !isNewer(held.finding, item.finding)) best.set(item.finding.id, item);
  }
  const kept = new Set(best.values());
  return { latest: routed.filter((item) => kept.has(item)), superseded: routed.filter((item) => !kept.has(item)) };
}
