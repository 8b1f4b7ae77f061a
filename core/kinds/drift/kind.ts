import { decideTamper } from '../tamper/route.ts';
import type { AlertKind } from '../kind.ts';
import { isDriftEvent, parseDriftEvent } from './parse.ts';

/** Alerts of the scheduled drift check: routed like a configuration change, to the account's destination whatever its threshold. */
export const DRIFT_KIND: AlertKind = {
  kind: 'drift',
  recognises: isDriftEvent,
  parse: parseDriftEvent,
  route: (finding, config) => decideTamper(finding, config),
  digested: true,
};
