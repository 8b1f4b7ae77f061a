import { findingConsoleUrl, partitionOf } from '../../../shared/index.ts';
import { asRecord, toIsoTime, toText } from '../normalize.ts';
import type { Finding, ParseResult } from '../../types.ts';
import { DRIFT_EVENT, type DriftAlert } from './types.ts';

/** Severity given to drift (High) and to a recovery (Low: good news, still delivered). */
export const DRIFT_SEVERITY = { drifted: 8, recovered: 2 } as const;

/** True for a drift alert put on the hub queue by the drift check. */
export const isDriftEvent = (event: Record<string, unknown>): boolean => event['detail-type'] === DRIFT_EVENT.detailType && event.source === DRIFT_EVENT.source;

/** Parses a drift alert into a `Finding` carrying it (`drift`). Never throws. */
export function parseDriftEvent(event: Record<string, unknown>): ParseResult {
  const detail = asRecord(event.detail);
  const kind = detail?.kind;
  if (detail === undefined || (kind !== 'drifted' && kind !== 'recovered')) return { ok: false, reason: 'detail.kind must be drifted or recovered' };
  const [region, subject, accountId, from, to, expected] = (['region', 'subject', 'accountId', 'from', 'to', 'expected'] as const).map((key) => toText(detail[key]));
  if (region === undefined || subject === undefined || accountId === undefined || to === undefined || expected === undefined) {
    return { ok: false, reason: 'a drift alert needs region, subject, accountId, to and expected' };
  }
  const alert: DriftAlert = { kind, region, subject, accountId, from: from ?? 'unknown', to, expected };
  const time = toIsoTime(detail.time) ?? toIsoTime(event.time) ?? new Date(0).toISOString();
  const what = subject === 'detector' ? 'GuardDuty detector' : subject === 'cloudtrail' ? 'CloudTrail (feeds the tamper alerts)' : `member ${accountId}`;
  const title = kind === 'drifted' ? `${what} is ${to} in ${region} (expected ${expected})` : `${what} is ${to} again in ${region}`;
  const id = `drift:${region}:${subject}:${kind}:${time}`;
  return {
    ok: true,
    finding: {
      kind: 'drift',
      id,
      type: `GuardDutyHub:Drift/${kind === 'drifted' ? 'Drifted' : 'Recovered'}`,
      title,
      description:
        kind === 'drifted'
          ? `${what} was ${alert.from}. Findings from it may no longer reach the hub; check it in the GuardDuty console (Accounts).`
          : `${what} was ${alert.from}; findings flow again.`,
      severity: DRIFT_SEVERITY[kind],
      band: kind === 'drifted' ? 'high' : 'low',
      accountId,
      region,
      partition: partitionOf(region),
      count: 1,
      firstSeen: time,
      lastSeen: time,
      updatedAt: time,
      archived: false,
      resource: { type: subject === 'member' || subject.startsWith('member:') ? 'Member' : subject === 'detector' ? 'Detector' : 'Trail', label: subject.startsWith('member:') ? accountId : `${subject} in ${region}`, details: [['status', `${alert.from} → ${to}`]] },
      consoleUrl: findingConsoleUrl(region, id).replace(/#\/findings.*$/, '#/accounts'),
      drift: alert,
    } satisfies Finding,
  };
}
