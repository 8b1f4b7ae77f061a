import { renderDigests, renderSingle, type RenderConfig } from '../render/index.ts';
import type { SlackMessage, RoutedFinding } from '../types.ts';
import { renderPlain } from './plain.ts';

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
    return [findings.slice(0, middle), findings.slice(middle)].flatMap((half) => inBlocks(destination, half, config, note));
  }
  const only = findings[0]!;
  if (message.kind === 'digest') return inBlocks(destination, [only], config, note);
  return [{ form: 'plain', message: { destination, kind: 'single', payload: renderPlain(only, config, note), findings: [only] } }];
}

/** `findings` as one digest (within Slack's limits it may take more), or a single message for one. */
function inBlocks(destination: string, findings: readonly RoutedFinding[], config: RenderConfig, note: string | undefined): ShapedMessage[] {
  if (findings.length === 1) {
    const only = findings[0]!;
    return [{ form: 'blocks', message: { destination, kind: 'single', payload: renderSingle(only, config, note), findings: [only] } }];
  }
  const oneDigest: RenderConfig = { ...config, delivery: { ...config.delivery, maxFindingsPerMessage: findings.length } };
  return renderDigests(findings, oneDigest, note).map((digest) => ({
    form: 'blocks',
    message: { destination, kind: 'digest', payload: digest.payload, findings: digest.findings },
  }));
}
