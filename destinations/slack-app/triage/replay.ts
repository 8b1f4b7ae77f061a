import { slackRequestKey as requestKey } from '../../../core/state-keys.ts';
import { randomUUID } from 'node:crypto';
import type { StateStore } from '../../../core/repeats/index.ts';
import { MAX_REQUEST_AGE_SECONDS } from './signature.ts';
import { TRIAGE_JOB_MAX_AGE_SECONDS } from '../../../shared/triage.ts';

/**
 * Replay protection: each signed request, and each sealed job, is taken once. Its key (a SHA-256 of
 * the signature or seal) is written to the state table with a conditional write (the repeat gate's
 * claim: absent, or no live claim), held longer than a timestamp or a job stays acceptable; a second
 * request with the same signature, or job with the same seal, loses.
 */
export interface ReplayGuard {
  /** True the first time `signature` (or seal) is seen; false for a replay. */
  firstSeen(signature: string, nowMs: number): Promise<boolean>;
}

/**
 * A mark is held twice the longest a request's timestamp or a job stays acceptable (past it, the
 * timestamp or age check refuses it anyway).
 */
const HOLD_MS = 2 * Math.max(MAX_REQUEST_AGE_SECONDS, TRIAGE_JOB_MAX_AGE_SECONDS) * 1000;

export { slackRequestKey as requestKey } from '../../../core/state-keys.ts';

/**
 * A {@link ReplayGuard} over a state store (DynamoDB in the Lambda, memory locally), keyed by `keyOf`:
 * Slack request signatures by default, `triageJobKey` for the worker's jobs.
 */
export function replayGuardOver(
  store: Pick<StateStore, 'claim'>,
  keyOf: (signature: string) => string = requestKey,
): ReplayGuard {
  return {
    async firstSeen(signature, nowMs) {
      const claim = { token: randomUUID(), untilMs: nowMs + HOLD_MS, band: 'low' as const, severity: 0, count: 0 };
      const expiresAtSeconds = Math.ceil((nowMs + HOLD_MS) / 1000) + 86_400;
      return (await store.claim(keyOf(signature), claim, { version: 0, nowMs }, expiresAtSeconds)).ok;
    },
  };
}
