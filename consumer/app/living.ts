import { escapeTruncated, renderSingle, severityText, truncateMrkdwn, type RenderConfig } from '../render/index.ts';
import type { NotifyGroup } from '../repeats/index.ts';
import type { TriageConfig } from '../../shared/index.ts';
import { SLACK_LIMITS } from '../slack-limits.ts';
import { triageBlocks } from '../triage/blocks.ts';
import { parseTriageState } from '../triage/state.ts';
import { targetOf } from '../triage/target.ts';
import type { RoutedFinding, SlackPayload } from '../types.ts';

/** What a parent's rendering needs: the render settings, and `triage` when buttons are on. */
export type ParentConfig = RenderConfig & { readonly triage?: TriageConfig | undefined };

/**
 * The texts of a living parent message: its current state (the finding as one message, with a
 * status line on top) and the thread reply saying what changed. Everything from the finding is
 * escaped by the renderer or here.
 */

/** What changed about a finding since its parent was posted or last edited. */
export type ParentChange =
  | { readonly kind: 'severity-rose' | 'count-milestone' | 'renotify-due' | 'new' }
  | { readonly kind: 'region-joined'; readonly added: readonly string[] }
  | { readonly kind: 'archived' };

/** The change a notify group brings to its parent. */
export function changeOf(group: NotifyGroup): ParentChange {
  if (group.joins !== undefined) {
    const known = group.joins.regions;
    return { kind: 'region-joined', added: group.regions.filter((region) => !known.includes(region)) };
  }
  return { kind: group.why };
}

/**
 * The parent's body: the finding as `renderSingle` shows it (severity, count, last seen, regions),
 * under a status line: active or archived, and when it was last brought up to date (UTC). With
 * `triage` configured, the triage buttons and what was done from Slack (`triageText`, the record's
 * triage state) end the attachment, so every later edit keeps them.
 */
export function parentPayload(routed: RoutedFinding, config: ParentConfig, status: 'active' | 'archived', nowMs: number, triageText?: string): SlackPayload {
  const at = new Date(nowMs).toISOString().slice(0, 16).replace('T', ' ');
  const line = status === 'archived' ? `Status: archived in GuardDuty · updated ${at} UTC` : `Status: active · updated ${at} UTC · changes in the thread`;
  const payload = withTriage(renderSingle(routed, config, line), routed, config, triageText);
  return status === 'archived' ? { ...payload, text: truncateMrkdwn(`[archived] ${payload.text}`, SLACK_LIMITS.topLevelTextChars) } : payload;
}

/** `payload` with the triage blocks at the end of its attachment, when triage is on and they fit Slack's 50 blocks. */
function withTriage(payload: SlackPayload, routed: RoutedFinding, config: ParentConfig, triageText: string | undefined): SlackPayload {
  const [attachment, ...rest] = payload.attachments ?? [];
  if (config.triage === undefined || attachment === undefined) return payload;
  const extra = triageBlocks(targetOf(routed.finding), parseTriageState(triageText), config.triage);
  const blocks = attachment.blocks ?? [];
  if (extra.length === 0 || blocks.length + extra.length > SLACK_LIMITS.blocksPerMessage) return payload;
  return { ...payload, attachments: [{ ...attachment, blocks: [...blocks, ...extra] }, ...rest] };
}

/** Longest finding text a thread reply quotes (a type, a list of regions), in mrkdwn characters. */
const REPLY_QUOTE_CHARS = 300;

/** The thread reply for `change` (mrkdwn; finding text escaped and cut). */
export function replyText(routed: RoutedFinding, change: ParentChange): string {
  const { finding } = routed;
  const lastSeen = escapeTruncated(finding.lastSeen ?? finding.updatedAt, REPLY_QUOTE_CHARS);
  switch (change.kind) {
    case 'severity-rose':
      return `:arrow_up: Severity rose to *${severityText(finding)}* (count ${finding.count}, last seen ${lastSeen}).`;
    case 'count-milestone':
      return `Count reached *${finding.count}* (last seen ${lastSeen}).`;
    case 'renotify-due':
      return `Still active: count ${finding.count}, last seen ${lastSeen}.`;
    case 'region-joined':
      return `Now also seen in *${escapeTruncated(change.added.join(', '), REPLY_QUOTE_CHARS)}* (same issue: ${escapeTruncated(finding.type, REPLY_QUOTE_CHARS)}).`;
    case 'archived':
      return 'Archived in GuardDuty: this message is no longer updated unless the finding is unarchived.';
    case 'new':
      return `Seen again: count ${finding.count}, last seen ${lastSeen}.`;
  }
}
