import {
  EXPECTED_STATUS,
  type DriftAlert,
  type DriftExpectation,
  type DriftObservation,
  type DriftState,
} from '../../core/kinds/drift/types.ts';

/** Decision of one check of one region: the alerts to send and the state to remember once they are sent. */
export interface DriftDecision {
  readonly alerts: readonly DriftAlert[];
  readonly next: DriftState;
}

/**
 * Compares a region's observation with the config and the last state. A subject alerts once when it
 * leaves its expected status (a member removed, resigned, disabled or gone; the detector disabled or
 * missing; CloudTrail not recording GuardDuty calls, when checked; the canary late) and once when it returns; a subject that stays wrong, or moves between wrong statuses,
 * stays quiet. A subject seen for the first time counts as having been fine before, so drift that
 * exists when the check starts is reported once.
 */
export function decideDrift(
  expected: DriftExpectation,
  observed: DriftObservation,
  previous: DriftState,
  adminAccountId: string,
): DriftDecision {
  const alerts: DriftAlert[] = [];
  const next = new Map<string, string>();
  for (const { subject, accountId, now, want, note } of subjectsOf(expected, observed, adminAccountId)) {
    next.set(subject, now);
    const before = previous.get(subject);
    const wasFine = before === undefined || before === want;
    const isFine = now === want;
    if (wasFine === isFine) continue;
    alerts.push({
      kind: isFine ? 'recovered' : 'drifted',
      region: expected.region,
      subject,
      accountId,
      from: before ?? 'unknown',
      to: now,
      expected: want,
      ...(note === undefined || isFine ? {} : { note }),
    });
  }
  return { alerts, next };
}

/** One subject as observed against what it should be. */
interface Subject {
  readonly subject: string;
  readonly accountId: string;
  readonly now: string;
  readonly want: string;
  readonly note?: string;
}

/** The subjects of a region: its detector, CloudTrail and canary when checked, each expected member. */
function subjectsOf(expected: DriftExpectation, observed: DriftObservation, admin: string): Subject[] {
  const { canary, cloudtrail } = observed;
  return [
    { subject: 'detector', accountId: admin, now: observed.detector, want: EXPECTED_STATUS.detector },
    ...(cloudtrail === undefined
      ? []
      : [{ subject: 'cloudtrail', accountId: admin, now: cloudtrail, want: EXPECTED_STATUS.cloudtrail }]),
    ...(canary === undefined
      ? []
      : [{ subject: 'canary', accountId: admin, now: canary.status, want: EXPECTED_STATUS.canary, ...noteOf(canary) }]),
    ...expected.members.map((id) => ({
      subject: `member:${id}`,
      accountId: id,
      now: observed.members.get(id) ?? 'missing',
      want: EXPECTED_STATUS.member,
    })),
  ];
}

const noteOf = (canary: { readonly note?: string }): { note?: string } =>
  canary.note === undefined ? {} : { note: canary.note };
