import { followUpEventFor, type FollowUpAction } from './event.ts';
import { sendEvents, type EventMessage, type PagerDutyEnvironment } from './send.ts';

/**
 * Follow-ups from outside the consumer (a Slack click): `acknowledge` or `resolve` for the alert an
 * issue's trigger opened, sent to each PagerDuty destination through the same sender as triggers (the
 * routing key's bucket, a 429's pause, 5xx and network errors retried with backoff) until a deadline.
 * PagerDuty drops one whose alert is not open, so a destination that never paged the issue is no harm.
 */

/** What became of one follow-up at one PagerDuty destination; `reason` names the destination, never the key. */
export type FollowUpOutcome =
  | { readonly destination: string; readonly sent: true }
  | { readonly destination: string; readonly sent: false; readonly reason: string };

/**
 * Sends `action` for the alert of the issue or finding whose state key is `key` (its `dedup_key`, as the
 * trigger had it) to each of `destinations`. One outcome per destination, in order; a destination
 * whose key cannot be read, that is gone, refuses the event or is not done by `deadlineMs` is one
 * `sent: false` with its reason.
 */
export async function sendFollowUps(
  action: FollowUpAction,
  key: string,
  destinations: readonly string[],
  env: PagerDutyEnvironment,
  deadlineMs: number,
): Promise<FollowUpOutcome[]> {
  const payload = followUpEventFor(action, key);
  const messages: EventMessage[] = destinations.map((destination) => ({
    destination,
    kind: 'single',
    payload,
    findings: [],
  }));
  const outcomes = await sendEvents(messages, env, deadlineMs);
  return outcomes.map(({ message, ...outcome }) =>
    outcome.status === 'delivered'
      ? { destination: message.destination, sent: true }
      : { destination: message.destination, sent: false, reason: outcome.failure.reason },
  );
}
