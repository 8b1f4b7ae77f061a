import { routeFor } from '../../../shared/config/derive.ts';
import { isQuietPrincipal } from '../../../shared/guard/quiet.ts';
import type { Finding } from '../../types.ts';
import type { Decision, RouteConfig } from '../../route/types.ts';

/**
 * Where a GuardDuty configuration change or a drift alert goes: every destination of the account it was made in,
 * whatever that account's (and those destinations') threshold (a change is never below it) and whatever the `suppress` rules
 * say (they are about findings). A change by one of `guard.quietPrincipals` is marked quiet, or
 * skipped as suppressed when `guard.quietChanges` is `drop`.
 */
export function decideTamper(finding: Finding, config: RouteConfig): Decision {
  const change = finding.tamper;
  const destinations = routeFor(config, finding.accountId).lanes.map((lane) => lane.destination);
  if (change === undefined || config.guard === undefined) return { destinations };
  const who = { arn: change.principal.arn, issuerArn: change.principal.issuerArn };
  if (!isQuietPrincipal(config.guard, who)) return { destinations };
  if (config.guard.quietChanges === 'drop') {
    return {
      reason: 'suppressed',
      detail: `${change.eventName} by quiet principal ${change.principal.issuerArn ?? change.principal.arn ?? ''}`,
    };
  }
  return { destinations, finding: { ...finding, tamper: { ...change, quiet: true } } };
}
