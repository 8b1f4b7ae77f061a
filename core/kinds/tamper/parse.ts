import { TAMPER_EVENTS, consoleHost, isTamperEventName } from '../../../shared/index.ts';
import { asArray, asRecord, toIsoTime, seenOnce, toText } from '../normalize.ts';
import type { ParseResult, TamperFinding } from '../../types.ts';
import { MAX_PARAMETERS, type TamperChange } from './types.ts';
import { isWeakening } from './weakening.ts';

/** Prefix of the finding id given to a change: `cloudtrail:<eventID>`. */
export const TAMPER_ID_PREFIX = 'cloudtrail:';

/** Finding type given to a change: `GuardDutyHub:Tamper/<eventName>`. */
export const tamperType = (eventName: string): string => `GuardDutyHub:Tamper/${eventName}`;

/** Severity given to a weakening change (Critical) and to any other watched change (Medium). */
export const TAMPER_SEVERITY = { weakening: 9, other: 5 } as const;

const NO_TIME = new Date(0).toISOString();

/** True when an EventBridge event is a CloudTrail record of a GuardDuty API call. */
export function isCloudTrailEvent(event: Record<string, unknown>): boolean {
  return event['detail-type'] === 'AWS API Call via CloudTrail';
}

/**
 * Parses a CloudTrail event of a watched GuardDuty call into a `Finding` carrying the change. Never
 * throws; an event of another service or an unwatched call gives `{ ok: false, reason }`.
 */
export function parseTamperEvent(event: Record<string, unknown>): ParseResult {
  const detail = asRecord(event.detail);
  if (detail === undefined) return { ok: false, reason: 'detail is missing' };
  if (detail.eventSource !== 'guardduty.amazonaws.com')
    return {
      ok: false,
      reason: `detail.eventSource is not guardduty.amazonaws.com (got ${String(detail.eventSource)})`,
    };
  const eventName = toText(detail.eventName) ?? '';
  if (!isTamperEventName(eventName))
    return { ok: false, reason: `detail.eventName ${eventName || '(missing)'} is not a watched GuardDuty call` };
  const eventId = toText(detail.eventID);
  if (eventId === undefined) return { ok: false, reason: 'detail.eventID is missing' };
  const accountId = toText(detail.recipientAccountId) ?? toText(event.account);
  if (accountId === undefined)
    return { ok: false, reason: 'detail.recipientAccountId is missing and the event has no account' };
  const region = toText(detail.awsRegion) ?? toText(event.region);
  if (region === undefined) return { ok: false, reason: 'detail.awsRegion is missing and the event has no region' };

  const identity = asRecord(detail.userIdentity) ?? {};
  const issuer = asRecord(asRecord(identity.sessionContext)?.sessionIssuer) ?? {};
  const requestParameters = asRecord(detail.requestParameters) ?? {};
  const change: TamperChange = {
    eventName,
    spec: TAMPER_EVENTS[eventName],
    weakening: isWeakening(eventName, requestParameters),
    eventId,
    eventTime: toIsoTime(detail.eventTime) ?? toIsoTime(event.time),
    accountId,
    region,
    principal: { arn: toText(identity.arn), issuerArn: toText(issuer.arn), type: toText(identity.type) },
    sourceIp: toText(detail.sourceIPAddress),
    userAgent: toText(detail.userAgent),
    parameters: flattenParameters(requestParameters).slice(0, MAX_PARAMETERS),
    errorCode: toText(detail.errorCode),
  };
  return { ok: true, finding: changeAsFinding(change) };
}

/** The change dressed as a finding, so that routing, the repeat gate and delivery treat it as one. */
function changeAsFinding(change: TamperChange): TamperFinding {
  const { eventName, spec, region, eventId } = change;
  const time = change.eventTime ?? NO_TIME;
  return {
    kind: 'tamper',
    id: `${TAMPER_ID_PREFIX}${eventId}`,
    type: tamperType(eventName),
    title: `${eventName}: ${spec.change}`,
    description: spec.risk,
    severity: change.weakening ? TAMPER_SEVERITY.weakening : TAMPER_SEVERITY.other,
    band: change.weakening ? 'critical' : 'medium',
    accountId: change.accountId,
    ...seenOnce(region, change.eventTime, time),
    resource: { type: 'GuardDuty', label: eventName, details: [] },
    consoleUrl: `https://${consoleHost(region)}/cloudtrail/home?region=${encodeURIComponent(region)}#/events/${encodeURIComponent(eventId)}`,
    tamper: change,
  };
}

/** `{a: {b: 1}, ids: ['x', 'y']}` → `[['a.b', '1'], ['ids', 'x, y']]`; objects in arrays get `[i]`. */
export function flattenParameters(value: unknown, path = ''): [string, string][] {
  const record = asRecord(value);
  if (record !== undefined) {
    return Object.entries(record).flatMap(([key, inner]) =>
      flattenParameters(inner, path === '' ? key : `${path}.${key}`),
    );
  }
  if (Array.isArray(value)) {
    const items = asArray(value);
    if (items.every((item) => asRecord(item) === undefined && !Array.isArray(item)))
      return [[path, items.map(String).join(', ')]];
    return items.flatMap((item, i) => flattenParameters(item, `${path}[${i}]`));
  }
  return value === null || value === undefined ? [] : [[path, String(value)]];
}
