import { TEAMS_LIMITS } from './limits.ts';

/**
 * The shapes sent to a Teams Workflows webhook: a message with one Adaptive Card attachment, and the
 * few Adaptive Card 1.4 elements the hub uses (TextBlock, FactSet, Container, ColumnSet, Action.OpenUrl),
 * each as the schema at adaptivecards.io names its properties.
 */

/** An Adaptive Card element or action as sent (`type` and its properties). */
export type CardElement = { readonly type: string } & Readonly<Record<string, unknown>>;

/** An Adaptive Card of version 1.4. */
export interface AdaptiveCard {
  readonly type: 'AdaptiveCard';
  readonly $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  readonly version: typeof TEAMS_LIMITS.cardVersion;
  readonly body: readonly CardElement[];
  readonly actions?: readonly CardElement[];
  /** Shown by a client that cannot render the card's version. */
  readonly fallbackText: string;
}

/** The body a "When a Teams webhook request is received" trigger takes: a message with card attachments. */
export interface TeamsPayload {
  readonly type: 'message';
  readonly attachments: readonly {
    readonly contentType: 'application/vnd.microsoft.card.adaptive';
    readonly contentUrl: null;
    readonly content: AdaptiveCard;
  }[];
}

/** The MIME type of an Adaptive Card attachment. */
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** `card` as the one attachment of a message. */
export function messageOf(card: AdaptiveCard): TeamsPayload {
  return {
    type: 'message',
    attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, contentUrl: null, content: card }],
  };
}

/** A card of `body` and `actions`, with `fallbackText` (already escaped). */
export function cardOf(
  body: readonly (CardElement | undefined)[],
  fallbackText: string,
  actions: readonly CardElement[] = [],
): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: TEAMS_LIMITS.cardVersion,
    body: body.filter((element): element is CardElement => element !== undefined),
    ...(actions.length > 0 ? { actions } : {}),
    fallbackText,
  };
}

/** A wrapping TextBlock of `text` (already escaped Markdown) with `props` (size, weight, color, …). */
export function textBlock(text: string, props: Readonly<Record<string, unknown>> = {}): CardElement {
  return { type: 'TextBlock', text, wrap: true, ...props };
}

/** An `Action.OpenUrl` button. */
export function openUrl(title: string, url: string): CardElement {
  return { type: 'Action.OpenUrl', title, url };
}

/** Bytes of the JSON body of `payload`, as posted (UTF-8). */
export function bodyBytes(payload: TeamsPayload): number {
  return Buffer.byteLength(JSON.stringify(payload), 'utf8');
}
