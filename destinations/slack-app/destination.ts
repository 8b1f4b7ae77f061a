import type { Destination } from '../../core/port/destination.ts';
import { reroutedMessages } from '../slack/render/index.ts';
import { archiveArchived } from './archived.ts';
import { deliverAppGroups, postAppMessages } from './deliver-app.ts';
import type { AppEnvironment } from './messages.ts';

/**
 * The Slack app destination (`type: slack-app`, or `app: { botTokenSecret, channel }`): one living
 * parent message per issue through the Web API, edited as the issue changes, with thread replies;
 * storms as one summary per window with the lists as files; archived findings archive their region
 * of the parent. Findings rerouted here are posted as new messages.
 */
export function slackAppDestination(env: AppEnvironment): Destination {
  return {
    type: 'slack-app',
    deliver: (groups, pass) => deliverAppGroups(groups, pass.config, env, pass.deadlineMs, pass.stats),
    deliverRerouted(rerouted, pass) {
      const { messages, noteFor } = reroutedMessages(rerouted, pass);
      return postAppMessages(messages, pass.config, env, pass.deadlineMs, pass.stats, noteFor);
    },
    archive: (archived, pass) => archiveArchived(archived, pass.config, env, pass.deadlineMs, pass.stats),
  };
}
