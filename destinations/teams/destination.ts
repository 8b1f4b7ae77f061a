import type { DeliveryPass, Destination, Rerouted } from '../../core/port/destination.ts';
import type { MessageOutcome } from '../../core/port/outcome.ts';
import type { NotifyGroup } from '../../core/repeats/index.ts';
import type { RoutedFinding } from '../../core/types.ts';
import { deliverCards, type TeamsEnvironment } from './deliver.ts';
import { type TeamsMessage, teamsMessages } from './messages.ts';

/**
 * The Microsoft Teams destination (`type: teams`): an Adaptive Card per notification (one per finding,
 * or digest cards when more than `digestThreshold` go to one destination in a batch), posted to the
 * Workflows webhook URL in the destination's secret, sent smaller or simpler when Teams refuses it.
 */
export function teamsDestination(env: TeamsEnvironment): Destination {
  return {
    type: 'teams',
    deliver(groups: readonly NotifyGroup[], pass: DeliveryPass): Promise<MessageOutcome[]> {
      const noteOf = new Map<RoutedFinding, string>();
      const joining = groups.filter((group) => group.joins !== undefined);
      const messages = [
        ...teamsMessages(
          groups.filter((group) => group.joins === undefined),
          pass.config,
        ),
        ...joining.flatMap((group) => {
          const note = joinNote(group);
          noteOf.set(group, note);
          return teamsMessages([group], pass.config, () => note);
        }),
      ];
      return deliverCards(messages, env, { ...pass, noteFor: firstNote(noteOf) });
    },
    deliverRerouted(rerouted: readonly Rerouted[], pass: DeliveryPass): Promise<MessageOutcome[]> {
      const noteOf = new Map<RoutedFinding, string>();
      const messages = rerouted.flatMap(({ note, findings }) => {
        for (const routed of findings) noteOf.set(routed, note);
        return teamsMessages(findings, pass.config, () => note);
      });
      // A refused card is sent again smaller with the same note: the note of the destination the finding left.
      return deliverCards(messages, env, { ...pass, noteFor: firstNote(noteOf) });
    },
  };
}

/** The note of a message: that of its first finding (a message's findings share one). */
function firstNote(noteOf: ReadonlyMap<RoutedFinding, string>): (message: TeamsMessage) => string | undefined {
  return (message) => (message.findings[0] === undefined ? undefined : noteOf.get(message.findings[0]));
}

/**
 * The note on a group that joins an issue notified before: `Same issue as the message of 2026-01-15
 * 10:00 UTC for us-east-1 (access-key AKIA…): now also seen in eu-north-1.`
 */
function joinNote(group: NotifyGroup): string {
  const { joins } = group;
  if (joins === undefined) return '';
  const added = group.regions.filter((region) => !joins.regions.includes(region));
  const at = new Date(joins.notifiedAtMs).toISOString().slice(0, 16).replace('T', ' ');
  const identity = joins.identity.replace(':', ' ');
  return `Same issue as the message of ${at} UTC for ${joins.regions.join(', ')} (${identity}): now also seen in ${added.join(', ')}.`;
}
