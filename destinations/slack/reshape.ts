import type { ConsumerLogger } from '../../core/log.ts';
import type { MessageOutcome, OutgoingMessage } from '../../core/port/outcome.ts';
import { sendReshaping as sendReshapingForms } from '../../core/port/in-turn.ts';
import { renderDigests, renderSingle, type RenderConfig } from './render/index.ts';
import type { RoutedFinding } from '../../core/types.ts';
import type { SlackMessage, SlackPayload } from './render/types.ts';
import { renderPlain } from './render/plain.ts';

/** What re-rendering a message Slack refused needs. */
export interface ReshapeContext {
  readonly config: RenderConfig;
  /** The note a message was rendered with (why it was rerouted), kept on its smaller forms. */
  readonly noteFor?: (message: SlackMessage) => string | undefined;
}

/** How a message is rendered: Slack blocks in an attachment, or the plainest text-only form. */
export type MessageForm = 'blocks' | 'plain';

/** A message and the form it is rendered in. */
export interface ShapedMessage {
  readonly message: SlackMessage;
  readonly form: MessageForm;
}

/**
 * The next smaller or simpler forms of a message Slack refused: a message of several findings splits
 * into two halves (each a digest, or a single message when it holds one finding); one finding in a
 * digest becomes a single message; a single message becomes plain text. Empty when the message is
 * already one finding in plain text: only that finding fails. Findings keep their identity.
 */
export function smallerForms(shaped: ShapedMessage, config: RenderConfig, note: string | undefined): ShapedMessage[] {
  const { message, form } = shaped;
  const { destination, findings } = message;
  if (form === 'plain' || findings.length === 0) return [];
  if (findings.length > 1) {
    const middle = Math.ceil(findings.length / 2);
    return [findings.slice(0, middle), findings.slice(middle)].flatMap((half) =>
      inBlocks(destination, half, config, note),
    );
  }
  const [only] = findings;
  if (only === undefined) return [];
  if (message.kind === 'digest') return inBlocks(destination, [only], config, note);
  return [
    {
      form: 'plain',
      message: { destination, kind: 'single', payload: renderPlain(only, config, note), findings: [only] },
    },
  ];
}

/** `findings` as one digest (within Slack's limits it may take more), or a single message for one. */
function inBlocks(
  destination: string,
  findings: readonly RoutedFinding[],
  config: RenderConfig,
  note: string | undefined,
): ShapedMessage[] {
  const [only] = findings;
  if (only !== undefined && findings.length === 1) {
    return [
      {
        form: 'blocks',
        message: { destination, kind: 'single', payload: renderSingle(only, config, note), findings: [only] },
      },
    ];
  }
  const oneDigest: RenderConfig = {
    ...config,
    delivery: { ...config.delivery, maxFindingsPerMessage: findings.length },
  };
  return renderDigests(findings, oneDigest, note).map((digest) => ({
    form: 'blocks',
    message: { destination, kind: 'digest', payload: digest.payload, findings: digest.findings },
  }));
}

/** How a refusal names the form it came in. */
const FORM_TEXT: Readonly<Record<ShapedMessage['form'], string>> = { blocks: 'in blocks', plain: 'as plain text' };

/**
 * Posts a message; when the destination refuses its payload, posts its smaller forms one after the
 * other (recursively, `sendReshaping` of the port), so that only a finding refused even in the
 * simplest form fails, alone, with the destination's answer and the form tried.
 */
export function sendReshaping(
  shaped: ShapedMessage,
  post: (message: OutgoingMessage<SlackPayload>) => Promise<MessageOutcome>,
  reshape: (ReshapeContext & { readonly note: string | undefined }) | undefined,
  logger: Pick<ConsumerLogger, 'warn' | 'error'>,
): Promise<MessageOutcome[]> {
  const detail = (refusal: ShapedMessage, error: unknown) => {
    const refused = error as { readonly status?: number; readonly body?: string } | undefined;
    const { destination, kind } = refusal.message;
    return { destination, status: refused?.status, body: refused?.body, form: refusal.form, kind };
  };
  return sendReshapingForms(shaped, post, {
    smaller: (piece) => (reshape ? smallerForms(piece, reshape.config, reshape.note) : []),
    refusedForGood: (piece, outcome) => {
      logger.error('Slack refused a payload in its simplest form; its findings fail', {
        ...detail(piece, outcome.failure.error),
        findingIds: piece.message.findings.map((f) => f.finding.id),
      });
      const reason = `${outcome.failure.reason}, even ${FORM_TEXT[piece.form]}`;
      return { ...outcome, failure: { ...outcome.failure, reason } };
    },
    resending: (piece, outcome, pieces) =>
      logger.warn('Slack refused a payload; sending it again smaller or simpler', {
        ...detail(piece, outcome.failure.error),
        findings: piece.message.findings.length,
        pieces: pieces.length,
      }),
  });
}
