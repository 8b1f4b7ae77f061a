import { alertView, bySeverityThenNewest } from '../../core/message/index.ts';
import { kindOf } from '../../core/kinds/index.ts';
import type { OutgoingMessage } from '../../core/port/outcome.ts';
import type { RoutedFinding } from '../../core/types.ts';
import { bodyBytes, type TeamsPayload } from './card.ts';
import { type DigestConfig, renderDigestCards } from './digest.ts';
import { TEAMS_LIMITS } from './limits.ts';
import { renderViewCard } from './single.ts';

/** The parts of the config Teams cards read: account names and the digest settings. */
export interface TeamsRenderConfig extends DigestConfig {
  readonly delivery: DigestConfig['delivery'] & { readonly digestThreshold: number };
}

/** One Teams message to send and the findings it stands for. */
export type TeamsMessage = OutgoingMessage<TeamsPayload>;

/**
 * The Teams messages of routed findings. Findings are grouped by destination (in order of first
 * appearance); a destination with more than `delivery.digestThreshold` findings gets digest cards,
 * otherwise one card per finding, highest severity first. A kind that is never digested (a GuardDuty
 * configuration change) always gets a card of its own. `note` (why, per destination) tops every card.
 */
export function teamsMessages(
  routed: readonly RoutedFinding[],
  config: TeamsRenderConfig,
  note: (destination: string) => string | undefined = () => undefined,
): TeamsMessage[] {
  const byDestination = new Map<string, RoutedFinding[]>();
  for (const item of routed)
    byDestination.set(item.destination, [...(byDestination.get(item.destination) ?? []), item]);
  const messages: TeamsMessage[] = [];
  for (const [destination, all] of byDestination) {
    const said = note(destination);
    const alone = all.filter((item) => !kindOf(item.finding).digested);
    const digested = all.filter((item) => kindOf(item.finding).digested);
    const single = (item: RoutedFinding): TeamsMessage => ({
      destination,
      kind: 'single',
      payload: renderFindingCard(item, config, said),
      findings: [item],
    });
    messages.push(...alone.map(single));
    if (digested.length > config.delivery.digestThreshold) {
      for (const digest of renderDigestCards(digested, config, said))
        messages.push({ destination, kind: 'digest', payload: digest.payload, findings: digest.findings });
    } else {
      messages.push(...[...digested].sort((a, b) => bySeverityThenNewest(a.finding, b.finding)).map(single));
    }
  }
  return messages;
}

/**
 * One finding's card: the full card when it fits the body size limit, else the compact one (no family
 * sections, shorter texts), which always fits.
 */
export function renderFindingCard(routed: RoutedFinding, config: DigestConfig, note?: string): TeamsPayload {
  const view = alertView(routed, config);
  const full = renderViewCard(view, note, 'full');
  return bodyBytes(full) <= TEAMS_LIMITS.maxBodyBytes ? full : renderViewCard(view, note, 'compact');
}
