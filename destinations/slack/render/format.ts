export { accountText, regionText, regionsOf, severityText, timeText } from '../../../core/message/text.ts';
export { bandSummary, bySeverityThenNewest } from '../../../core/message/order.ts';
import { escapeTruncated } from './escape.ts';
import type { Block } from './types.ts';

/** A mrkdwn text object. */
export function mrkdwn(text: string): { type: 'mrkdwn'; text: string } {
  return { type: 'mrkdwn', text };
}

/** A context block with one mrkdwn element. */
export function contextBlock(text: string): Block {
  return { type: 'context', elements: [mrkdwn(text)] };
}

/** The note context block, escaped and cut to fit; undefined when there is no note. */
export function noteBlock(note: string | undefined, maxChars: number): Block | undefined {
  if (note === undefined || note.trim() === '') return undefined;
  return contextBlock(escapeTruncated(note.trim(), maxChars));
}
