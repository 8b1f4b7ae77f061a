import { slackRequestKey as requestKey } from '../../../core/state-keys.ts';
import { randomUUID } from 'node:crypto';
import type { StateStore } from '../../../core/repeats/index.ts';
import { MAX_REQUEST_AGE_SECONDS } from './signature.ts';

/**
 * Replay protection: each signed request is taken once. The signature's SHA-256 is written to the
 * state table with a conditional write (the repeat gate's claim: absent, or no live claim), held
 * longer than a timestamp stays acceptable; a second request with the same signature loses.
 */
export interface ReplayGuard {
  /** True the first time `signature` is seen; false for a replay. */
  firstSeen(signature: string, nowMs: number): Promise<boolean>;
}

/** A request's mark is held twice the accepted clock difference (past it, the timestamp check refuses it anyway). */
const HOLD_MS = 2 * MAX_REQUEST_AGE_SECONDS * 1000;

export { slackRequestKey as requestKey } from '../../../core/state-keys.ts';

/** A {@link ReplayGuard} over a state store (DynamoDB in the Lambda, memory locally). */
export function replayGuardOver(store: Pick<StateStore, 'claim'>): ReplayGuard {
  return {
    async firstSeen(signature, nowMs) {
      const claim = { token: randomUUID(), untilMs: nowMs + HOLD_MS, band: 'low' as const, severity: 0, count: 0 };
      const expiresAtSeconds = Math.ceil((nowMs + HOLD_MS) / 1000) + 86_400;
      return (await store.claim(requestKey(signature), claim, { version: 0, nowMs }, expiresAtSeconds)).ok;
    },
  };
}
