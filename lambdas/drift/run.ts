import { membersInRegion, type HubConfig } from '../../shared/index.ts';
import { decideDrift } from './decide.ts';
import { observeRegion, type GuardDutyReader } from './observe.ts';
import type { DriftStateStore } from './store.ts';
import { trailStatus, type TrailReader } from './trail.ts';
import { DRIFT_EVENT, type DriftAlert, type DriftObservation } from '../../core/kinds/drift/types.ts';
import { canaryRound, type CanaryOptions } from './canary.ts';

/** What {@link runDriftCheck} needs; every piece of I/O is injected. */
export interface DriftCheckOptions {
  readonly config: Pick<HubConfig, 'hub' | 'regions' | 'accounts' | 'guard' | 'guardduty'>;
  /** GuardDuty in a region. */
  readonly guardduty: (region: string) => GuardDutyReader;
  /** CloudTrail in a region; when given, each region must have a logging trail recording write management events. */
  readonly trails?: (region: string) => TrailReader;
  readonly store: DriftStateStore;
  /** Puts alerts on the hub queue (see {@link driftAlertBody}); must throw if any is not accepted. */
  readonly send: (bodies: readonly string[]) => Promise<void>;
  /** Clock. Default `Date.now`. */
  readonly now?: () => number;
  /** The end-to-end canary of each region; none when absent (`guard.canary.enabled` false). */
  readonly canary?: CanaryOptions;
}

/** What one run found. */
export interface DriftCheckReport {
  readonly alerts: readonly DriftAlert[];
  /** Regions that could not be read, with the error (their state is left as it was, so nothing is lost). */
  readonly failedRegions: readonly { readonly region: string; readonly error: string }[];
  /** Each region's canary age in seconds, where one was judged. */
  readonly canaryAges: ReadonlyMap<string, number>;
}

/**
 * Checks every region: observes, decides against the last state, sends the alerts, and only then
 * remembers the new state, so an alert that could not be sent is decided again on the next run.
 */
export async function runDriftCheck(options: DriftCheckOptions): Promise<DriftCheckReport> {
  const { config } = options;
  const now = options.now ?? Date.now;
  const alerts: DriftAlert[] = [];
  const failedRegions: { region: string; error: string }[] = [];
  const canaryAges = new Map<string, number>();
  for (const region of config.regions) {
    try {
      const observed = await observe(options, region, now());
      if (observed.canaryAge !== undefined) canaryAges.set(region, observed.canaryAge);
      const expected = { region, members: membersInRegion(config, region).map(([id]) => id) };
      const decision = decideDrift(expected, observed, await options.store.load(region), config.hub.account);
      if (decision.alerts.length > 0) await options.send(decision.alerts.map((alert) => driftAlertBody(alert, now())));
      await options.store.save(region, decision.next);
      alerts.push(...decision.alerts);
    } catch (error) {
      failedRegions.push({ region, error: error instanceof Error ? error.message : String(error) });
    }
  }
  if (canaryAges.size > 0) await options.canary?.putAges?.(canaryAges);
  return { alerts, failedRegions, canaryAges };
}

/** A region's detector, members, CloudTrail (when checked) and canary (when run). */
async function observe(
  options: DriftCheckOptions,
  region: string,
  nowMs: number,
): Promise<DriftObservation & { readonly canaryAge?: number }> {
  const guardduty = await observeRegion(region, options.guardduty(region));
  const trail =
    options.trails === undefined ? {} : { cloudtrail: trailStatus(region, await options.trails(region).trails()) };
  if (options.canary === undefined) return { ...guardduty, ...trail };
  const detector = { id: guardduty.detectorId, status: guardduty.detector };
  const seen = await canaryRound(options.canary, options.config, region, detector, nowMs);
  if (seen.status === 'waiting') return { ...guardduty, ...trail };
  const canary = seen.note === undefined ? { status: seen.status } : { status: seen.status, note: seen.note };
  return { ...guardduty, ...trail, canary, ...(seen.ageSeconds === undefined ? {} : { canaryAge: seen.ageSeconds }) };
}

/** The SQS body of an alert: an EventBridge-shaped envelope the consumer recognizes (`detail-type` {@link DRIFT_EVENT}). */
export function driftAlertBody(alert: DriftAlert, nowMs: number): string {
  const time = new Date(nowMs).toISOString();
  return JSON.stringify({
    version: '0',
    source: DRIFT_EVENT.source,
    'detail-type': DRIFT_EVENT.detailType,
    account: alert.accountId,
    region: alert.region,
    time,
    detail: { ...alert, time },
  });
}
