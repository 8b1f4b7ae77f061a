import { alertView } from '../../core/message/index.ts';
import type { RoutedFinding } from '../../core/types.ts';
import { cardOf, messageOf, type TeamsPayload, textBlock } from './card.ts';
import { cardLink, escapeCut } from './escape.ts';
import { TEAMS_LIMITS } from './limits.ts';
import { noteBlock, SAMPLE_MARK } from './single.ts';

/**
 * The simplest card of one finding, the last form tried after a refusal: plain TextBlocks only (no
 * container, FactSet, columns or actions) with the essentials, each cut short, and the console link.
 * Always a few kilobytes at most.
 */
export function renderPlainCard(
  routed: RoutedFinding,
  config: { readonly accounts: Readonly<Record<string, { readonly name: string }>> },
  note?: string,
): TeamsPayload {
  const view = alertView(routed, config);
  const fields = Object.fromEntries(view.fields);
  const sample = view.sample ? `${SAMPLE_MARK} ` : '';
  const where = [fields.Account, fields.Region ?? fields.Regions, fields.Type].filter((text) => text !== undefined);
  const body = [
    noteBlock(note),
    textBlock(escapeCut(`${sample}${view.severity} · ${view.what}`, 200), { weight: 'bolder' }),
    textBlock(escapeCut(view.title, 300)),
    textBlock(escapeCut(where.join(' · '), 400)),
    textBlock(
      `${cardLink(view.url, view.footer.linkLabel, 100, TEAMS_LIMITS.urlChars)} · ${escapeCut(`${view.footer.idLabel} ${view.footer.id}`, 200)}`,
    ),
  ];
  return messageOf(cardOf(body, escapeCut(`${sample}${view.summary}`, 300)));
}
