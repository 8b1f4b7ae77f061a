/**
 * Member drift: the scheduled check of each region's detector and member relationships against the
 * config. A subject is `detector` or `member:<account id>`; its state is the status GuardDuty reports.
 */

/** What is expected of a region: a detector that is ENABLED and these members with relationship `Enabled`. */
export interface DriftExpectation {
  readonly region: string;
  /** Member account ids the config expects in the region (never the administrator). */
  readonly members: readonly string[];
}

/** What GuardDuty reports in a region. */
export interface DriftObservation {
  readonly region: string;
  /** The detector's status (`ENABLED`, `DISABLED`), or `missing` when the region has no detector. */
  readonly detector: string;
  /** Relationship status by member account id (`Enabled`, `Removed`, `Resigned`, `Disabled`, `Invited`, …). */
  readonly members: ReadonlyMap<string, string>;
  /** Whether a trail feeds the tamper rules (`logging`, `no-trail`, …; see `trail.ts`); undefined when not checked. */
  readonly cloudtrail?: string;
  /** The detector's id, when there is one. */
  readonly detectorId?: string;
  /** The region's canary (`arriving` or `late`, with a note naming the hop when late); undefined when not run yet. */
  readonly canary?: { readonly status: string; readonly note?: string };
}

/** The last known state of each subject in a region. */
export type DriftState = ReadonlyMap<string, string>;

/** A change worth one message: a subject left its expected state, or came back to it. */
export interface DriftAlert {
  readonly kind: 'drifted' | 'recovered';
  readonly region: string;
  /** `detector`, `cloudtrail`, `canary` or `member:<account id>`. */
  readonly subject: string;
  /** The account concerned: the member, or the administrator for the detector. */
  readonly accountId: string;
  /** The state before (`unknown` on the first check). */
  readonly from: string;
  readonly to: string;
  /** What the subject should be (`ENABLED`, `Enabled`). */
  readonly expected: string;
  /** More to say (a late canary: the hop most likely broken). */
  readonly note?: string;
}

/** The expected status of a detector, a member relationship and the region's CloudTrail coverage. */
export const EXPECTED_STATUS = {
  detector: 'ENABLED',
  member: 'Enabled',
  cloudtrail: 'logging',
  canary: 'arriving',
} as const;

/** EventBridge-shaped envelope of a drift alert on the hub queue (`source`, `detail-type`). */
export const DRIFT_EVENT = { source: 'guardduty-hub', detailType: 'GuardDuty Hub Drift' } as const;
