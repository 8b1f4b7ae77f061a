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
 * missing; CloudTrail not recording GuardDuty calls, when checked) and once when it returns; a subject that stays wrong, or moves between wrong statuses,
 * stays quiet. A subject seen for the first time counts as having been fine before, so drift that
 * exists when the check starts is reported once.
 */
export function decideDrift(
  expected: DriftExpectation,
  observed: DriftObservation,
  previous: DriftState,
  adminAccountId: string,
): DriftDecision {
  const subjects: [subject: string, accountId: string, now: string, want: string][] = [
    ['detector', adminAccountId, observed.detector, EXPECTED_STATUS.detector],
    ...(observed.cloudtrail === undefined
      ? []
      : [
          ['cloudtrail', adminAccountId, observed.cloudtrail, EXPECTED_STATUS.cloudtrail] as [
            string,
            string,
            string,
            string,
          ],
        ]),
    ...expected.members.map((id): [string, string, string, string] => [
      `member:${id}`,
      id,
      observed.members.get(id) ?? 'missing',
      EXPECTED_STATUS.member,
    ]),
  ];
  const alerts: DriftAlert[] = [];
  const next = new Map<string, string>();
  for (const [subject, accountId, now, want] of subjects) {
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
    });
  }
  return { alerts, next };
}
