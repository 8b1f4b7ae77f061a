import type { ConsumerLogger } from '../../core/log.ts';
import type { MessageOutcome } from '../../core/port/outcome.ts';
import { sendReshaping } from '../../core/port/in-turn.ts';
import type { RoutedFinding } from '../../core/types.ts';
import { renderDigestCards } from './digest.ts';
import { renderFindingCard, type TeamsMessage, type TeamsRenderConfig } from './messages.ts';
import { renderPlainCard } from './plain.ts';

/**
 * A card Teams refused (400, 413) is sent again smaller or simpler, as Slack payloads are: a digest
 * splits into halves (recursively), one finding of a digest becomes its own card, a finding's card
 * becomes the plain card. Only a finding refused even as the plain card fails, alone.
 */

/** How a message is rendered: the full (or compact) card, or the plain card of essentials. */
export type CardForm = 'card' | 'plain';

/** A message and its form. */
export interface ShapedCard {
  readonly message: TeamsMessage;
  readonly form: CardForm;
}

/** The next smaller or simpler forms of a refused message; empty when it is one finding's plain card. */
export function smallerCards(shaped: ShapedCard, config: TeamsRenderConfig, note: string | undefined): ShapedCard[] {
  const { message, form } = shaped;
  const { destination, findings } = message;
  const [only] = findings;
  if (form === 'plain' || only === undefined) return [];
  if (findings.length > 1) {
    const middle = Math.ceil(findings.length / 2);
    return [findings.slice(0, middle), findings.slice(middle)].flatMap((half) =>
      asCards(destination, half, config, note),
    );
  }
  if (message.kind === 'digest') return asCards(destination, [only], config, note);
  const payload = renderPlainCard(only, config, note);
  return [{ form: 'plain', message: { destination, kind: 'single', payload, findings: [only] } }];
}

/** `findings` as one digest card (split further only if the size limit demands), or one finding's card. */
function asCards(
  destination: string,
  findings: readonly RoutedFinding[],
  config: TeamsRenderConfig,
  note: string | undefined,
): ShapedCard[] {
  const [only] = findings;
  if (only !== undefined && findings.length === 1) {
    const payload = renderFindingCard(only, config, note);
    return [{ form: 'card', message: { destination, kind: 'single', payload, findings: [only] } }];
  }
  const oneCard = { ...config, delivery: { ...config.delivery, maxFindingsPerMessage: findings.length } };
  return renderDigestCards(findings, oneCard, note).map((digest) => ({
    form: 'card',
    message: { destination, kind: 'digest', payload: digest.payload, findings: digest.findings },
  }));
}

/** What reshaping needs: the config to render again with, and the note the message carried. */
export interface ReshapeCards {
  readonly config: TeamsRenderConfig;
  readonly note: string | undefined;
}

/**
 * Posts `shaped`; when Teams refuses it, posts its smaller forms in turn (recursively, `sendReshaping`
 * of the port) until only a finding refused as the plain card fails, with the form named in its reason.
 */
export function sendReshapingCards(
  shaped: ShapedCard,
  post: (message: TeamsMessage) => Promise<MessageOutcome>,
  reshape: ReshapeCards,
  logger: Pick<ConsumerLogger, 'warn' | 'error'>,
): Promise<MessageOutcome[]> {
  return sendReshaping(shaped, post, {
    smaller: (piece) => smallerCards(piece, reshape.config, reshape.note),
    refusedForGood: (piece, outcome) => {
      logger.error('Teams refused a card in its simplest form; its findings fail', {
        destination: piece.message.destination,
        form: piece.form,
        findingIds: piece.message.findings.map((f) => f.finding.id),
      });
      return {
        ...outcome,
        failure: { ...outcome.failure, reason: `${outcome.failure.reason}, even as the plain card` },
      };
    },
    resending: (piece, _outcome, pieces) =>
      logger.warn('Teams refused a card; sending it again smaller or simpler', {
        destination: piece.message.destination,
        form: piece.form,
        kind: piece.message.kind,
        findings: piece.message.findings.length,
        pieces: pieces.length,
      }),
  });
}
