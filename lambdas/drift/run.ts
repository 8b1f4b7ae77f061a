import { membersInRegion, type HubConfig } from '../../shared/index.ts';
import { decideDrift } from './decide.ts';
import { observeRegion, type GuardDutyReader } from './observe.ts';
import type { DriftStateStore } from './store.ts';
import { trailStatus, type TrailReader } from './trail.ts';
import { DRIFT_EVENT, type DriftAlert } from '../../core/kinds/drift/types.ts';

/** What {@link runDriftCheck} needs; every piece of I/O is injected. */
export interface DriftCheckOptions {
  readonly config: Pick<HubConfig, 'hub' | 'regions' | 'accounts'>;
  /** GuardDuty in a region. */
  readonly guardduty: (region: string) => GuardDutyReader;
  /** CloudTrail in a region; when given, each region must have a logging trail recording write management events. */
  readonly trails?: (region: string) => TrailReader;
  readonly store: DriftStateStore;
  /** Puts alerts on the hub queue (see {@link driftAlertBody}); must throw if any is not accepted. */
  readonly send: (bodies: readonly string[]) => Promise<void>;
  /** Clock. Default `Date.now`. */
  readonly now?: () => number;
}

/** What one run found. */
export interface DriftCheckReport {
  readonly alerts: readonly DriftAlert[];
  /** Regions that could not be read, with the error (their state is left as it was, so nothing is lost). */
  readonly failedRegions: readonly { readonly region: string; readonly error: string }[];
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
  for (const region of config.regions) {
    try {
      const guardduty = await observeRegion(region, options.guardduty(region));
      const observed =
        options.trails === undefined
          ? guardduty
          : { ...guardduty, cloudtrail: trailStatus(region, await options.trails(region).trails()) };
      const expected = { region, members: membersInRegion(config, region).map(([id]) => id) };
      const decision = decideDrift(expected, observed, await options.store.load(region), config.hub.account);
      if (decision.alerts.length > 0) await options.send(decision.alerts.map((alert) => driftAlertBody(alert, now())));
      await options.store.save(region, decision.next);
      alerts.push(...decision.alerts);
    } catch (error) {
      failedRegions.push({ region, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return { alerts, failedRegions };
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
