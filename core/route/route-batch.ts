import { routeFor, type Route } from '../../shared/config/derive.ts';
import { kindOf, parseRecord } from '../kinds/index.ts';
import type { Finding, RoutedFinding } from '../types.ts';
import type { BatchRecord, FailedRecord, RouteConfig, RouteOptions, RouteResult, SkippedRecord } from './types.ts';

/** Records carrying the same finding, and the newest copy of it. */
interface Group {
  finding: Finding;
  readonly messageIds: string[];
}

/** Where a finding goes (a tamper change may come back marked quiet in `finding`), or why it is skipped. */

/**
 * Parses and routes a batch of SQS records. Records that are not finding events go to `failed`.
 * Records carrying the same finding id are first collapsed into the newest copy (highest
 * `service.count`, then latest `updatedAt`), whose state decides for all of them: an archived,
 * below-threshold or suppressed newest copy skips every record that carried the finding.
 */
export function routeBatch(
  records: readonly BatchRecord[],
  config: RouteConfig,
  options: RouteOptions = {},
): RouteResult {
  const collapse = options.collapse ?? true;
  const failed: FailedRecord[] = [];
  const groups = new Map<string, Group>();

  for (const record of records) {
    const { messageId, body } = record;
    const parsed = parseRecord(body, options.parsedBody?.(record));
    if (!parsed.ok) {
      failed.push({ messageId, reason: parsed.reason });
      continue;
    }
    const key = collapse ? parsed.finding.id : messageId;
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, { finding: parsed.finding, messageIds: [messageId] });
    } else {
      group.messageIds.push(messageId);
      if (isNewer(parsed.finding, group.finding)) group.finding = parsed.finding;
    }
  }

  const routed: RoutedFinding[] = [];
  const skipped: SkippedRecord[] = [];
  let collapsed = 0;
  const routeOf = routesOf(config);
  for (const group of groups.values()) {
    const { messageIds } = group;
    const decision = kindOf(group.finding).route(group.finding, config, routeOf);
    const finding = ('finding' in decision ? decision.finding : undefined) ?? group.finding;
    const first = routeOf(finding.accountId).destination;
    if ('destinations' in decision) {
      for (const destination of decision.destinations) routed.push(toLane(finding, destination, first, messageIds));
      collapsed += messageIds.length - 1;
    } else if (decision.reason === 'archived') {
      const lanes = routeOf(finding.accountId).lanes;
      const routedTo = lanes.map((lane) => toLane(finding, lane.destination, first, messageIds));
      for (const messageId of messageIds) skipped.push({ messageId, findingId: finding.id, ...decision, routedTo });
    } else if (decision.reason === 'canary') {
      for (const messageId of messageIds) skipped.push({ messageId, findingId: finding.id, ...decision, finding });
    } else {
      for (const messageId of messageIds) skipped.push({ messageId, findingId: finding.id, ...decision });
    }
  }
  return { routed, skipped, failed, collapsed };
}

/** `finding` routed to `destination`; a destination other than the account's first is a lane of its own. */
function toLane(finding: Finding, destination: string, first: string, messageIds: readonly string[]): RoutedFinding {
  return destination === first
    ? { finding, destination, messageIds }
    : { finding, destination, messageIds, lane: destination };
}

/** True when `a` is a later copy of the same finding than `b`: higher count, then later `updatedAt`. */
export function isNewer(a: Finding, b: Finding): boolean {
  if (a.count !== b.count) return a.count > b.count;
  return Date.parse(a.updatedAt) > Date.parse(b.updatedAt);
}

/** `routeFor` of each account, worked out once per batch (a batch holds few accounts). */
function routesOf(config: RouteConfig): (accountId: string) => Route {
  const routes = new Map<string, Route>();
  return (accountId) => {
    let route = routes.get(accountId);
    if (route === undefined) {
      route = routeFor(config, accountId);
      routes.set(accountId, route);
    }
    return route;
  };
}
