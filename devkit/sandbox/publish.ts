import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  NO_METRICS,
  SILENT_LOGGER,
  claimSecondsFor,
  createHandler,
  createRepeatGate,
  parentStoreOver,
  secretsManagerWebhooks,
} from '../../lambdas/consumer/index.ts';
import { dlqName, hubQueueName, loadConfig, type HubConfig } from '../../shared/index.ts';
import { readReplayEvents } from '../../cli/replay/index.ts';
import { drainQueue } from './drain.ts';
import { hubBotTokens, hubClientConfig, hubSecretReader, hubStateStore, type HubClientConfig } from './hub-clients.ts';
import { sandboxWebhookPath } from './up.ts';
import { placeEvent } from './placement.ts';
import { LOOPBACK_WEBHOOK_HOST, heldSlack, slackRequests } from './slack.ts';
import type { SandboxState } from './state.ts';

/** What `sandbox publish` did and what each destination received. */
export interface PublishReport {
  /** Events put on a default bus, by region. */
  readonly published: Readonly<Record<string, number>>;
  /** Events not published, with the reason (not a GuardDuty event, a region outside the config, PutEvents refused it). */
  readonly skipped: readonly PublishNote[];
  /** Events published that the forwarder rule leaves on the default bus, with the reason (below the lowest threshold). */
  readonly notForwarded: readonly PublishNote[];
  /** Consumer invocations over the hub queue. */
  readonly invocations: number;
  /** Per webhook destination: the Slack messages it received during this publish (their `text`). */
  readonly received: Readonly<Record<string, readonly string[]>>;
  /** Per app destination: what its channel holds now (every parent, with its edits and thread replies). */
  readonly channels: Readonly<Record<string, AppChannel>>;
  readonly attention: readonly string[];
}

/** One event (its file, or file:line) and what happened to it. */
export interface PublishNote {
  readonly source: string;
  readonly reason: string;
}

/** An app destination's channel as the Web API simulator holds it. */
export interface AppChannel {
  readonly channel: string;
  readonly parents: readonly {
    readonly ts: string;
    readonly text: string;
    readonly edits: number;
    readonly replies: readonly string[];
  }[];
}

/**
 * Puts each GuardDuty event on its region's default bus (refusing anything else, see placement.ts),
 * drains the hub queue with the consumer, reports Slack.
 */
export async function sandboxPublish(
  dir: string,
  state: SandboxState,
  paths: readonly string[],
): Promise<PublishReport> {
  const config = loadConfig(state.configPath);
  const client = hubClientConfig(state);
  const events = await readReplayEvents(paths);
  const before = slackRequests(dir).length;
  const published: Record<string, number> = {};
  const skipped: PublishNote[] = [];
  const notForwarded: PublishNote[] = [];
  for (const event of events) {
    const placement = placeEvent(event.body, config);
    if (!placement.ok) {
      skipped.push({ source: event.source, reason: placement.reason });
      continue;
    }
    const bus = new EventBridgeClient({ ...client, region: placement.region });
    const result = await bus.send(new PutEventsCommand({ Entries: [{ ...placement.entry }] }));
    bus.destroy();
    if ((result.FailedEntryCount ?? 0) > 0) {
      skipped.push({
        source: event.source,
        reason: `PutEvents refused it: ${result.Entries?.[0]?.ErrorMessage ?? 'unknown'}`,
      });
      continue;
    }
    published[placement.region] = (published[placement.region] ?? 0) + 1;
    if (placement.notForwarded !== undefined)
      notForwarded.push({ source: event.source, reason: placement.notForwarded });
  }
  const drained = await runConsumer(config, state, client);
  // The Slack daemon writes what it received every 100 ms (slack-daemon.ts): let three writes pass.
  await new Promise((resolve) => setTimeout(resolve, DAEMON_FLUSHES_MS));
  const received = receivedSince(dir, before, config);
  const attention = [
    ...(skipped.length > 0
      ? [
          `${skipped.length} event(s) were not published (see skipped): only GuardDuty events of the config's regions go on a default bus`,
        ]
      : []),
    ...(drained.failedRecords > 0
      ? [
          `${drained.failedRecords} record(s) were handed back for a retry; they stay in the hub queue (see 'guardduty-hub status') and reach the DLQ after queue.maxReceiveCount receives`,
        ]
      : []),
  ];
  return {
    published,
    skipped,
    notForwarded,
    invocations: drained.invocations,
    received,
    channels: appChannels(dir, state),
    attention,
  };
}

async function runConsumer(config: HubConfig, state: SandboxState, client: HubClientConfig) {
  const region = config.hub.region;
  const sqs = new SQSClient({ ...client, region });
  const names = { queue: hubQueueName(config), dlq: dlqName(config) };
  const store = hubStateStore(config, client);
  const queueUrl = `${state.endpoint}/${config.hub.account}/${names.queue}`;
  // The destinations' secrets hold the sandbox's own Slack simulator, on loopback (http): allowed here.
  const allowedHosts = [...config.delivery.allowedWebhookHosts, LOOPBACK_WEBHOOK_HOST];
  const handler = createHandler({
    config,
    webhooks: secretsManagerWebhooks(config.destinations, hubSecretReader(client, region), { allowedHosts }),
    // App destinations post through the sandbox's Web API simulator with the bot token up stored.
    botTokens: hubBotTokens(config, client),
    slackApiUrl: state.slack.apiUrl,
    parents: parentStoreOver(store),
    sqs,
    queueUrl,
    deadLetterQueueUrl: `${state.endpoint}/${config.hub.account}/${names.dlq}`,
    instanceShare: 1,
    repeats: createRepeatGate({
      settings: config.repeats,
      store,
      claimSeconds: claimSecondsFor(config),
    }),
    logger: SILENT_LOGGER,
    metrics: NO_METRICS,
  });
  return drainQueue({
    sqs,
    queueUrl,
    queueArn: `arn:aws:sqs:${region}:${config.hub.account}:${names.queue}`,
    region,
    handler,
    batchSize: config.delivery.batchSize,
    functionTimeoutMs: config.consumer.timeoutSeconds * 1000,
  });
}

/** Three of the Slack daemon's 100 ms writes of what it received. */
export const DAEMON_FLUSHES_MS = 300;

function receivedSince(dir: string, before: number, config: HubConfig): Record<string, string[]> {
  const requests = slackRequests(dir)
    .slice(before)
    .filter((r) => r.status === 200);
  return Object.fromEntries(
    Object.keys(config.destinations)
      .filter((destination) => config.destinations[destination]?.app === undefined)
      .map((destination) => [
        destination,
        requests
          .filter((r) => r.path === sandboxWebhookPath(destination))
          .map((r) => String((JSON.parse(r.raw) as { text?: string }).text ?? '')),
      ]),
  );
}

/** What each app destination's channel holds now, from the Slack daemon's last write. */
export function appChannels(dir: string, state: SandboxState): Record<string, AppChannel> {
  const { messages } = heldSlack(dir);
  const live = messages.filter((m) => !m.deleted);
  return Object.fromEntries(
    Object.entries(state.slack.channels).map(([destination, channel]) => [
      destination,
      {
        channel,
        parents: live
          .filter((m) => m.channel === channel && m.threadTs === undefined)
          .map((m) => ({
            ts: m.ts,
            text: m.text,
            edits: m.edits,
            replies: live.filter((r) => r.channel === channel && r.threadTs === m.ts).map((r) => r.text),
          })),
      },
    ]),
  );
}
