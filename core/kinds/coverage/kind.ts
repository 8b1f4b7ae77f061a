import type { AlertKind } from '../kind.ts';
import { decideTamper } from '../tamper/route.ts';
import { isCoverageEvent, parseCoverageEvent } from './parse.ts';

/**
 * GuardDuty's coverage events (Runtime Monitoring healthy or not, a Malware Protection plan's status, a
 * failed post-scan action): routed like a configuration change, to every destination of the account
 * whatever its threshold (losing coverage is never below it); never digested; notified once per change.
 */
export const COVERAGE_KIND: AlertKind = {
  kind: 'coverage',
  recognises: isCoverageEvent,
  parse: parseCoverageEvent,
  route: (finding, config) => decideTamper(finding, config),
  digested: false,
};
