import { TRIAGE_ACTION_IDS, TRIAGE_STATUS_BLOCK_ID, decodeTarget } from '../../lambdas/consumer/index.ts';
import type { HubConfig, TriageAction } from '../../shared/index.ts';
import { SandboxError } from './errors.ts';
import { SANDBOX_TRIAGE_USER, type HeldSlackMessage } from './slack.ts';
import type { SandboxState } from './state.ts';

/** Which parent `sandbox click` clicks, by whom: read from what the Slack daemon holds and the config. */

/** The actions `sandbox click` takes, in the order `--help` lists them. */
export const CLICK_ACTIONS = Object.keys(TRIAGE_ACTION_IDS) as readonly TriageAction[];

/** True when `value` is one of {@link CLICK_ACTIONS}. */
export function isClickAction(value: string): value is TriageAction {
  return (CLICK_ACTIONS as readonly string[]).includes(value);
}

/** A parent with triage buttons and the finding they carry. */
export interface ClickableParent {
  readonly message: HeldSlackMessage;
  readonly findingId: string;
  readonly region: string;
}

/** The buttons of a message (every `button` element of its attachments' actions blocks). */
export function buttonsOf(message: Pick<HeldSlackMessage, 'attachments'>): Record<string, unknown>[] {
  return (message.attachments as { blocks?: { type?: string; elements?: Record<string, unknown>[] }[] }[]).flatMap(
    (attachment) =>
      (attachment.blocks ?? [])
        .filter((block) => block.type === 'actions')
        .flatMap((block) => (block.elements ?? []).filter((element) => element.type === 'button')),
  );
}

const usage = (message: string): SandboxError => new SandboxError(message, { exitCode: 2 });

/** The app destinations' parents that carry triage buttons, oldest first. */
export function clickableParents(messages: readonly HeldSlackMessage[], state: SandboxState): ClickableParent[] {
  const channels = new Set(Object.values(state.slack.channels));
  return messages.flatMap((message) => {
    if (message.deleted || message.threadTs !== undefined || !channels.has(message.channel)) return [];
    const value = buttonsOf(message)[0]?.value;
    if (value === undefined) return [];
    const target = decodeTarget(value);
    return [{ message, findingId: target.findingId, region: target.region }];
  });
}

/** The parent of `findingId`, or the newest; throws (exit 2) naming the fix when there is none. */
export function parentToClick(parents: readonly ClickableParent[], findingId: string | undefined): ClickableParent {
  if (parents.length === 0)
    throw usage(
      "no app-destination message with triage buttons in the sandbox's Slack: run 'guardduty-hub sandbox publish' with a finding routed to an app destination first",
    );
  const found = findingId === undefined ? parents.at(-1) : parents.filter((p) => p.findingId === findingId).pop();
  if (found === undefined)
    throw usage(
      `no parent message for finding ${findingId}: the parents with buttons are for ${[...new Set(parents.map((p) => p.findingId))].join(', ')}`,
    );
  return found;
}

/**
 * `--user`; else the first user id listed for `action` in `triage.allow`; else, when it lists a user
 * group, the member the sandbox's Slack gives every group ({@link SANDBOX_TRIAGE_USER}). Throws (exit 2)
 * when the action lists nobody.
 */
export function clickingUser(config: HubConfig, action: TriageAction, user: string | undefined): string {
  if (user !== undefined) {
    if (!/^[UW][0-9A-Z]+$/.test(user)) throw usage(`--user ${user} is not a Slack user id (U… or W…)`);
    return user;
  }
  const allowed = config.triage?.allow[action] ?? [];
  const listed =
    allowed.find((id) => /^[UW]/.test(id)) ??
    (allowed.some((id) => id.startsWith('S')) ? SANDBOX_TRIAGE_USER : undefined);
  if (listed === undefined)
    throw usage(
      `triage.allow.${action} lists nobody: add a user id (U…) or user group (S…) there, or name the clicking user with --user U…`,
    );
  return listed;
}

/**
 * The message as the clicking user's Slack shows it. When the parent no longer shows the action's button
 * (Archive after an archive), the click is the one a client still showing the earlier message sends (a
 * double click): the button is put back beside the others, with the same finding.
 */
export function asShownWithButton(
  message: HeldSlackMessage,
  action: TriageAction,
): { readonly message: HeldSlackMessage; readonly stale: boolean } {
  const actionId = TRIAGE_ACTION_IDS[action];
  const buttons = buttonsOf(message);
  if (buttons.some((b) => b.action_id === actionId)) return { message, stale: false };
  const button = {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: action },
    value: buttons[0]?.value,
  };
  const attachments = (message.attachments as { blocks?: { type?: string; elements?: unknown[] }[] }[]).map(
    (attachment) => ({
      ...attachment,
      ...(attachment.blocks
        ? {
            blocks: attachment.blocks.map((block) =>
              block.type === 'actions' ? { ...block, elements: [...(block.elements ?? []), button] } : block,
            ),
          }
        : {}),
    }),
  );
  return { message: { ...message, attachments }, stale: true };
}

/** The triage status line the parent shows ("Archived by <@U…> at …"), or undefined before any action. */
export function statusLine(message: Pick<HeldSlackMessage, 'attachments'>): string | undefined {
  const blocks = (
    message.attachments as { blocks?: { type?: string; block_id?: string; elements?: { text?: string }[] }[] }[]
  ).flatMap((a) => a.blocks ?? []);
  const status = blocks.find((block) => block.type === 'context' && block.block_id?.startsWith(TRIAGE_STATUS_BLOCK_ID));
  return status?.elements?.map((element) => element.text ?? '').join(' ');
}
