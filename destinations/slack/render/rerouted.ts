import type { DeliveryPass, Rerouted } from '../../../core/port/destination.ts';
import type { RoutedFinding } from '../../../core/types.ts';
import type { SlackMessage } from './types.ts';
import { renderMessages } from './render-messages.ts';

/** The Slack messages of rerouted findings (each batch under its own note), and the note of each message. */
export function reroutedMessages(
  rerouted: readonly Rerouted[],
  pass: DeliveryPass,
): { readonly messages: SlackMessage[]; readonly noteFor: (message: SlackMessage) => string | undefined } {
  const noteOf = new Map<RoutedFinding, string>();
  const messages = rerouted.flatMap(({ note, findings }) => {
    for (const routed of findings) noteOf.set(routed, note);
    return renderMessages(findings, pass.config, { note: () => note });
  });
  const noteFor = (message: SlackMessage) =>
    message.findings[0] === undefined ? undefined : noteOf.get(message.findings[0]);
  return { messages, noteFor };
}
