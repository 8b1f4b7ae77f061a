import { findingConsoleUrl } from '../../../shared/index.ts';
import { asRecord, toIsoTime, seenOnce, toText } from '../normalize.ts';
import type { DriftFinding, ParseResult } from '../../types.ts';
import { DRIFT_EVENT, type DriftAlert } from './types.ts';

/** Severity given to drift (High) and to a recovery (Low: good news, still delivered). */
export const DRIFT_SEVERITY = { drifted: 8, recovered: 2 } as const;

/** True for a drift alert put on the hub queue by the drift check. */
export const isDriftEvent = (event: Record<string, unknown>): boolean =>
  event['detail-type'] === DRIFT_EVENT.detailType && event.source === DRIFT_EVENT.source;

/** Parses a drift alert into a `Finding` carrying it (`drift`). Never throws. */
export function parseDriftEvent(event: Record<string, unknown>): ParseResult {
  const alert = readAlert(asRecord(event.detail));
  if (typeof alert === 'string') return { ok: false, reason: alert };
  const time = toIsoTime(asRecord(event.detail)?.time) ?? toIsoTime(event.time) ?? new Date(0).toISOString();
  return { ok: true, finding: driftFinding(alert, time) };
}

/** The alert in an event's detail, or why there is none. */
function readAlert(detail: Record<string, unknown> | undefined): DriftAlert | string {
  const kind = detail?.kind;
  if (detail === undefined || (kind !== 'drifted' && kind !== 'recovered'))
    return 'detail.kind must be drifted or recovered';
  const [region, subject, accountId, from, to, expected] = (
    ['region', 'subject', 'accountId', 'from', 'to', 'expected'] as const
  ).map((key) => toText(detail[key]));
  if (
    region === undefined ||
    subject === undefined ||
    accountId === undefined ||
    to === undefined ||
    expected === undefined
  ) {
    return 'a drift alert needs region, subject, accountId, to and expected';
  }
  const note = toText(detail.note);
  return {
    kind,
    region,
    subject,
    accountId,
    from: from ?? 'unknown',
    to,
    expected,
    ...(note === undefined ? {} : { note }),
  };
}

/** What the subject is, in words: `GuardDuty detector`, `member 222222222222`. */
function subjectText(alert: DriftAlert): string {
  if (alert.subject === 'detector') return 'GuardDuty detector';
  if (alert.subject === 'cloudtrail') return 'CloudTrail (feeds the tamper alerts)';
  if (alert.subject === 'canary') return 'The canary';
  return `member ${alert.accountId}`;
}

/** The resource type shown for a subject. */
function resourceType(subject: string): string {
  if (subject.startsWith('member')) return 'Member';
  return ({ detector: 'Detector', canary: 'Canary' } as Record<string, string>)[subject] ?? 'Trail';
}

/** Title and description of an alert. */
function words(alert: DriftAlert): { title: string; description: string } {
  const { kind, region, to, expected } = alert;
  const what = subjectText(alert);
  if (alert.subject === 'canary') {
    return kind === 'drifted'
      ? {
          title: `Findings from ${region} are not reaching the hub: the canary is ${to}`,
          description:
            `The canary, a sample finding GuardDuty makes in ${region} on a schedule, did not reach the consumer in time. ${alert.note ?? ''}`.trim(),
        }
      : {
          title: `Findings from ${region} reach the hub again: the canary arrived`,
          description: `The canary was ${alert.from}.`,
        };
  }
  return kind === 'drifted'
    ? {
        title: `${what} is ${to} in ${region} (expected ${expected})`,
        description: `${what} was ${alert.from}. Findings from it may no longer reach the hub; check it in the GuardDuty console (Accounts).`,
      }
    : { title: `${what} is ${to} again in ${region}`, description: `${what} was ${alert.from}; findings flow again.` };
}

/** The drift alert as a finding of the `drift` kind, High when a subject drifted and Low when it recovered. */
function driftFinding(alert: DriftAlert, time: string): DriftFinding {
  const { kind, region, subject, accountId, to } = alert;
  const id = `drift:${region}:${subject}:${kind}:${time}`;
  const drifted = kind === 'drifted';
  return {
    kind: 'drift',
    id,
    type: `GuardDutyHub:Drift/${drifted ? 'Drifted' : 'Recovered'}`,
    ...words(alert),
    severity: DRIFT_SEVERITY[kind],
    band: drifted ? 'high' : 'low',
    accountId,
    ...seenOnce(region, time, time),
    resource: {
      type: resourceType(subject),
      label: subject.startsWith('member:') ? accountId : `${subject} in ${region}`,
      details: [['status', `${alert.from} → ${to}`]],
    },
    consoleUrl: findingConsoleUrl(region, id).replace(/#\/findings.*$/, '#/accounts'),
    drift: alert,
  };
}
