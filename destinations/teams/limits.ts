import type { SeverityBand } from '../../shared/severity.ts';

/**
 * What a Microsoft Teams Workflows webhook takes, from Microsoft's documentation:
 * - the request body is a message whose `attachments` hold Adaptive Cards
 *   (`contentType: application/vnd.microsoft.card.adaptive`), posted with `Content-Type: application/json`
 *   (learn.microsoft.com/connectors/teams, "When a Teams webhook request is received"; Teams platform
 *   docs, "Send Adaptive Cards using an incoming webhook");
 * - "the message size limit is about 28 KB", beyond which posting fails with "Request Entity too large"
 *   (learn.microsoft.com/connectors/teams, known issues and limitations; the Teams incoming-webhook page
 *   says 28 KB);
 * - Workflows display Adaptive Cards up to version 1.4 (the version Workflows' card designer shows;
 *   cards of 1.5 are reported refused), so every card is 1.4 and uses only 1.4 elements;
 * - a TextBlock renders a Markdown subset: `**bold**`, `_italic_`, `- ` and `1. ` lists and
 *   `[title](url)` links (learn.microsoft.com/adaptive-cards, "Text features"), and the `{{DATE(…)}}` /
 *   `{{TIME(…)}}` functions: finding text is neutralised (see `escape.ts`).
 */
export const TEAMS_LIMITS = {
  /**
   * Largest request body sent, in bytes of UTF-8 JSON: under Microsoft's "about 28 KB" with a margin
   * for what the flow adds around the card when it posts it.
   */
  maxBodyBytes: 27_000,
  /** The Adaptive Card version of every card (Workflows render up to 1.4). */
  cardVersion: '1.4',
  /** Longest link target put in a card; a longer one gives its label alone (raw characters). */
  urlChars: 2_000,
} as const;

/** How many raw characters of each text a card shows before `…` (escaping can double them). */
export const TEXT_CHARS = {
  title: 400,
  field: 600,
  description: 3_000,
  listEntry: 300,
  note: 500,
  id: 200,
  /** A digest line's title, account, regions and resource. */
  lineTitle: 200,
  lineAccount: 100,
  lineRegions: 300,
  lineResource: 120,
} as const;

/** Adaptive Card `TextBlock.color` / `Container.style` of a severity band (cards have no free colour). */
export interface BandLook {
  /** `Colors`: default, dark, light, accent, good, warning, attention. */
  readonly color: 'good' | 'accent' | 'warning' | 'attention';
  /** `ContainerStyle`: default, emphasis, good, attention, warning, accent. */
  readonly style: 'good' | 'accent' | 'warning' | 'attention';
}

/**
 * The closest documented means to the Slack colour bar: the header's container style and text colour
 * per band (Teams draws attention red, warning amber, accent blue, good green). The band's label and
 * score are always written out too, so colour is never the only sign.
 */
export const BAND_LOOK: Readonly<Record<SeverityBand, BandLook>> = {
  critical: { color: 'attention', style: 'attention' },
  high: { color: 'warning', style: 'warning' },
  medium: { color: 'accent', style: 'accent' },
  low: { color: 'good', style: 'good' },
};
