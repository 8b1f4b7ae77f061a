import type { Silence } from '../../../shared/silences.ts';
import type { SilenceTally } from '../../silences/tally-types.ts';

/**
 * The recap of a silence that ended: sent once by the drift check (`lambdas/drift/silence-ends.ts`) as
 * an event on the hub queue, read by the consumer as an alert of its own kind, and shown at the
 * silence's destination with what it held, who made it and why, and (for a silence kept in the store)
 * a Renew button.
 */

/** EventBridge-shaped envelope of a recap on the hub queue (`source`, `detail-type`). */
export const SILENCE_RECAP_EVENT = { source: 'guardduty-hub', detailType: 'GuardDuty Hub Silence Ended' } as const;

/** The `type` a recap carries (shown, and matched by nothing: no silence holds a recap). */
export const SILENCE_RECAP_TYPE = 'GuardDutyHub:Silence/Ended';

/** What a recap says. */
export interface SilenceRecap {
  /** The silence as it ended (`expiredAtMs` when it was ended early with `silences expire`). */
  readonly silence: Silence & { readonly expiredAtMs?: number };
  /** Findings it held: the exact count (its tally may show fewer, should a tally write have failed). */
  readonly held: number;
  readonly tally: SilenceTally;
  /** True when Renew can act on it: a silence kept in the store (made with the CLI or from Slack), not the config's. */
  readonly renewable: boolean;
}
