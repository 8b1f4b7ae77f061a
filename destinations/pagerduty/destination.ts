import type { Destination, DeliveryPass, Rerouted } from '../../core/port/destination.ts';
import type { MessageOutcome } from '../../core/port/outcome.ts';
import type { NotifyGroup } from '../../core/repeats/index.ts';
import type { RoutedFinding } from '../../core/types.ts';
import { ResolvedKeys, resolveArchived, resolvedKeyOf } from './archive.ts';
import { triggerEvent, type TriggerOptions } from './event.ts';
import { sendEvents, type EventMessage, type PagerDutyEnvironment } from './send.ts';

/**
 * The PagerDuty destination (`type: pagerduty`, `routingKeySecret`): every notification triggers the
 * alert of its issue through the Events API v2 (one event per finding or folded issue, never a digest:
 * the `dedup_key` is what keeps one alert per issue), so a later severity rise triggers the same alert
 * again; an archived finding resolves it. Findings rerouted here trigger with their note.
 */
export function pagerDutyDestination(env: PagerDutyEnvironment): Destination {
  const resolved = new ResolvedKeys();
  const trigger = async (
    findings: readonly (readonly [RoutedFinding, TriggerOptions])[],
    pass: DeliveryPass,
  ): Promise<MessageOutcome[]> => {
    const messages = findings.map(([routed, options]) => triggerMessage(routed, pass, options));
    const outcomes = await sendEvents(messages, env, pass.deadlineMs);
    for (const outcome of outcomes) {
      // An alert triggered again may need resolving again when its finding is archived.
      if (outcome.status === 'delivered')
        for (const routed of outcome.message.findings)
          resolved.forget(resolvedKeyOf(routed.destination, routed.finding));
    }
    return outcomes;
  };
  return {
    type: 'pagerduty',
    deliver: (groups: readonly NotifyGroup[], pass) =>
      trigger(
        groups.map((group) => [group, { why: group.why }]),
        pass,
      ),
    deliverRerouted: (rerouted: readonly Rerouted[], pass) =>
      trigger(
        rerouted.flatMap(({ note, findings }) => findings.map((routed) => [routed, { note }] as const)),
        pass,
      ),
    archive: (archived, pass) => resolveArchived(archived, pass.config, env, resolved, pass.deadlineMs),
  };
}

/** The trigger of one finding or issue, standing for it alone. */
function triggerMessage(routed: RoutedFinding, pass: DeliveryPass, options: TriggerOptions): EventMessage {
  return {
    destination: routed.destination,
    kind: 'single',
    payload: triggerEvent(routed, pass.config, options),
    findings: [routed],
  };
}
