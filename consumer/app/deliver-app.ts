import type { HubConfig } from '../../shared/index.ts';
import type { DeliveryStats, MessageOutcome } from '../deliver/deliver.ts';
import { renderPlain } from '../deliver/plain.ts';
import { findingKey, issueKey, type MessageRef, type NotifyGroup } from '../repeats/index.ts';
import type { OutgoingMessage, RoutedFinding, SlackPayload } from '../types.ts';
import { SlackParentGoneError } from './errors.ts';
import { changeOf, parentPayload, type ParentConfig } from './living.ts';
import { editParent, openTarget, postParent, postReply, saveParents, type AppEnvironment, type AppTarget } from './messages.ts';
import { deliverStorm } from './storm.ts';

export type { AppEnvironment } from './messages.ts';

/**
 * Delivers notify groups to app destinations, one living parent message per issue (more than
 * `digestThreshold` for one destination: a storm, see `deliverStorm`): a group whose
 * finding (or, for a region joining, whose issue) has a parent at this destination edits it
 * (`chat.update`) to the current state and adds a thread reply saying what changed (broadcast to the
 * channel when the severity rose); a group without one, or whose parent was deleted
 * (`message_not_found`), posts a new parent and keeps its channel and `ts` on the state records.
 * Destinations side by side, each one group at a time. Returns one outcome per group (its message's
 * `findings` is `[group]`), as `deliverMessages` does for webhooks, so the same no-loss rules apply.
 */
export async function deliverAppGroups(
  groups: readonly NotifyGroup[],
  config: Pick<HubConfig, 'destinations' | 'accounts' | 'colors' | 'delivery'> & ParentConfig,
  env: AppEnvironment,
  deadlineMs: number,
  stats: DeliveryStats,
): Promise<MessageOutcome[]> {
  const byDestination = new Map<string, NotifyGroup[]>();
  // Attack sequences first, so that their findings in the same batch go in their threads.
  const sequences = new Set(groups.flatMap(sequenceKeys));
  const ordered = [...groups].sort((a, b) => Number(sequences.has(findingKey(b.finding))) - Number(sequences.has(findingKey(a.finding))));
  for (const group of ordered) byDestination.set(group.destination, [...(byDestination.get(group.destination) ?? []), group]);
  const outcomes = new Map<NotifyGroup, MessageOutcome>();
  await Promise.all(
    [...byDestination].map(async ([destination, queue]) => {
      const messages = queue.map((group) => messageOf(group, parentPayload(shownOf(group), config, 'active', env.now())));
      const target = await openTarget(destination, config, env, queue.flatMap((group) => [...parentKeys(group), ...sequenceKeys(group)]));
      if (!('token' in target)) return messages.forEach((message, i) => outcomes.set(queue[i]!, target.outcome(message)));
      if (queue.length > config.delivery.digestThreshold) {
        // A storm: one summary parent per destination and window, the batch's list as a file in its thread.
        const [outcome] = await deliverStorm(queue, target, config, env, deadlineMs, stats);
        return queue.forEach((group) => outcomes.set(group, outcome!));
      }
      for (const [index, group] of queue.entries()) {
        const outcome = await updateOrPost(group, messages[index]!, target, config, env, deadlineMs, stats);
        outcomes.set(group, outcome);
        if (outcome.status === 'deferred' || outcome.status === 'rejected') {
          for (const [j, rest] of queue.slice(index + 1).entries()) outcomes.set(rest, { ...outcome, message: messages[index + 1 + j]! });
          break;
        }
      }
    }),
  );
  return groups.map((group) => outcomes.get(group)!);
}

/**
 * Posts each message as a new message at its app destination (no parent, no state): for findings
 * rerouted to an app default destination. One outcome per message, in order.
 */
export async function postAppMessages(
  messages: readonly OutgoingMessage[],
  config: Pick<HubConfig, 'destinations'>,
  env: AppEnvironment,
  deadlineMs: number,
  stats: DeliveryStats,
): Promise<MessageOutcome[]> {
  const outcomes = new Map<OutgoingMessage, MessageOutcome>();
  const destinations = [...new Set(messages.map((message) => message.destination))];
  await Promise.all(
    destinations.map(async (destination) => {
      const queue = messages.filter((message) => message.destination === destination);
      const target = await openTarget(destination, config, env, []);
      for (const [index, message] of queue.entries()) {
        const outcome = 'token' in target ? await postParent(message, target, env, deadlineMs, stats).then((got) => got.outcome) : target.outcome(message);
        outcomes.set(message, outcome);
        if (outcome.status === 'deferred' || outcome.status === 'rejected') {
          for (const rest of queue.slice(index + 1)) outcomes.set(rest, { ...outcome, message: rest });
          break;
        }
      }
    }),
  );
  return messages.map((message) => outcomes.get(message)!);
}

/**
 * Marks the parents of archived findings as archived: edits each to its archived state and adds a
 * thread reply. `items` carry the parent found for each. One outcome per item.
 */
export async function archiveParents(
  items: readonly { readonly routed: RoutedFinding; readonly parent: MessageRef }[],
  config: Pick<HubConfig, 'destinations' | 'accounts' | 'colors' | 'delivery'> & ParentConfig,
  env: AppEnvironment,
  deadlineMs: number,
  stats: DeliveryStats,
): Promise<MessageOutcome[]> {
  const results: MessageOutcome[] = [];
  const targets = new Map<string, Awaited<ReturnType<typeof openTarget>>>();
  for (const { routed, parent } of items) {
    const message = messageOf(routed, parentPayload(routed, config, 'archived', env.now(), parent.triage));
    let target = targets.get(routed.destination);
    if (target === undefined) targets.set(routed.destination, (target = await openTarget(routed.destination, config, env, [])));
    if (!('token' in target)) {
      results.push(target.outcome(message));
      continue;
    }
    const edited = await editParent(message, { ...target, channel: parent.channel }, parent, { kind: 'archived' }, env, deadlineMs, stats);
    if (edited.status === 'delivered') await saveParents(env, [findingKey(routed.finding)], { ...parent, archived: true });
    results.push(edited);
  }
  return results;
}

/** Edits the group's parent and replies in its thread, or posts a new parent when it has none (or it was deleted). */
async function updateOrPost(
  group: NotifyGroup,
  message: OutgoingMessage,
  target: AppTarget,
  config: Pick<HubConfig, 'accounts' | 'colors' | 'delivery'> & ParentConfig,
  env: AppEnvironment,
  deadlineMs: number,
  stats: DeliveryStats,
): Promise<MessageOutcome> {
  const parent = parentKeys(group)
    .map((key) => target.parents.get(key))
    .find((ref) => ref !== undefined && ref.destination === target.destination);
  // A parent and `new`: it was posted but the notification never committed; edit it, never post twice.
  if (parent !== undefined) {
    // What was done from Slack stays on the parent (its buttons and the line saying who did what).
    const current = parent.triage === undefined ? message : messageOf(group, parentPayload(shownOf(group), config, 'active', env.now(), parent.triage));
    const edited = await editParent(current, target, parent, changeOf(group), env, deadlineMs, stats);
    if (!(edited.status === 'failed' && edited.error instanceof SlackParentGoneError)) return edited;
    env.logger.warn('The parent message is gone (deleted?): posting a new one', { destination: target.destination, findingId: group.finding.id });
  }
  const sequence = sequenceKeys(group)
    .map((key) => target.parents.get(key))
    .find((ref) => ref !== undefined && ref.destination === target.destination);
  if (sequence !== undefined) return replyInSequence(message, sequence, target, env, deadlineMs, stats);
  const posted = await postParent(message, target, env, deadlineMs, stats, () => renderPlain(shownOf(group), config));
  if (posted.ts !== undefined) {
    const keys = [...group.members.map((member) => findingKey(member.finding)), ...issueKeys(group)];
    const ref = { destination: target.destination, channel: posted.channel ?? target.channel, ts: posted.ts };
    for (const key of keys) target.parents.set(key, ref);
    await saveParents(env, keys, ref);
  }
  return posted.outcome;
}

/**
 * A finding that belongs to an attack sequence whose message is out at this destination: the finding
 * goes in the sequence's thread (in full, as a reply), not in a parent of its own; each news of it is
 * a new reply there.
 */
async function replyInSequence(
  message: OutgoingMessage,
  sequence: MessageRef,
  target: AppTarget,
  env: AppEnvironment,
  deadlineMs: number,
  stats: DeliveryStats,
): Promise<MessageOutcome> {
  return postReply(message, target, { channel: sequence.channel, thread_ts: sequence.ts, ...message.payload }, env, deadlineMs, stats);
}

/** Where a group's parent is found: its issue's (a region joining), else its finding's. */
function parentKeys(group: NotifyGroup): string[] {
  return group.joins === undefined ? [findingKey(group.finding)] : [...issueKeys(group), findingKey(group.finding)];
}

/**
 * The key of the attack sequence a finding belongs to (`associatedAttackSequenceArn`, read by the
 * parser as `attackSequenceArn`; the sequence's finding id is the ARN's last part), when it has one.
 */
function sequenceKeys(group: NotifyGroup): string[] {
  const arn = (group.finding as { readonly attackSequenceArn?: unknown }).attackSequenceArn;
  const id = typeof arn === 'string' ? arn.slice(arn.lastIndexOf('/') + 1) : '';
  return id === '' || id === group.finding.id ? [] : [findingKey({ id })];
}

function issueKeys(group: NotifyGroup): string[] {
  const key = issueKey(group.finding);
  return key === undefined ? [] : [key];
}

/** The group as its parent shows it: a region joining adds to the regions already named. */
function shownOf(group: NotifyGroup): NotifyGroup {
  if (group.joins === undefined) return group;
  return { ...group, regions: [...new Set([...group.joins.regions, ...group.regions])].sort() };
}

function messageOf(routed: RoutedFinding, payload: SlackPayload): OutgoingMessage {
  return { destination: routed.destination, kind: 'single', payload, findings: [routed] };
}
