import { runReplay, type ReplayEvent, type ReplaySummary } from '../../cli/replay/index.ts';
import { staticWebhooks } from '../../destinations/slack-webhook/index.ts';
import { makeHubConfig } from '../factories/index.ts';
import { webhookPath } from './consumer-harness.ts';
import { startSlackSimulator, type SlackSimulator } from '../../devkit/slack/webhook-simulator.ts';

/** What {@link replayToSlack} returns: the replay's summary and the (closed) simulator's record. */
export interface ReplayedToSlack {
  readonly summary: ReplaySummary;
  readonly slack: SlackSimulator;
}

/**
 * Replays `events` with `runReplay` (the real consumer) to a fresh webhook simulator at 50 messages a
 * second: the test config from Low, its `security` and `team-a` webhooks on the simulator.
 */
export async function replayToSlack(events: readonly ReplayEvent[]): Promise<ReplayedToSlack> {
  const slack = await startSlackSimulator({ ratePerSecond: 50, burst: 10 });
  const config = makeHubConfig({ defaults: { minSeverity: 'low' }, delivery: { messagesPerSecond: 50, burst: 10 } });
  try {
    const summary = await runReplay({
      config,
      events,
      webhooks: staticWebhooks({
        security: slack.url(webhookPath('security')),
        'team-a': slack.url(webhookPath('team-a')),
      }),
      defaultVisibilityMs: 0,
    });
    return { summary, slack };
  } finally {
    await slack.close();
  }
}
