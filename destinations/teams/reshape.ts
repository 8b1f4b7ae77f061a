import type { ConsumerLogger } from '../../core/log.ts';
import { firstStopping, type MessageOutcome } from '../../core/port/outcome.ts';
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
 * Posts `shaped`; when Teams refuses its payload, posts its smaller forms one after the other
 * (recursively) until only a finding refused as the plain card fails, with the form named in its reason.
 */
export async function sendReshapingCards(
  shaped: ShapedCard,
  post: (message: TeamsMessage) => Promise<MessageOutcome>,
  reshape: ReshapeCards,
  logger: Pick<ConsumerLogger, 'warn' | 'error'>,
): Promise<MessageOutcome[]> {
  const outcome = await post(shaped.message);
  if (outcome.status !== 'failed' || outcome.failure.class !== 'refused') return [outcome];
  const { destination, findings, kind } = shaped.message;
  const pieces = smallerCards(shaped, reshape.config, reshape.note);
  if (pieces.length === 0) {
    logger.error('Teams refused a card in its simplest form; its findings fail', {
      destination,
      form: shaped.form,
      findingIds: findings.map((f) => f.finding.id),
    });
    return [
      { ...outcome, failure: { ...outcome.failure, reason: `${outcome.failure.reason}, even as the plain card` } },
    ];
  }
  logger.warn('Teams refused a card; sending it again smaller or simpler', {
    destination,
    form: shaped.form,
    kind,
    findings: findings.length,
    pieces: pieces.length,
  });
  const outcomes: MessageOutcome[] = [];
  for (const [index, piece] of pieces.entries()) {
    const got = await sendReshapingCards(piece, post, reshape, logger);
    outcomes.push(...got);
    const stop = firstStopping(got);
    if (stop) {
      for (const rest of pieces.slice(index + 1)) outcomes.push({ ...stop, message: rest.message });
      break;
    }
  }
  return outcomes;
}
