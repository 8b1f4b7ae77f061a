import type { TriageConfig } from '../../../shared/index.ts';
import { isTriageBlock, triageBlocks } from './blocks.ts';
import type { ButtonClick } from './request.ts';
import type { TriageState } from './state.ts';
import type { TriageTarget } from './target.ts';

/**
 * The parent message after a click: the message as Slack sent it back in the payload, with the
 * triage blocks (status line and buttons) replaced by those of the new state; everything else (the
 * finding, its colour) as it was. The `chat.update` arguments.
 */
export function editedParent(
  click: ButtonClick,
  target: TriageTarget,
  state: TriageState,
  triage: Pick<TriageConfig, 'allow'>,
): Record<string, unknown> {
  const extra = triageBlocks(target, state, triage);
  const [first, ...rest] = click.message.attachments;
  const kept = Array.isArray(first?.blocks) ? (first.blocks as unknown[]).filter((block) => !isTriageBlock(block)) : [];
  const attachment = {
    ...(typeof first?.color === 'string' ? { color: first.color } : {}),
    ...(typeof first?.fallback === 'string' ? { fallback: first.fallback } : {}),
    blocks: [...kept, ...extra],
  };
  const attachments = [attachment, ...rest.map(({ id: _id, ...other }) => other)];
  return { channel: click.channel, ts: click.messageTs, text: click.message.text || 'GuardDuty finding', attachments };
}
