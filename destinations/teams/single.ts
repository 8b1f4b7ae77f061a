import type { AlertView, ViewField, ViewSection } from '../../core/message/index.ts';
import { type CardElement, cardOf, messageOf, openUrl, type TeamsPayload, textBlock } from './card.ts';
import { actionUrl, cardLink, escapeCut } from './escape.ts';
import { BAND_LOOK, TEAMS_LIMITS, TEXT_CHARS } from './limits.ts';

/** What a sample finding's header and fallback start with (GuardDuty's console says the same). */
export const SAMPLE_MARK = '[SAMPLE]';

/** How much of a view a card shows: everything, or without the family sections and with shorter texts. */
export type Detail = 'full' | 'compact';

/**
 * One finding (its neutral view) as one Adaptive Card 1.4: a header coloured by band (container style
 * and text colour), the linked title, a FactSet of the view's fields, the description, the family's
 * sections, a footer with the console link and the id, and an `Action.OpenUrl` to the console.
 * Everything taken from the finding is escaped and cut (see `escape.ts`).
 */
export function renderViewCard(view: AlertView, note?: string, detail: Detail = 'full'): TeamsPayload {
  const look = BAND_LOOK[view.band];
  const sample = view.sample ? `${SAMPLE_MARK} ` : '';
  const factChars = detail === 'full' ? TEXT_CHARS.field : TEXT_CHARS.field / 4;
  const url = actionUrl(view.url, TEAMS_LIMITS.urlChars);
  const body: (CardElement | undefined)[] = [
    noteBlock(note),
    {
      type: 'Container',
      style: look.style,
      bleed: true,
      items: [
        textBlock(escapeCut(`${sample}${view.severity} · ${view.what}`, 200), { weight: 'bolder', color: look.color }),
      ],
    },
    textBlock(cardLink(view.url, view.title, TEXT_CHARS.title, TEAMS_LIMITS.urlChars), {
      size: 'medium',
      weight: 'bolder',
    }),
    factSet(view.fields, factChars),
    view.description === ''
      ? undefined
      : textBlock(escapeCut(view.description, detail === 'full' ? TEXT_CHARS.description : TEXT_CHARS.description / 6)),
    ...(detail === 'full' ? view.sections.flatMap(sectionElements) : []),
    textBlock(
      `${cardLink(view.url, view.footer.linkLabel, 100, TEAMS_LIMITS.urlChars)} · ${escapeCut(`${view.footer.idLabel} ${view.footer.id}`, TEXT_CHARS.id)}`,
      { size: 'small', isSubtle: true },
    ),
  ];
  const actions = url === undefined ? [] : [openUrl(view.footer.linkLabel, url)];
  return messageOf(cardOf(body, escapeCut(`${sample}${view.summary}`, 500), actions));
}

/** The note on top of a card (why it was rerouted, which issue it joins), subtle; none without one. */
export function noteBlock(note: string | undefined): CardElement | undefined {
  return note === undefined || note === ''
    ? undefined
    : textBlock(escapeCut(note, TEXT_CHARS.note), { isSubtle: true });
}

/** A FactSet of name/value pairs, each value cut to `maxChars`. */
function factSet(fields: readonly ViewField[], maxChars: number): CardElement {
  return {
    type: 'FactSet',
    facts: fields.map(([name, value]) => ({ title: escapeCut(name, 100), value: escapeCut(value, maxChars) })),
  };
}

/** The card elements of one family section: a titled list, lists side by side, facts, or a link line. */
function sectionElements(section: ViewSection): CardElement[] {
  switch (section.kind) {
    case 'list':
      return [
        textBlock(escapeCut(section.title, 100), { weight: 'bolder' }),
        ...listBlocks(section.entries, section.shown),
      ];
    case 'lists':
      return [
        {
          type: 'ColumnSet',
          columns: section.lists.map(([title, entries]) => ({
            type: 'Column',
            width: 'stretch',
            items: [textBlock(escapeCut(title, 100), { weight: 'bolder' }), ...listBlocks(entries, section.shown)],
          })),
        },
      ];
    case 'fields':
      return [factSet(section.fields, TEXT_CHARS.field)];
    case 'link':
      return [
        textBlock(
          `${escapeCut(section.prefix, 100)} ${cardLink(section.url, section.label, 200, TEAMS_LIMITS.urlChars)}`,
        ),
      ];
  }
}

/** One TextBlock per shown entry (`• entry`), then `…and N more`. */
function listBlocks(entries: readonly string[], shown: number): CardElement[] {
  const blocks = entries
    .slice(0, shown)
    .map((entry) => textBlock(`• ${escapeCut(entry, TEXT_CHARS.listEntry)}`, { spacing: 'none' }));
  const more = entries.length - shown;
  return more > 0 ? [...blocks, textBlock(`…and ${more} more`, { spacing: 'none', isSubtle: true })] : blocks;
}
