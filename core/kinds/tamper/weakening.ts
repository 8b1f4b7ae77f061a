import type { TamperEventName } from '../../../shared/guard/index.ts';
import { asArray, asRecord } from '../normalize.ts';

/** Calls that add detection rather than remove it (a new threat list), unless a flag says otherwise. */
const STRENGTHENING: ReadonlySet<TamperEventName> = new Set(['CreateThreatIntelSet', 'CreateThreatEntitySet']);

/**
 * True when a call turns detection off or hides findings: any `enable`/`autoEnable` set false,
 * any `status` DISABLED or auto-enable NONE (detector features, organization settings), a filter
 * with action ARCHIVE, a custom detection rule put in `DRY_RUN` mode or with accounts excluded;
 * every delete, disassociate and stop. A detector update that only changes the
 * publishing frequency, a NOOP filter or a new threat list is a change, not a weakening.
 */
export function isWeakening(eventName: TamperEventName, requestParameters: Record<string, unknown>): boolean {
  if (/^(Delete|Disassociate|Stop|Disable)/.test(eventName)) return true;
  if (eventName === 'CreateFilter' || eventName === 'UpdateFilter') return requestParameters.action === 'ARCHIVE';
  if (STRENGTHENING.has(eventName)) return false;
  if (/^(Create|Update)(IPSet|TrustedEntitySet)$/.test(eventName)) return true;
  return turnsSomethingOff(requestParameters);
}

const OFF_FLAGS = new Set(['enable', 'autoEnable', 'activate']);

function turnsSomethingOff(value: unknown): boolean {
  const record = asRecord(value);
  if (record !== undefined) {
    return Object.entries(record).some(([key, inner]) => {
      if (OFF_FLAGS.has(key) && (inner === false || inner === 'false')) return true;
      if (/status$/i.test(key) && inner === 'DISABLED') return true;
      if (/^autoEnable/.test(key) && inner === 'NONE') return true;
      if (key === 'mode' && inner === 'DRY_RUN') return true;
      if (key === 'excludeAccountIds' && asArray(inner).length > 0) return true;
      return turnsSomethingOff(inner);
    });
  }
  return asArray(value).some(turnsSomethingOff);
}
