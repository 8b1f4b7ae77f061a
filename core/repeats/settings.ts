import { SUPPRESS_BACKTEST_DAYS, type HubConfig } from '../../shared/index.ts';

/** The `repeats:` section of the config: what the gate needs to decide. */
export type RepeatSettings = HubConfig['repeats'];

/** Extra days a state record outlives the longest window it serves, so TTL never expires one early. */
export const TTL_MARGIN_DAYS = 7;

const MS_PER_HOUR = 3_600_000;
const MS_PER_MINUTE = 60_000;
const SECONDS_PER_DAY = 86_400;

/** `renotifyAfterHours` in milliseconds. */
export function renotifyAfterMs(settings: Pick<RepeatSettings, 'renotifyAfterHours'>): number {
  return settings.renotifyAfterHours * MS_PER_HOUR;
}

/** `crossRegionWindowMinutes` in milliseconds (0 turns cross-region folding off). */
export function crossRegionWindowMs(settings: Pick<RepeatSettings, 'crossRegionWindowMinutes'>): number {
  return settings.crossRegionWindowMinutes * MS_PER_MINUTE;
}

/**
 * The DynamoDB TTL (`expiresAt`, epoch seconds) for a record written at `nowMs`:
 * now + max(renotify interval, cross-region window) + {@link TTL_MARGIN_DAYS}.
 */
export function expiresAtSeconds(nowMs: number, settings: RepeatSettings): number {
  const keepMs = Math.max(renotifyAfterMs(settings), crossRegionWindowMs(settings));
  return Math.ceil((nowMs + keepMs) / 1000) + TTL_MARGIN_DAYS * SECONDS_PER_DAY;
}

/**
 * The TTL of a GuardDuty finding's record when its notification is committed: {@link expiresAtSeconds},
 * but at least {@link SUPPRESS_BACKTEST_DAYS} + {@link TTL_MARGIN_DAYS} days, so the suppress backtest
 * sees every finding notified in its window.
 */
export function findingRecordExpiresAtSeconds(nowMs: number, settings: RepeatSettings): number {
  const backtestSeconds = Math.ceil(nowMs / 1000) + (SUPPRESS_BACKTEST_DAYS + TTL_MARGIN_DAYS) * SECONDS_PER_DAY;
  return Math.max(expiresAtSeconds(nowMs, settings), backtestSeconds);
}

/**
 * The claim lease for a deployment: halfway between the consumer's `timeoutSeconds` (a live instance
 * keeps its claim for a whole invocation) and the queue's `visibilityTimeoutSeconds` (a crashed
 * instance's redelivered record finds its claim expired). Defaults 60 and 360 give 210 seconds.
 */
export function claimSecondsFor(config: {
  readonly consumer: { readonly timeoutSeconds: number };
  readonly queue: { readonly visibilityTimeoutSeconds: number };
}): number {
  return Math.floor((config.consumer.timeoutSeconds + config.queue.visibilityTimeoutSeconds) / 2);
}
