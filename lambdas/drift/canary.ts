import { canaryBudgetSeconds, type CanaryConfigView, type HubConfig } from '../../shared/index.ts';
import { judgeCanary, type CanaryRecord, type CanaryStore } from '../../core/canary/index.ts';
import { diagnoseCanary, type PipelineReader } from './canary-hops.ts';

/**
 * One region's canary, once per drift check: notice new arrivals (the consumer counts them), judge the
 * age of the last one against its budget, name the hop most likely broken when it is late, archive the
 * samples that arrived, and make the next sample when one is due.
 */

/** The GuardDuty calls of the canary, in one region. */
export interface SampleMaker {
  /** `CreateSampleFindings` of one type with the detector. */
  create(detectorId: string, findingType: string): Promise<void>;
  /** `ArchiveFindings` of these ids with the (administrator's) detector. */
  archive(detectorId: string, findingIds: readonly string[]): Promise<void>;
}

/** What the canary needs beside the drift check's options. */
export interface CanaryOptions {
  readonly store: CanaryStore;
  readonly samples: (region: string) => SampleMaker;
  /** Reads the hops of the path when a canary is late. */
  readonly pipeline: PipelineReader;
  /** Puts each region's age (seconds) as the `CanaryAgeSeconds` metric; default none. */
  readonly putAges?: (ages: ReadonlyMap<string, number>) => Promise<void>;
}

/** A region's canary as the check sees it. `waiting`: no canary made yet, nothing to judge. */
export interface CanaryObservation {
  readonly status: 'arriving' | 'late' | 'waiting';
  /** Seconds since the last arrival was seen (or since the first canary was made, if none arrived). */
  readonly ageSeconds?: number;
  /** When late: the hop most likely broken and what was seen, for the alert. */
  readonly note?: string;
}

/** What the check reads: the canary settings, the publishing frequency, the drift check's interval. */
export type CanaryCheckConfig = CanaryConfigView & Pick<HubConfig, 'hub' | 'regions'>;

/**
 * Runs a region's canary round and returns what it saw. `detector.id` undefined: the region has no
 * detector, so no sample can be made (the age still grows and the alert names the detector).
 */
export async function canaryRound(
  options: CanaryOptions,
  config: CanaryCheckConfig,
  region: string,
  detector: { readonly id: string | undefined; readonly status: string },
  nowMs: number,
): Promise<CanaryObservation> {
  const record = await options.store.load(region);
  const seen = noticeArrivals(record, nowMs);
  const observation: CanaryObservation = judgeCanary(seen, canaryBudgetSeconds(config), nowMs);
  const note =
    observation.status === 'late'
      ? await diagnoseCanary(options.pipeline, config, region, {
          detector,
          sendError: record.sendError ?? undefined,
          nowMs,
        })
      : undefined;
  if (detector.id !== undefined) await archiveArrived(options, region, detector.id, record.toArchive);
  const sent = await sendIfDue(options, config, region, detector.id, seen, nowMs);
  const { seenArrivals, seenAtMs } = seen;
  await options.store.update(region, { ...(seenAtMs === undefined ? {} : { seenArrivals, seenAtMs }), ...sent });
  return note === undefined ? observation : { ...observation, note };
}

/** The check's view after this round: a count that moved means a canary arrived since the last round. */
function noticeArrivals(record: CanaryRecord, nowMs: number): CanaryRecord {
  if (record.arrivals === (record.seenArrivals ?? 0)) return record;
  return { ...record, seenArrivals: record.arrivals, seenAtMs: nowMs };
}

/** Archives the samples that arrived (the console stays clean); a refusal waits for the next round. */
async function archiveArrived(
  options: CanaryOptions,
  region: string,
  detectorId: string,
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return;
  try {
    await options.samples(region).archive(detectorId, ids);
    await options.store.archived(region, ids);
  } catch (error) {
    console.warn(JSON.stringify({ message: 'Canary samples not archived', region, ids, error: String(error) }));
  }
}

/**
 * Makes the next sample when `everyMinutes` have passed since the last (less half a check interval, so a
 * schedule that fires a little early does not skip a round). Returns the fields to keep.
 */
async function sendIfDue(
  options: CanaryOptions,
  config: CanaryCheckConfig,
  region: string,
  detectorId: string | undefined,
  record: CanaryRecord,
  nowMs: number,
): Promise<Pick<CanaryRecord, 'sentAtMs' | 'firstSentAtMs' | 'sendError'>> {
  const { everyMinutes } = config.guard.canary;
  const dueMs = (everyMinutes - config.guard.driftCheckMinutes / 2) * 60_000;
  if (record.sentAtMs !== undefined && nowMs - record.sentAtMs < dueMs) return {};
  const first = record.firstSentAtMs === undefined ? { firstSentAtMs: nowMs } : {};
  if (detectorId === undefined) return { ...first, sentAtMs: nowMs, sendError: `no GuardDuty detector in ${region}` };
  try {
    await options.samples(region).create(detectorId, config.guard.canary.findingType);
    return { ...first, sentAtMs: nowMs, sendError: null };
  } catch (error) {
    return { ...first, sentAtMs: nowMs, sendError: error instanceof Error ? error.message : String(error) };
  }
}
