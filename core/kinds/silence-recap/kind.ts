import { destinationTypeOf, routeFor } from '../../../shared/config/derive.ts';
import type { Decision, RouteConfig } from '../../route/types.ts';
import type { Finding } from '../../types.ts';
import type { AlertKind } from '../kind.ts';
import { isSilenceRecapEvent, parseSilenceRecapEvent } from './parse.ts';
import type { SilenceRecap } from './types.ts';

/**
 * Where a recap goes: a silence made from Slack to the app destination it was made in (while the config
 * still has it); any other to every destination of the accounts it names, or to the default destination
 * when it names none. PagerDuty destinations are left out: a recap is not an incident. With none left,
 * the default destination (unless it is PagerDuty too: then the recap is skipped, and logged as such).
 */
export function recapDestinations(recap: SilenceRecap, config: RouteConfig): string[] {
  const { silence } = recap;
  const own = silence.destination;
  const candidates =
    own !== undefined && Object.hasOwn(config.destinations, own)
      ? [own]
      : (silence.matchers.accounts ?? []).flatMap((id) => routeFor(config, id).lanes.map((lane) => lane.destination));
  const chat = (names: readonly string[]) =>
    [...new Set(names)].filter((name) => destinationTypeOf(config, name) !== 'pagerduty');
  const shown = chat(candidates);
  return shown.length > 0 ? shown : chat([config.defaults.destination]);
}

/** The route of a recap finding: {@link recapDestinations}, whatever thresholds and suppress rules say. */
function routeRecap(finding: Finding, config: RouteConfig): Decision {
  if (finding.kind !== 'silence-recap') return { reason: 'suppressed', detail: 'not a silence recap' };
  const destinations = recapDestinations(finding.recap, config);
  if (destinations.length > 0) return { destinations };
  return { reason: 'suppressed', detail: `recap of ${finding.recap.silence.id}: no chat destination to show it` };
}

/** The recap at a silence's end: routed by {@link recapDestinations}; never digested; never silenced. */
export const SILENCE_RECAP_KIND: AlertKind = {
  kind: 'silence-recap',
  recognises: isSilenceRecapEvent,
  parse: parseSilenceRecapEvent,
  route: routeRecap,
  digested: false,
};
