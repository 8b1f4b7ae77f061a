import { notificationKey } from './keys.ts';
import { isNewer } from '../route/index.ts';
import type { RoutedFinding } from '../types.ts';
import { DECISION_REASONS, type NotifyReason } from './decide.ts';

/** An issue whose message is already out (another region, within the cross-region window). */
export interface IssueJoin {
  /** Regions that message (and any that joined it since) named, sorted. */
  readonly regions: readonly string[];
  /** When Slack accepted that message, epoch ms. */
  readonly notifiedAtMs: number;
  /** The identity shared with it (`Finding.foldIdentity`). */
  readonly identity: string;
}

/**
 * One message's worth of findings: one finding, or the same issue (type, account, exact global
 * resource identity) from several regions, at most one finding per region, for one destination. It is a {@link RoutedFinding} (the most severe member, with every member's SQS
 * message ids), so rendering and delivery can treat it as one finding and name `regions`.
 */
export interface NotifyGroup extends RoutedFinding {
  /** Why the message is sent (the first of `new`, `severity-rose`, `count-milestone`, `renotify-due` among members). */
  readonly why: NotifyReason;
  /** Every finding the message stands for, the representative (`finding`) first. */
  readonly members: readonly RoutedFinding[];
  /** Every member's region, sorted, without duplicates. */
  readonly regions: readonly string[];
  /**
   * Set when the group's issue was already notified from other regions within the window: the
   * group still gets a message of its own, which says which issue it joins and where it was seen.
   */
  readonly joins?: IssueJoin;
}

/** A member of a group to be, with the reason it would notify. */
export interface Candidate {
  readonly routed: RoutedFinding;
  readonly why: NotifyReason;
}

/** Builds the group for `candidates` (at least one, same issue and destination). */
export function toGroup(candidates: readonly Candidate[]): NotifyGroup {
  const [only] = candidates;
  if (only !== undefined && candidates.length === 1) return groupOfOne(only);
  const ordered = [...candidates].sort(byImportance);
  const primary = ordered[0];
  if (primary === undefined) throw new RangeError('a group needs at least one finding');
  const members = ordered.map((candidate) => candidate.routed);
  const why = DECISION_REASONS.find((reason) =>
    candidates.some((candidate) => candidate.why === reason),
  ) as NotifyReason;
  return {
    finding: primary.routed.finding,
    destination: primary.routed.destination,
    messageIds: [...new Set(members.flatMap((member) => member.messageIds))],
    why,
    members,
    regions: [...new Set(members.map((member) => member.finding.region))].sort(),
    ...(primary.routed.lane === undefined ? {} : { lane: primary.routed.lane }),
  };
}

/** {@link toGroup} of one candidate, without the sorting and merging a group of several needs. */
function groupOfOne({ routed, why }: Candidate): NotifyGroup {
  const { finding, destination, messageIds, lane } = routed;
  return {
    finding,
    destination,
    messageIds: [...new Set(messageIds)],
    why,
    members: [routed],
    regions: [finding.region],
    ...(lane === undefined ? {} : { lane }),
  };
}

/**
 * Most regions one message speaks for: every one of them is named in it (a digest line's `Regions:`
 * list holds 20 of the longest region names), so every finding counted as delivered is shown.
 */
export const MAX_REGIONS_PER_GROUP = 20;

/**
 * Splits `items` of one issue so that no two share a region: two finding ids from one region are two
 * issues (GuardDuty keeps one id per issue per detector), so they never share a message. A part holds
 * at most {@link MAX_REGIONS_PER_GROUP} items.
 */
export function onePerRegion<T>(items: readonly T[], regionOf: (item: T) => string): T[][] {
  if (items.length === 1) return [[...items]];
  const parts: { readonly regions: Set<string>; readonly items: T[] }[] = [];
  for (const item of items) {
    const region = regionOf(item);
    let part = parts.find(
      (candidate) => !candidate.regions.has(region) && candidate.items.length < MAX_REGIONS_PER_GROUP,
    );
    if (part === undefined) {
      part = { regions: new Set(), items: [] };
      parts.push(part);
    }
    part.regions.add(region);
    part.items.push(item);
  }
  return parts.map((part) => part.items);
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
    fb.severity - fa.severity || fb.count - fa.count || fa.region.localeCompare(fb.region) || fa.id.localeCompare(fb.id)
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
    const key = notificationKey(item);
    const held = best.get(key);
    // On a tie the later item wins.
    if (held === undefined || !isNewer(held.finding, item.finding)) best.set(key, item);
  }
  // Every id once (routing collapses a batch by finding id): nothing is superseded.
  if (best.size === routed.length) return { latest: routed, superseded: [] };
  const kept = new Set(best.values());
  return { latest: routed.filter((item) => kept.has(item)), superseded: routed.filter((item) => !kept.has(item)) };
}
