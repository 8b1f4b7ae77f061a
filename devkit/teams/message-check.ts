/**
 * What the Teams Workflows simulator checks of a posted body, from Microsoft's documentation of the
 * "When a Teams webhook request is received" trigger and of Adaptive Cards: a JSON object with
 * `type: "message"` and `attachments`, each with `contentType: "application/vnd.microsoft.card.adaptive"`
 * and a `content` that is an `AdaptiveCard` of a version Workflows display (1.4 or lower) with a `body`
 * array of typed elements. The full check of a card against the official schema is the tests' job.
 */

/** The newest Adaptive Card version Workflows display. */
export const NEWEST_SHOWN_CARD_VERSION = 1.4;

/** The error code of what is wrong with `raw`, or undefined for a well-formed message. */
export function checkTeamsMessage(raw: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return 'InvalidRequestContent';
  }
  if (!isObject(body) || body.type !== 'message' || !Array.isArray(body.attachments) || body.attachments.length === 0)
    return 'TriggerInputSchemaMismatch';
  return body.attachments.every(isShownCard) ? undefined : 'TriggerInputSchemaMismatch';
}

function isShownCard(attachment: unknown): boolean {
  if (!isObject(attachment) || attachment.contentType !== 'application/vnd.microsoft.card.adaptive') return false;
  const card = attachment.content;
  if (!isObject(card) || card.type !== 'AdaptiveCard' || typeof card.version !== 'string') return false;
  const version = Number(card.version);
  if (!Number.isFinite(version) || version > NEWEST_SHOWN_CARD_VERSION) return false;
  return (
    Array.isArray(card.body) && card.body.every((element) => isObject(element) && typeof element.type === 'string')
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
