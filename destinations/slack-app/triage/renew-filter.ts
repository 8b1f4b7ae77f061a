import { SLACK_FILTER_PREFIX } from '../../../shared/index.ts';
import { TriagePayloadError } from './errors.ts';
import { mention, utcMinute } from './state.ts';

/**
 * Renew, the button on the reminder the drift check posts in a finding's thread before a Slack-made
 * filter expires: it pushes the filter's expiry tag out in every configured region (`TagResource`),
 * authorized by `triage.allow.suppress` like the filter itself.
 */

/** `action_id` of the Renew button. */
export const FILTER_RENEW_ACTION_ID = 'gdh-triage-renew-filter';

/** A Slack-made filter's name: the prefix and 16 hex digits (`criteria.ts`). */
const FILTER_NAME = new RegExp(`^${SLACK_FILTER_PREFIX}[0-9a-f]{16}$`);

/** The button value naming `filterName`. */
export function renewValue(filterName: string): string {
  return JSON.stringify({ n: filterName });
}

/** The filter a Renew button names; throws {@link TriagePayloadError} for anything but a Slack-made filter's name. */
export function renewFilterName(value: string): string {
  let name: unknown;
  try {
    name = (JSON.parse(value) as { n?: unknown } | null)?.n;
  } catch (cause) {
    throw new TriagePayloadError('the Renew button value is not JSON', { cause });
  }
  if (typeof name !== 'string' || !FILTER_NAME.test(name))
    throw new TriagePayloadError('the Renew button names no filter made from Slack');
  return name;
}

/** The thread reply after a renewal. */
export function filterRenewedReply(
  filterName: string,
  userId: string,
  expiresAtMs: number,
  regions: readonly string[],
): string {
  return `:arrows_counterclockwise: ${mention(userId)} renewed the GuardDuty filter \`${filterName}\` until ${utcMinute(expiresAtMs)} (TagResource in ${regions.join(', ')}).`;
}
