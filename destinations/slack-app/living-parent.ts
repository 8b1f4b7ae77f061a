import type { HubConfig } from '../../shared/index.ts';
import type { DeliveryStats, MessageOutcome } from '../../core/port/outcome.ts';
import { renderPlain } from '../slack/render/plain.ts';
import {
  findingKey,
  incidentNotificationKey,
  issueNotificationKey,
  notificationKey,
  withLane,
  type MessageRef,
  type NotifyGroup,
} from '../../core/repeats/index.ts';
import type { RoutedFinding } from '../../core/types.ts';
import type { SlackMessage, SlackPayload } from '../slack/render/types.ts';
import { SlackParentGoneError } from './errors.ts';
import {
  allArchived,
  issueFinding,
  parseParts,
  partsInOrder,
  partKeys,
  partsText,
  regionsOfParts,
  withFindings,
  type IssueParts,
} from './issue.ts';
import { changeOf, parentPayload, replyText, type ParentChange, type ParentConfig } from './living.ts';
import { editParent, postParent, postReply, saveParents, type AppEnvironment, type AppTarget } from './messages.ts';

/**
 * One living parent per issue at an app destination: a group's news edits the parent (rendered from
 * every region's part of the issue, kept on the state records) and replies in its thread; a group
 * without a parent, or whose parent was deleted, posts one (the news then replies under it, saying
 * the earlier one was deleted); an archived finding archives its region of the parent.
 */

/** What rendering a parent needs from the config. */
export type LivingConfig = Pick<HubConfig, 'accounts' | 'colors' | 'delivery'> & ParentConfig;

/** Edits the group's parent and replies in its thread, or posts a new parent when it has none (or it was deleted). */
export async function updateOrPost(
  group: NotifyGroup,
  target: AppTarget,
  config: LivingConfig,
  env: AppEnvironment,
  deadlineMs: number,
  stats: DeliveryStats,
): Promise<MessageOutcome> {
  const findings = group.members.map((member) => member.finding);
  const parent = parentAt(target, parentKeys(group));
  // A parent and `new`: it was posted but the notification never committed; edit it, never post twice.
  if (parent !== undefined) {
    const parts = withFindings(parseParts(parent.summary), findings);
    const message = parentMessage(group, parts, config, env.now(), parent.triage);
    const edit = { change: changeOf(group), plain: () => plainOf(group, parts, config) };
    const edited = await editParent(message, target, parent, edit, env, deadlineMs, stats);
    if (edited.status === 'delivered') await keepParent(env, target, group, parts, parent);
    if (!(edited.status === 'failed' && edited.failure.error instanceof SlackParentGoneError)) return edited;
    env.logger.warn('The parent message is gone (deleted?): posting a new one', {
      destination: target.destination,
      findingId: group.finding.id,
    });
    return postIssueParent(group, parts, target, config, env, deadlineMs, stats, {
      replaces: edit.change,
      triage: parent.triage,
    });
  }
  const thread = parentAt(target, sequenceKeys(group)) ?? openIncident(target, group, env.now());
  if (thread !== undefined) return replyInThread(group, thread, target, config, env, deadlineMs, stats);
  return postIssueParent(group, withFindings({}, findings), target, config, env, deadlineMs, stats);
}

/**
 * Archives the region of each archived finding on its parent: the parent is edited (archived when
 * every region is, else which regions are) and a thread reply says what was archived. One outcome per item.
 */
export async function archiveRegions(
  items: readonly { readonly routed: RoutedFinding; readonly parent: MessageRef }[],
  target: (destination: string) => Promise<AppTarget | { readonly outcome: (message: SlackMessage) => MessageOutcome }>,
  config: LivingConfig,
  env: AppEnvironment,
  deadlineMs: number,
  stats: DeliveryStats,
): Promise<MessageOutcome[]> {
  const results: MessageOutcome[] = [];
  for (const { routed, parent } of items) {
    const known = parseParts(parent.summary);
    const parts = withFindings(known, [routed.finding]);
    const message = parentMessage(routed, parts, config, env.now(), parent.triage);
    const opened = await target(routed.destination);
    if (!('token' in opened)) {
      results.push(opened.outcome(message));
      continue;
    }
    const regions = regionsOfParts(parts);
    const change: ParentChange = {
      kind: 'archived',
      regions: [routed.finding.region],
      active: partsInOrder(parts)
        .filter(([, part]) => !part.archived)
        .map(([region]) => region),
      all: regions,
    };
    const edit = { change, plain: () => plainOf(routed, parts, config) };
    const edited = await editParent(
      message,
      { ...opened, channel: parent.channel },
      parent,
      edit,
      env,
      deadlineMs,
      stats,
    );
    if (edited.status === 'delivered') await keepParent(env, opened, routed, parts, parent);
    results.push(edited);
  }
  return results;
}

/** True when `parent` already shows `finding` archived in its region. */
export function showsArchived(parent: MessageRef, finding: RoutedFinding['finding']): boolean {
  const part = parseParts(parent.summary)[finding.region];
  return part === undefined ? parent.archived === true : part.archived && part.findingId === finding.id;
}

/** Where a group's parent is found: its issue's (a region joining), else its finding's. */
export function parentKeys(group: NotifyGroup): string[] {
  return group.joins === undefined ? [notificationKey(group)] : [...issueKeys(group), notificationKey(group)];
}

/**
 * The key of the attack sequence a finding belongs to (`associatedAttackSequenceArn`, read by the
 * parser as `attackSequenceArn`; the sequence's finding id is the ARN's last part), when it has one.
 */
export function sequenceKeys(group: RoutedFinding): string[] {
  const arn = group.finding.attackSequenceArn;
  const id = typeof arn === 'string' ? arn.slice(arn.lastIndexOf('/') + 1) : '';
  return id === '' || id === group.finding.id ? [] : [withLane(findingKey({ id }), group.lane)];
}

/** How long a detector incident's thread takes its alerts: a day after its first message. */
export const INCIDENT_THREAD_HOURS = 24;

/** The key of the detector incident a group belongs to (tamper change of the detector, its drift, the canary), if any. */
export function incidentKeys(group: RoutedFinding): string[] {
  const key = incidentNotificationKey(group);
  return key === undefined ? [] : [key];
}

/**
 * The message that opened the group's detector incident at this destination, while it is under
 * {@link INCIDENT_THREAD_HOURS} old (Slack's `ts` is its posting time in epoch seconds); a later
 * incident opens a thread of its own.
 */
function openIncident(target: AppTarget, group: RoutedFinding, nowMs: number): MessageRef | undefined {
  const opened = parentAt(target, incidentKeys(group));
  if (opened === undefined) return undefined;
  return nowMs - Number(opened.ts) * 1000 <= INCIDENT_THREAD_HOURS * 3_600_000 ? opened : undefined;
}

/** Posts the issue's parent (and, replacing a deleted one, the news that found it gone as a reply under it). */
async function postIssueParent(
  group: NotifyGroup,
  parts: IssueParts,
  target: AppTarget,
  config: LivingConfig,
  env: AppEnvironment,
  deadlineMs: number,
  stats: DeliveryStats,
  replacing?: { readonly replaces: ParentChange; readonly triage: string | undefined },
): Promise<MessageOutcome> {
  const message = parentMessage(group, parts, config, env.now(), replacing?.triage);
  const posted = await postParent(message, target, env, deadlineMs, stats, () => plainOf(group, parts, config));
  if (posted.ts === undefined) return posted.outcome;
  const ref = { destination: target.destination, channel: posted.channel ?? target.channel, ts: posted.ts };
  await keepParent(env, target, group, parts, ref);
  if (replacing === undefined) return posted.outcome;
  const reply = { channel: ref.channel, thread_ts: ref.ts, text: replyText(group, replacing.replaces, true) };
  return postReply(message, target, reply, env, deadlineMs, stats);
}

/**
 * A finding that belongs to an attack sequence whose message is out at this destination, or an alert of
 * a detector incident already open there: it goes in that thread (in full, as a reply), not in a
 * parent of its own; each news of it is a new reply there.
 */
async function replyInThread(
  group: NotifyGroup,
  sequence: MessageRef,
  target: AppTarget,
  config: LivingConfig,
  env: AppEnvironment,
  deadlineMs: number,
  stats: DeliveryStats,
): Promise<MessageOutcome> {
  const message = parentMessage(group, {}, config, env.now());
  return postReply(
    message,
    target,
    { channel: sequence.channel, thread_ts: sequence.ts, ...message.payload },
    env,
    deadlineMs,
    stats,
  );
}

/**
 * Keeps `ref` with the issue's parts as the parent of every finding of the issue and of the issue
 * itself, so that later news of any region, or its archiving, finds it and the whole issue.
 */
async function keepParent(
  env: AppEnvironment,
  target: AppTarget,
  routed: RoutedFinding,
  parts: IssueParts,
  ref: MessageRef,
): Promise<void> {
  const { triage: _asRead, ...where } = ref;
  const kept: MessageRef = {
    ...where,
    summary: partsText(parts),
    ...(allArchived(parts) ? { archived: true } : { archived: false }),
  };
  const keys = [
    ...new Set([
      ...partKeys(parts).map((key) => withLane(key, routed.lane)),
      notificationKey(routed),
      ...issueKeys(routed),
      ...incidentKeys(routed),
    ]),
  ];
  for (const key of keys) target.parents.set(key, kept);
  await saveParents(env, keys, kept);
}

/** The first parent kept under `keys` at the target's destination. */
function parentAt(target: AppTarget, keys: readonly string[]): MessageRef | undefined {
  return keys
    .map((key) => target.parents.get(key))
    .find((ref) => ref !== undefined && ref.destination === target.destination);
}

function issueKeys(routed: RoutedFinding): string[] {
  const key = issueNotificationKey(routed);
  return key === undefined ? [] : [key];
}

/** The parent message of `routed`'s issue, rendered from its parts. */
function parentMessage(
  routed: RoutedFinding,
  parts: IssueParts,
  config: LivingConfig,
  nowMs: number,
  triage?: string,
): SlackMessage {
  return {
    destination: routed.destination,
    kind: 'single',
    payload: parentPayload(routed, config, parts, nowMs, triage),
    findings: [routed],
  };
}

/** The plainest form of the issue's parent (text only). */
function plainOf(routed: RoutedFinding, parts: IssueParts, config: LivingConfig): SlackPayload {
  const regions = regionsOfParts(parts);
  return renderPlain(
    regions.length === 0 ? routed : { ...routed, finding: issueFinding(routed.finding, parts), regions },
    config,
  );
}
