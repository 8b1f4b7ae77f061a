import type { TriageAction, TriageConfig } from '../../../shared/index.ts';
import type { Block } from '../../slack/render/types.ts';
import { stateLine, type TriageState } from './state.ts';
import { BUTTON_VALUE_MAX_CHARS, buttonValue, maySilence, type TriageTarget } from './target.ts';

/**
 * The triage part of a parent message: a context line saying what was done (once something was) and
 * the buttons, at the end of the parent's attachment. Both carry a `block_id` of their own prefix, so
 * the worker can replace them in the message Slack sends back without touching the rest; the suffix
 * changes with the state, as Slack asks of an updated message's block ids.
 */

/** `block_id` prefix of the line saying what was done. */
export const TRIAGE_STATUS_BLOCK_ID = 'gdh-triage-status';
/** `block_id` prefix of the buttons. */
export const TRIAGE_ACTIONS_BLOCK_ID = 'gdh-triage-actions';

/** `action_id` of each button: `gdh-triage-<action>`. */
export const TRIAGE_ACTION_IDS = {
  acknowledge: 'gdh-triage-acknowledge',
  archive: 'gdh-triage-archive',
  unarchive: 'gdh-triage-unarchive',
  suppress: 'gdh-triage-suppress',
  silence: 'gdh-triage-silence',
} as const satisfies Record<TriageAction, string>;

/** The action of an `action_id`, or undefined when it is not a triage button. */
export function actionOf(actionId: string): TriageAction | undefined {
  return (Object.keys(TRIAGE_ACTION_IDS) as TriageAction[]).find((action) => TRIAGE_ACTION_IDS[action] === actionId);
}

/**
 * The status line (when something was done) and the buttons for `target`. Only actions someone is
 * allowed get a button; Archive and Unarchive swap with the state; Suppress like this… opens a modal
 * showing the filter and its cost first; Silence… (a modal) only on findings Slack may silence.
 */
export function triageBlocks(target: TriageTarget, state: TriageState, triage: Pick<TriageConfig, 'allow'>): Block[] {
  const suffix = `.${Math.max(0, state.acknowledged?.atMs ?? 0, state.archive?.atMs ?? 0, state.suppressed?.atMs ?? 0).toString(36)}`;
  const offered = (action: TriageAction) => triage.allow[action].length > 0;
  // A value over Slack's limit: first without the resource criterion (then no Suppress, whose filter
  // would match more than this resource), then without the issue's key too (follow-ups then key by the
  // finding), else no buttons and a line saying why.
  const { resource: _resource, ...narrow } = target;
  const { issueKey: _issueKey, ...narrowest } = narrow;
  const full = buttonValue(target);
  const value = full ?? buttonValue(narrow) ?? buttonValue(narrowest);
  const buttons: Block[] = [];
  if (value !== undefined) {
    if (offered('acknowledge') && state.acknowledged === undefined)
      buttons.push(button('acknowledge', 'Acknowledge', value));
    if (state.archive?.archived === true) {
      if (offered('unarchive')) buttons.push(button('unarchive', 'Unarchive', value));
    } else if (offered('archive')) buttons.push(button('archive', 'Archive', value, 'primary'));
    // No confirm dialog: the click opens a modal showing what the filter would have matched (`suppress-modal.ts`).
    if (full !== undefined && offered('suppress') && state.suppressed === undefined)
      buttons.push(button('suppress', 'Suppress like this…', full, 'danger'));
    if (offered('silence') && maySilence(target)) buttons.push(button('silence', 'Silence…', value));
  }
  const tooLong = value === undefined && Object.values(triage.allow).some((ids) => ids.length > 0);
  const lines = [stateLine(state), tooLong ? TOO_LONG_LINE : undefined].filter((text) => text !== undefined);
  return [
    ...(lines.length === 0
      ? []
      : [
          {
            type: 'context',
            block_id: TRIAGE_STATUS_BLOCK_ID + suffix,
            elements: [{ type: 'mrkdwn', text: lines.join('\n') }],
          },
        ]),
    ...(buttons.length === 0
      ? []
      : [{ type: 'actions', block_id: TRIAGE_ACTIONS_BLOCK_ID + suffix, elements: buttons }]),
  ];
}

/** Said instead of the buttons when even the narrowest button value would pass Slack's limit. */
const TOO_LONG_LINE = `No triage buttons: this finding's id and type are too long for a Slack button value (${BUTTON_VALUE_MAX_CHARS.toLocaleString('en-US')} characters). Act on it in the GuardDuty console.`;

/** True for the blocks {@link triageBlocks} makes. */
export function isTriageBlock(block: unknown): boolean {
  const id = (block as { block_id?: unknown } | null)?.block_id;
  return typeof id === 'string' && (id.startsWith(TRIAGE_STATUS_BLOCK_ID) || id.startsWith(TRIAGE_ACTIONS_BLOCK_ID));
}

function button(action: TriageAction, label: string, value: string, style?: 'primary' | 'danger'): Block {
  return {
    type: 'button',
    action_id: TRIAGE_ACTION_IDS[action],
    text: { type: 'plain_text', text: label },
    value,
    ...(style === undefined ? {} : { style }),
  };
}
