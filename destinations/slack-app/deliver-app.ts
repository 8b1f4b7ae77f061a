import type { HubConfig } from '../../shared/index.ts';
import { sendReshaping } from '../slack/reshape.ts';
import {
  stopsDestination,
  type DeliveryStats,
  type MessageOutcome,
  type OutgoingMessage,
} from '../../core/port/outcome.ts';
import { findingKey, type NotifyGroup } from '../../core/repeats/index.ts';
import type { RoutedFinding } from '../../core/types.ts';
import type { SlackMessage } from '../slack/render/types.ts';
import {
  archiveRegions,
  incidentKeys,
  parentKeys,
  sequenceKeys,
  updateOrPost,
  type LivingConfig,
} from './living-parent.ts';
import { openTarget, postParent, type AppEnvironment, type AppTarget } from './messages.ts';
import { deliverStorm } from './storm.ts';
import type { MessageRef } from '../../core/repeats/index.ts';

export type { AppEnvironment } from './messages.ts';

/**
 * Delivers notify groups to app destinations, one living parent message per issue (more than
 * `digestThreshold` for one destination: a storm, see `deliverStorm`): a group whose finding (or, for
 * a region joining, whose issue) has a parent at this destination edits it (`chat.update`) to the
 * whole issue and adds a thread reply saying what changed (broadcast to the channel when the severity
 * rose); a group without one, or whose parent was deleted, posts a new parent (see `living-parent.ts`).
 * Destinations side by side, each one group at a time. Returns one outcome per group whose message's
 * `findings` is `[group]`, as `deliverMessages` does for webhooks, so the same no-loss rules apply and
 * no group's outcome speaks for another's records (a storm's outcome is each group's own).
 */
export async function deliverAppGroups(
  groups: readonly NotifyGroup[],
  config: Pick<HubConfig, 'destinations'> & LivingConfig,
  env: AppEnvironment,
  deadlineMs: number,
  stats: DeliveryStats,
): Promise<MessageOutcome[]> {
  const outcomes = new Map<NotifyGroup, MessageOutcome>();
  await Promise.all(
    [...byDestination(groups)].map(async ([destination, queue]) => {
      const target = await openTarget(
        destination,
        config,
        env,
        queue.flatMap((group) => [...parentKeys(group), ...sequenceKeys(group), ...incidentKeys(group)]),
      );
      if (!('token' in target)) {
        for (const group of queue) outcomes.set(group, target.outcome(bareMessage(group)));
        return;
      }
      if (queue.length > config.delivery.digestThreshold) {
        // A storm: one summary parent per destination and window, the batch's list as a file in its thread.
        const [outcome] = await deliverStorm(queue, target, config, env, deadlineMs, stats);
        for (const group of queue)
          if (outcome !== undefined) outcomes.set(group, { ...outcome, message: bareMessage(group) });
        return;
      }
      await eachUntilStopped(queue, outcomes, (group) => updateOrPost(group, target, config, env, deadlineMs, stats));
    }),
  );
  return groups.map((group) => outcomes.get(group) ?? unsent(bareMessage(group)));
}

/**
 * Posts each message as a new message at its app destination (no parent, no state): for findings
 * rerouted to an app default destination. A message Slack refuses is sent again smaller or simpler,
 * as for webhooks, until only a finding refused even as plain text fails. Outcomes in the order of
 * `messages` (several for a reshaped message, covering each of its findings once).
 */
export async function postAppMessages(
  messages: readonly SlackMessage[],
  config: Pick<HubConfig, 'destinations'> & LivingConfig,
  env: AppEnvironment,
  deadlineMs: number,
  stats: DeliveryStats,
  noteFor?: (message: SlackMessage) => string | undefined,
): Promise<MessageOutcome[]> {
  const outcomes = new Map<SlackMessage, MessageOutcome[]>();
  const destinations = [...new Set(messages.map((message) => message.destination))];
  await Promise.all(
    destinations.map(async (destination) => {
      const queue = messages.filter((message) => message.destination === destination);
      const target = await openTarget(destination, config, env, []);
      for (const [index, message] of queue.entries()) {
        const got =
          'token' in target
            ? await postReshaping(message, target, config, env, deadlineMs, stats, noteFor)
            : [target.outcome(message)];
        outcomes.set(message, got);
        const stop = got.find((outcome) => outcome.status === 'failed' && stopsDestination(outcome.failure));
        if (stop) {
          for (const rest of queue.slice(index + 1)) outcomes.set(rest, [{ ...stop, message: rest }]);
          break;
        }
      }
    }),
  );
  return messages.flatMap((message) => outcomes.get(message) ?? [unsent(message)]);
}

/**
 * Marks the parents of archived findings: each edit archives the finding's region (see
 * `archiveRegions`); `items` carry the parent found for each. One outcome per item.
 */
export async function archiveParents(
  items: readonly { readonly routed: RoutedFinding; readonly parent: MessageRef }[],
  config: Pick<HubConfig, 'destinations'> & LivingConfig,
  env: AppEnvironment,
  deadlineMs: number,
  stats: DeliveryStats,
): Promise<MessageOutcome[]> {
  const targets = new Map<string, ReturnType<typeof openTarget>>();
  const target = (destination: string) => {
    const opened = targets.get(destination) ?? openTarget(destination, config, env, []);
    targets.set(destination, opened);
    return opened;
  };
  return archiveRegions(items, target, config, env, deadlineMs, stats);
}

/** One destination's messages as new posts, reshaped when refused (`sendReshaping`). */
function postReshaping(
  message: SlackMessage,
  target: AppTarget,
  config: LivingConfig,
  env: AppEnvironment,
  deadlineMs: number,
  stats: DeliveryStats,
  noteFor: ((message: SlackMessage) => string | undefined) | undefined,
): Promise<MessageOutcome[]> {
  const post = async (shaped: SlackMessage) => (await postParent(shaped, target, env, deadlineMs, stats)).outcome;
  return sendReshaping({ message, form: 'blocks' }, post, { config, note: noteFor?.(message) }, env.logger);
}

/**
 * Runs `send` on each group in order; after one that was deferred (no time left) or rejected (the
 * destination is gone), every later group gets the same status with a message of its own.
 */
async function eachUntilStopped(
  queue: readonly NotifyGroup[],
  outcomes: Map<NotifyGroup, MessageOutcome>,
  send: (group: NotifyGroup) => Promise<MessageOutcome>,
): Promise<void> {
  for (const [index, group] of queue.entries()) {
    const outcome = await send(group);
    outcomes.set(group, outcome);
    if (outcome.status === 'failed' && stopsDestination(outcome.failure)) {
      for (const rest of queue.slice(index + 1)) outcomes.set(rest, { ...outcome, message: bareMessage(rest) });
      return;
    }
  }
}

/** The groups by destination, attack sequences first (so that their findings in the same batch go in their threads). */
function byDestination(groups: readonly NotifyGroup[]): Map<string, NotifyGroup[]> {
  const sequences = new Set(groups.flatMap(sequenceKeys));
  const first = (group: NotifyGroup) => Number(sequences.has(findingKey(group.finding)));
  const ordered = [...groups].sort((a, b) => first(b) - first(a));
  const queues = new Map<string, NotifyGroup[]>();
  for (const group of ordered) queues.set(group.destination, [...(queues.get(group.destination) ?? []), group]);
  return queues;
}

/** A message standing for one group in an outcome that did not send it (its payload is never posted). */
function bareMessage(group: NotifyGroup): SlackMessage {
  return { destination: group.destination, kind: 'single', payload: { text: '', attachments: [] }, findings: [group] };
}

/** The outcome of a message no step answered for (never expected): handed back to be tried again, never dropped. */
function unsent(message: OutgoingMessage): MessageOutcome {
  return {
    status: 'failed',
    message,
    failure: { class: 'transient', reason: `${message.destination}: no delivery was made for the finding` },
  };
}
