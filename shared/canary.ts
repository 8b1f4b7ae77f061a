import type { HubConfig } from './config/schema.ts';

/**
 * The end-to-end canary: on the drift check's schedule, every `guard.canary.everyMinutes` each region's
 * detector makes one sample finding (`CreateSampleFindings`, of `guard.canary.findingType`). It travels
 * the real path (default bus → forwarder → hub bus → hub rule → queue → consumer); the consumer counts its
 * arrival in the region's canary item of the state table and never posts it; the drift check notices
 * the count move, archives the sample, and alerts once when a region's canary is older than its budget.
 */

/** GuardDuty's publishing delay, by `guardduty.findingPublishingFrequency`, in minutes. */
const PUBLISHING_MINUTES = { FIFTEEN_MINUTES: 15, ONE_HOUR: 60, SIX_HOURS: 360 } as const;

/** The config a canary reads. */
export type CanaryConfigView = Pick<HubConfig, 'guard' | 'guardduty'>;

/** True when the config runs the canary (it runs inside the drift check). */
export const canaryEnabled = (config: Pick<HubConfig, 'guard'>): boolean =>
  config.guard.driftCheck && config.guard.canary.enabled;

/**
 * How old a region's last canary may be, in seconds: the interval, plus GuardDuty's publishing delay
 * (the detector's publishing frequency: a new sample is published within minutes, but GuardDuty may
 * publish a repeated sample as an update of an earlier one, at that frequency), plus the margin.
 */
export function canaryBudgetSeconds(config: CanaryConfigView): number {
  const { everyMinutes, marginMinutes } = config.guard.canary;
  return (everyMinutes + PUBLISHING_MINUTES[config.guardduty.findingPublishingFrequency] + marginMinutes) * 60;
}

/** Attributes of a canary item: the consumer adds to `arrivals` and `toArchive`; the drift check owns the rest. */
export const CANARY_ATTRIBUTES = {
  /** Canaries the consumer received (a number it adds to). */
  arrivals: 'arrivals',
  /** Finding ids of received canaries not archived yet (a string set). */
  toArchive: 'toArchive',
  /** When the consumer last received one, epoch ms (its clock). */
  arrivedAtMs: 'arrivedAtMs',
  /** `arrivals` when the drift check last read it. */
  seenArrivals: 'seenArrivals',
  /** When the drift check first saw `arrivals` at its present value, epoch ms (the check's clock). */
  seenAtMs: 'seenAtMs',
  /** When the drift check last made a canary, epoch ms. */
  sentAtMs: 'sentAtMs',
  /** When it made the first one, epoch ms: the age of a region whose canary never arrived counts from there. */
  firstSentAtMs: 'firstSentAtMs',
  /** Why the last canary could not be made, if it could not. */
  sendError: 'sendError',
} as const;

/** The metric of each region's canary age (dimension `Region`), put by the drift check, alarmed by the hub stack. */
export const CANARY_AGE_METRIC = 'CanaryAgeSeconds';

/**
 * True when a finding event's detail is the canary: a sample (`service.additionalInfo.sample`) of the
 * configured type. Any account's: a member's sample of that type travelled the same path.
 */
export function isCanaryFinding(
  finding: { readonly type: string; readonly sample?: true },
  config: Pick<HubConfig, 'guard'>,
): boolean {
  return finding.sample === true && canaryEnabled(config) && finding.type === config.guard.canary.findingType;
}
