import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CreateSampleFindingsCommand, type GuardDutyClient } from '@aws-sdk/client-guardduty';
import { METRIC_NAMES, METRICS_NAMESPACE, SERVICE_NAME } from '../../../shared/telemetry.ts';
import { hubQueueName, type HubConfig } from '../../../shared/index.ts';
import {
  call,
  describeAwsError,
  firstDetectorId,
  noDetectorProblem,
  toCliError,
  type AwsClients,
} from '../../aws/index.ts';
import { NoCredentialsError } from '../../errors.ts';
import { floorToMinute, metricSum, type WatchedMetric } from './metrics.ts';

/** The sample finding type created by default: High (8.0), so it passes every threshold up to High. */
export const DEFAULT_SAMPLE_TYPE = 'Backdoor:EC2/DenialOfService.Tcp';

/** One region's smoke test. */
export interface SmokeRegionResult {
  readonly region: string;
  readonly detectorId: string | null;
  /** `ok` (seen downstream), `not-seen` (timeout) or `failed` (could not create the sample). */
  readonly status: 'ok' | 'not-seen' | 'failed';
  /** Messages the hub queue received since the sample was created (CloudWatch `NumberOfMessagesSent`). */
  readonly queued: number;
  /** Findings the consumer delivered since then (`FindingsDelivered`). */
  readonly delivered: number;
  readonly startedAt: string;
  /** Seconds from creating the sample until it was seen, or until giving up. */
  readonly waitedSeconds: number;
  /** Why the region failed, if it did. */
  readonly error?: string;
}

/** What `smoke` prints. */
export interface SmokeReport {
  readonly findingType: string;
  readonly timeoutSeconds: number;
  readonly regions: SmokeRegionResult[];
  readonly attention: string[];
}

/** Options of {@link runSmoke}. */
export interface SmokeOptions {
  readonly regions: readonly string[];
  readonly findingType: string;
  /** Seconds to wait per region for the sample to show up downstream. */
  readonly timeoutSeconds: number;
  /** Milliseconds between metric polls (CloudWatch SQS metrics come in 1-minute buckets, minutes late). */
  readonly pollIntervalMs: number;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  /** One line per event (sample created, seen, timed out), to stderr. */
  readonly log: (line: string) => void;
}

/**
 * For each region in turn: creates one sample finding with the region's detector, then watches the
 * hub's metrics until the queue or the consumer counts more than before (or the timeout passes).
 * Regions run one after another because the hub's metrics are not per region: while one region's
 * sample is awaited, any increase is attributed to it.
 */
export async function runSmoke(clients: AwsClients, config: HubConfig, options: SmokeOptions): Promise<SmokeReport> {
  const cloudwatch = clients.cloudwatch(config.hub.region);
  const watched = watchedMetrics(config);
  const regions: SmokeRegionResult[] = [];
  for (const region of options.regions) {
    regions.push(await smokeRegion(clients.guardduty(region), cloudwatch, watched, region, options));
  }
  const attention = regions
    .filter((r) => r.status !== 'ok')
    .map((r) =>
      r.status === 'failed'
        ? `${r.region}: ${r.error}`
        : `${r.region}: sample finding not seen within ${options.timeoutSeconds} s (queued ${r.queued}, delivered ${r.delivered})`,
    );
  return { findingType: options.findingType, timeoutSeconds: options.timeoutSeconds, regions, attention };
}

/** The hub queue's `NumberOfMessagesSent` and the consumer's `FindingsDelivered`. */
export function watchedMetrics(config: HubConfig): { queued: WatchedMetric; delivered: WatchedMetric } {
  return {
    queued: {
      namespace: 'AWS/SQS',
      name: 'NumberOfMessagesSent',
      dimensions: [{ Name: 'QueueName', Value: hubQueueName(config) }],
    },
    delivered: {
      namespace: METRICS_NAMESPACE,
      name: METRIC_NAMES.findingsDelivered,
      dimensions: [{ Name: 'service', Value: SERVICE_NAME }],
    },
  };
}

async function smokeRegion(
  guardduty: GuardDutyClient,
  cloudwatch: CloudWatchClient,
  watched: { queued: WatchedMetric; delivered: WatchedMetric },
  region: string,
  options: SmokeOptions,
): Promise<SmokeRegionResult> {
  const started = options.now();
  const base = { region, startedAt: started.toISOString(), queued: 0, delivered: 0, waitedSeconds: 0 };
  let detectorId: string | null = null;
  try {
    detectorId = (await firstDetectorId(guardduty)) ?? null;
    if (detectorId === null) return { ...base, detectorId, status: 'failed', error: noDetectorProblem(region) };
    const detector = detectorId;
    const windowStart = floorToMinute(started);
    const counts = async () => {
      const end = new Date(options.now().getTime() + 60_000);
      const [queued, delivered] = await Promise.all([
        metricSum(cloudwatch, watched.queued, windowStart, end),
        metricSum(cloudwatch, watched.delivered, windowStart, end),
      ]);
      return { queued, delivered };
    };
    const before = await counts();
    await call('CreateSampleFindings', () =>
      guardduty.send(new CreateSampleFindingsCommand({ DetectorId: detector, FindingTypes: [options.findingType] })),
    );
    options.log(
      `${region}: created a sample ${options.findingType} finding with detector ${detectorId}; waiting up to ${options.timeoutSeconds} s`,
    );
    const deadline = started.getTime() + options.timeoutSeconds * 1000;
    for (;;) {
      await options.sleep(options.pollIntervalMs);
      const now = await counts();
      const seen = { queued: now.queued - before.queued, delivered: now.delivered - before.delivered };
      const waitedSeconds = Math.round((options.now().getTime() - started.getTime()) / 1000);
      if (seen.queued > 0 || seen.delivered > 0) {
        options.log(`${region}: seen after ${waitedSeconds} s (queued ${seen.queued}, delivered ${seen.delivered})`);
        return { ...base, ...seen, detectorId, status: 'ok', waitedSeconds };
      }
      if (options.now().getTime() >= deadline) {
        options.log(`${region}: not seen within ${options.timeoutSeconds} s`);
        return { ...base, ...seen, detectorId, status: 'not-seen', waitedSeconds };
      }
    }
  } catch (error) {
    const cliError = toCliError('smoke', error);
    if (cliError instanceof NoCredentialsError) throw cliError;
    return {
      ...base,
      detectorId,
      status: 'failed',
      error: error instanceof Error ? error.message : describeAwsError(error),
    };
  }
}
