import type { Destination, DeliveryPass, Rerouted } from '../../core/port/destination.ts';
import type { MessageOutcome } from '../../core/port/outcome.ts';
import { renderMessages, reroutedMessages } from '../slack/render/index.ts';
import type { NotifyGroup } from '../../core/repeats/index.ts';
import { deliverMessages, type DeliveryEnvironment } from './deliver.ts';

/**
 * The Slack incoming-webhook destination (`type: slack-webhook`, or `webhookSecret`): a message per
 * notification (one per finding, or digests when more than `digestThreshold` go to one destination),
 * posted to the webhook URL in the destination's secret, sent smaller or simpler when Slack refuses it.
 */
export function slackWebhookDestination(env: DeliveryEnvironment): Destination {
  return {
    type: 'slack-webhook',
    deliver(groups: readonly NotifyGroup[], pass: DeliveryPass): Promise<MessageOutcome[]> {
      // A group that joins an issue already notified from other regions gets a message of its own that says so.
      const joining = groups.filter((group) => group.joins !== undefined);
      const messages = [
        ...renderMessages(
          groups.filter((group) => group.joins === undefined),
          pass.config,
        ),
        ...joining.flatMap((group) => renderMessages([group], pass.config, { note: () => joinNote(group) })),
      ];
      return deliverMessages(messages, env, pass.deadlineMs, pass.stats, { config: pass.config });
    },
    deliverRerouted(rerouted: readonly Rerouted[], pass: DeliveryPass): Promise<MessageOutcome[]> {
      const { messages, noteFor } = reroutedMessages(rerouted, pass);
      // A refused payload is re-sent smaller with the same note: the note of the destination the finding left.
      return deliverMessages(messages, env, pass.deadlineMs, pass.stats, { config: pass.config, noteFor });
    },
  };
}

/**
 * The note on a group that joins an issue notified before: `Same issue as the message of 2026-01-15
 * 10:00 UTC for us-east-1 (access key AKIA…): now also seen in eu-north-1.`
 */
function joinNote(group: NotifyGroup): string | undefined {
  const { joins } = group;
  if (joins === undefined) return undefined;
  const added = group.regions.filter((region) => !joins.regions.includes(region));
  const at = new Date(joins.notifiedAtMs).toISOString().slice(0, 16).replace('T', ' ');
  return `Same issue as the message of ${at} UTC for ${joins.regions.join(', ')} (${identityText(joins.identity)}): now also seen in ${added.join(', ')}.`;
}

/** `access key AKIA…`, `principal AIDA…`, `bucket a` from a fold identity. */
function identityText(identity: string): string {
  const [kind = '', ...rest] = identity.split(':');
  const value = rest.join(':');
  const label: Readonly<Record<string, string>> = {
    'access-key': 'access key',
    principal: 'principal',
    's3-bucket': value.includes(',') ? 'buckets' : 'bucket',
  };
  return `${label[kind] ?? kind} ${value}`;
}
