import { isCanaryFinding, laneTakes, type Route } from '../../../shared/index.ts';
import { findSuppressRule } from '../../route/suppress.ts';
import type { Decision, RouteConfig } from '../../route/types.ts';
import type { Finding } from '../../types.ts';
import type { AlertKind } from '../kind.ts';
import { parseFindingEvent } from './parse.ts';

/** GuardDuty findings (`GuardDuty Finding`), of every family: the kind of any event no other kind claims. */
export const FINDING_KIND: AlertKind = {
  kind: 'finding',
  recognises: () => true,
  parse: parseFindingEvent,
  route: routeFinding,
  digested: true,
};

/**
 * Where a finding goes: skipped when it is the hub's canary, archived, below its account's threshold or matched by a `suppress`
 * rule applied in the hub; else each of its account's destinations (or the defaults') whose own
 * threshold it meets.
 */
export function routeFinding(finding: Finding, config: RouteConfig, routeOf: (accountId: string) => Route): Decision {
  // The canary proves the path, archived or not; it is counted, never posted.
  if (config.guard !== undefined && isCanaryFinding(finding, { guard: config.guard }))
    return { reason: 'canary', detail: `the canary of ${finding.region}` };
  if (finding.archived) return { reason: 'archived', detail: 'archived in GuardDuty' };
  const route = routeOf(finding.accountId);
  if (finding.severity < route.minScore) {
    return {
      reason: 'below-threshold',
      detail: `severity ${finding.severity} is below ${route.minScore} for account ${finding.accountId}`,
    };
  }
  // Rules `at: source` are GuardDuty filters: findings they match are archived before export.
  const rule = findSuppressRule(config.suppress, finding, 'hub');
  if (rule >= 0) return { reason: 'suppressed', detail: `matches suppress[${rule}]` };
  // Each destination may ask for more than the account (a pager only for critical findings and attack sequences).
  const destinations = route.lanes
    .filter((lane) => laneTakes(lane, finding.severity, finding.sequence !== undefined))
    .map((lane) => lane.destination);
  if (destinations.length === 0) {
    return {
      reason: 'below-threshold',
      detail: `severity ${finding.severity} is below what every destination of account ${finding.accountId} takes`,
    };
  }
  return { destinations };
}
