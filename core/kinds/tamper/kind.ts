import type { AlertKind } from '../kind.ts';
import { isCloudTrailEvent, parseTamperEvent } from './parse.ts';
import { decideTamper } from './route.ts';

/** GuardDuty configuration changes (CloudTrail events of the tamper rules): never digested, routed by `decideTamper`. */
export const TAMPER_KIND: AlertKind = {
  kind: 'tamper',
  recognises: isCloudTrailEvent,
  parse: parseTamperEvent,
  route: (finding, config) => decideTamper(finding, config),
  digested: false,
};
