import {
  escapeTruncated,
  renderSingle,
  severityText,
  slackLink,
  truncateMrkdwn,
  type Block,
  type RenderConfig,
} from '../slack/render/index.ts';
import type { NotifyGroup } from '../../core/repeats/index.ts';
import type { TriageConfig } from '../../shared/index.ts';
import { bandOf } from '../../shared/severity.ts';
import { SLACK_LIMITS } from '../slack/limits.ts';
import { triageBlocks } from './triage/blocks.ts';
import { renewBlocks } from './triage/renew.ts';
import { parseTriageState } from './triage/state.ts';
import { targetOf } from './triage/target.ts';
import type { RoutedFinding } from '../../core/types.ts';
import type { SlackPayload } from '../slack/render/types.ts';
import { allArchived, issueFinding, partsInOrder, regionsOfParts, type IssueParts, type RegionPart } from './issue.ts';

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
  /** `regions` were archived now; `active` are the regions still active; `all` every region of the issue. */
  | {
      readonly kind: 'archived';
      readonly regions: readonly string[];
      readonly active: readonly string[];
      readonly all: readonly string[];
    };

/** The change a notify group brings to its parent. */
export function changeOf(group: NotifyGroup): ParentChange {
  if (group.joins !== undefined) {
    const known = group.joins.regions;
    return { kind: 'region-joined', added: group.regions.filter((region) => !known.includes(region)) };
  }
  return { kind: group.why };
}

/**
 * The parent's body: the issue as `renderSingle` shows one finding, made from all its `parts` (the
 * highest severity, the summed count, first and last seen over every region, every region named),
 * under a status line: active, archived, or which regions are which, and when it was last brought up
 * to date (UTC). An issue of several regions lists each region's finding with its console link. With
 * `triage` configured, the triage buttons and what was done from Slack (`triageText`, the record's
 * triage state) end the attachment, so every later edit keeps them. Without parts (a parent kept
 * before they were), `routed` alone is shown, active.
 */
export function parentPayload(
  routed: RoutedFinding,
  config: ParentConfig,
  parts: IssueParts,
  nowMs: number,
  triageText?: string,
): SlackPayload {
  const regions = regionsOfParts(parts);
  const shown: RoutedFinding =
    regions.length === 0 ? routed : { ...routed, finding: issueFinding(routed.finding, parts), regions };
  const archived = allArchived(parts);
  // A recap is sent once and never changes: no status line.
  const status = routed.finding.kind === 'silence-recap' ? undefined : statusLine(parts, nowMs);
  const single = renderSingle(shown, config, status);
  const payload = withTriage(withRegionList(single, parts), shown, config, triageText);
  return archived
    ? { ...payload, text: truncateMrkdwn(`[archived] ${payload.text}`, SLACK_LIMITS.topLevelTextChars) }
    : payload;
}

/** `Status: active · updated 2026-01-15 10:00 UTC · changes in the thread`, or which regions are archived. */
function statusLine(parts: IssueParts, nowMs: number): string {
  const at = `updated ${new Date(nowMs).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const inOrder = partsInOrder(parts);
  const archived = inOrder.filter(([, part]) => part.archived).map(([region]) => region);
  if (archived.length === 0) return `Status: active · ${at} · changes in the thread`;
  if (archived.length === inOrder.length) return `Status: archived in GuardDuty · ${at}`;
  const active = inOrder.filter(([, part]) => !part.archived).map(([region]) => region);
  return `Status: archived in ${archived.join(', ')} · active in ${active.join(', ')} · ${at} · changes in the thread`;
}

/** Longest `By region` section, in mrkdwn characters, and the room kept for its `…and N more` line. */
const REGION_LIST_CHARS = SLACK_LIMITS.sectionTextChars;
const MORE_ROOM = 40;

/** `payload` with a `By region` section before its footer when the issue spans several regions. */
function withRegionList(payload: SlackPayload, parts: IssueParts): SlackPayload {
  const inOrder = partsInOrder(parts);
  const [attachment, ...rest] = payload.attachments;
  if (inOrder.length < 2 || attachment === undefined) return payload;
  const head = `*By region* (${inOrder.length})`;
  const lines = [head];
  let length = head.length;
  for (const [region, part] of inOrder) {
    const line = regionLine(region, part);
    if (length + 1 + line.length > REGION_LIST_CHARS - MORE_ROOM) break;
    lines.push(line);
    length += 1 + line.length;
  }
  if (lines.length - 1 < inOrder.length) lines.push(`…and ${inOrder.length - (lines.length - 1)} more`);
  const section: Block = { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } };
  const blocks = [...attachment.blocks];
  blocks.splice(Math.max(0, blocks.length - 1), 0, section);
  return { ...payload, attachments: [{ ...attachment, blocks }, ...rest] };
}

/** `• us-east-1 · <console|finding> · High 8.0 · count 141 · last seen 2026-01-15 10:00 UTC · archived`. */
function regionLine(region: string, part: RegionPart): string {
  const severity = severityText({ severity: part.severity, band: bandOf(part.severity) });
  const seen = new Date(part.lastSeen);
  const last = Number.isNaN(seen.getTime()) ? 'unknown' : `${seen.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const status = part.archived ? 'archived' : 'active';
  return `• ${escapeTruncated(region, 40)} · ${slackLink(part.consoleUrl, 'finding', 20)} · ${severity} · count ${part.count} · last seen ${last} · ${status}`;
}

/** `payload` with the triage blocks (a recap's: Renew) at the end of its attachment, when triage is on and they fit Slack's 50 blocks. */
function withTriage(
  payload: SlackPayload,
  routed: RoutedFinding,
  config: ParentConfig,
  triageText: string | undefined,
): SlackPayload {
  const [attachment, ...rest] = payload.attachments ?? [];
  if (config.triage === undefined || attachment === undefined) return payload;
  const { finding } = routed;
  const extra =
    finding.kind === 'silence-recap'
      ? renewBlocks(finding.recap, config.triage)
      : triageBlocks(targetOf(routed), parseTriageState(triageText), config.triage);
  const blocks = attachment.blocks ?? [];
  if (extra.length === 0 || blocks.length + extra.length > SLACK_LIMITS.blocksPerMessage) return payload;
  return { ...payload, attachments: [{ ...attachment, blocks: [...blocks, ...extra] }, ...rest] };
}

/** Longest finding text a thread reply quotes (a type, a list of regions), in mrkdwn characters. */
const REPLY_QUOTE_CHARS = 300;

/** The sentence a reply ends with when its parent replaces one someone deleted. */
export const REPLACES_DELETED = 'The earlier message about this issue was deleted, so this one replaces it.';

/**
 * The thread reply for `change` (mrkdwn; finding text escaped and cut). `replacesDeleted`: the parent
 * it goes under was posted because the earlier one was deleted, and the reply says so.
 */
export function replyText(routed: RoutedFinding, change: ParentChange, replacesDeleted = false): string {
  const text = changeText(routed, change);
  return replacesDeleted ? `${text} ${REPLACES_DELETED}` : text;
}

function changeText(routed: RoutedFinding, change: ParentChange): string {
  const { finding } = routed;
  const lastSeen = escapeTruncated(finding.lastSeen ?? finding.updatedAt, REPLY_QUOTE_CHARS);
  const quote = (regions: readonly string[]) => `*${escapeTruncated(regions.join(', '), REPLY_QUOTE_CHARS)}*`;
  switch (change.kind) {
    case 'severity-rose':
      return `:arrow_up: Severity rose to *${severityText(finding)}* (count ${finding.count}, last seen ${lastSeen}).`;
    case 'count-milestone':
      return `Count reached *${finding.count}* (last seen ${lastSeen}).`;
    case 'renotify-due':
      return `Still active: count ${finding.count}, last seen ${lastSeen}.`;
    case 'region-joined':
      return `Now also seen in ${quote(change.added)} (same issue: ${escapeTruncated(finding.type, REPLY_QUOTE_CHARS)}).`;
    case 'archived':
      if (change.active.length > 0)
        return `Archived in GuardDuty in ${quote(change.regions)}; still active in ${quote(change.active)}.`;
      if (change.all.length > 1)
        return `Archived in GuardDuty in ${quote(change.regions)}: every region is archived now, and this message is no longer updated unless a finding is unarchived.`;
      return 'Archived in GuardDuty: this message is no longer updated unless the finding is unarchived.';
    case 'new':
      return `Seen again: count ${finding.count}, last seen ${lastSeen}.`;
  }
}
