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
import { readReplayEvents, type ReplayEvent } from '../../cli/replay/index.ts';
import { drainQueue } from './drain.ts';
import { hubBotTokens, hubClientConfig, hubSecretReader, hubStateStore, type HubClientConfig } from './hub-clients.ts';
import { sandboxWebhookPath } from './up.ts';
import { placeEvent } from './placement.ts';
import {
  pagerDutyPagesSince,
  pagerDutyRequests,
  teamsMessagesSince,
  teamsRequests,
  type PagerDutyPage,
} from './pagerduty-teams.ts';
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
  /** What the PagerDuty simulator accepted during this publish (every PagerDuty destination posts with the sandbox routing key). */
  readonly pagerDuty: { readonly destinations: readonly string[]; readonly events: readonly PagerDutyPage[] };
  /** Per Teams destination: the messages its workflow accepted during this publish (their cards' fallback text). */
  readonly teams: Readonly<Record<string, readonly string[]>>;
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
  const before = {
    slack: slackRequests(dir).length,
    pagerDuty: pagerDutyRequests(dir).length,
    teams: teamsRequests(dir).length,
  };
  const { published, skipped, notForwarded } = await putOnBuses(events, config, client);
  const drained = await runConsumer(config, state, client);
  // The simulators' daemon writes what they received every 100 ms (simulators-daemon.ts): let three writes pass.
  await new Promise((resolve) => setTimeout(resolve, DAEMON_FLUSHES_MS));
  const received = receivedSince(dir, before.slack, config);
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
    pagerDuty: {
      destinations: state.pagerDuty.destinations,
      events: pagerDutyPagesSince(dir, before.pagerDuty),
    },
    teams: teamsMessagesSince(dir, before.teams, state.teams.destinations),
    attention,
  };
}

/** Puts each GuardDuty event of `events` on its region's default bus; says which were not published or not forwarded. */
async function putOnBuses(
  events: readonly ReplayEvent[],
  config: HubConfig,
  client: HubClientConfig,
): Promise<Pick<PublishReport, 'published' | 'skipped' | 'notForwarded'>> {
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
  return { published, skipped, notForwarded };
}

/**
 * The config the sandbox's consumer runs with: the destinations' secrets hold the sandbox's own
 * simulators, on loopback (http), so their host is allowed, as in the sandbox's copy of the config (env.ts).
 */
function withLoopbackAllowed(config: HubConfig): HubConfig {
  const hosts = config.delivery.allowedWebhookHosts;
  if (hosts.includes(LOOPBACK_WEBHOOK_HOST)) return config;
  return { ...config, delivery: { ...config.delivery, allowedWebhookHosts: [...hosts, LOOPBACK_WEBHOOK_HOST] } };
}

async function runConsumer(given: HubConfig, state: SandboxState, client: HubClientConfig) {
  const config = withLoopbackAllowed(given);
  const region = config.hub.region;
  const sqs = new SQSClient({ ...client, region });
  const names = { queue: hubQueueName(config), dlq: dlqName(config) };
  const store = hubStateStore(config, client);
  const queueUrl = `${state.endpoint}/${config.hub.account}/${names.queue}`;
  const allowedHosts = config.delivery.allowedWebhookHosts;
  const handler = createHandler({
    config,
    webhooks: secretsManagerWebhooks(config.destinations, hubSecretReader(client, region), { allowedHosts }),
    // App destinations post through the sandbox's Web API simulator with the bot token up stored.
    botTokens: hubBotTokens(config, client),
    slackApiUrl: state.slack.apiUrl,
    // PagerDuty and Teams destinations read their routing key or Workflows URL from the local AWS's
    // Secrets Manager (where up stored the sandbox's), and PagerDuty's events go to its simulator.
    secrets: hubSecretReader(client, region),
    pagerDutyEventsUrl: state.pagerDuty.url,
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
