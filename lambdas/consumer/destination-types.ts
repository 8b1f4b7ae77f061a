import type { SecretReader } from '../../core/port/secrets.ts';
import { destinationTypeOf, type HubConfig } from '../../shared/index.ts';
import {
  WebApiLimiters,
  slackAppDestination,
  type BotTokenResolver,
  type ParentStore,
} from '../../destinations/slack-app/index.ts';
import {
  RateLimiters,
  slackWebhookDestination,
  type FetchLike,
  type WebhookResolver,
} from '../../destinations/slack-webhook/index.ts';
import {
  PAGERDUTY_BUDGET,
  pagerDutyDestination,
  secretsManagerRoutingKeys,
} from '../../destinations/pagerduty/index.ts';
import { secretWorkflowUrls, teamsDestination } from '../../destinations/teams/index.ts';
import type { Destination, Destinations } from '../../core/port/destination.ts';
import type { CallEnvironment } from '../../core/port/resilient-call.ts';
import type { ConsumerLogger } from '../../core/log.ts';

/**
 * The registry of destination types the consumer is wired with: a type is its adapter's folder and
 * one line here. Each line makes the type's adapter from what the consumer instance has.
 */

/** What a consumer instance offers the destination types it is wired with. */
export interface DestinationServices {
  readonly config: HubConfig;
  /** The resilient call's environment (clock, sleep, shared concurrency, timeouts, jitter) with `fetch` and the logger. */
  readonly call: CallEnvironment & {
    readonly fetch: FetchLike;
    readonly logger: Pick<ConsumerLogger, 'warn' | 'error' | 'debug'>;
  };
  /** This instance's share of each destination's rate (`1 / maxConcurrency` in Lambda). */
  readonly instanceShare: number;
  /** Webhook URLs by destination (Secrets Manager in Lambda). */
  readonly webhooks: WebhookResolver;
  /** Bot tokens of app destinations (Secrets Manager in Lambda). */
  readonly botTokens: BotTokenResolver;
  /** Where app destinations keep their parent messages (the finding-state table in Lambda). */
  readonly parents: ParentStore;
  /** The Slack Web API base, without a trailing slash. */
  readonly slackApiUrl: string;
  /**
   * Reads a secret's value by name (Secrets Manager `GetSecretValue` in Lambda, created on first use):
   * how a destination type of its own reads its key or URL. Wrap it in `cachedPerDestination`.
   */
  readonly secrets: SecretReader;
  /** The PagerDuty Events API v2 endpoint. Default `https://events.pagerduty.com/v2/enqueue` (a simulator's in tests and replay). */
  readonly pagerDutyEventsUrl: string;
}

/** One destination type: the config `type` it serves and how to make its adapter. */
export interface DestinationType {
  readonly type: string;
  create(services: DestinationServices): Destination;
}

/** Every destination type the hub ships, one line each. */
export const DESTINATION_TYPES: readonly DestinationType[] = [
  {
    type: 'slack-webhook',
    create: (s) =>
      slackWebhookDestination({
        ...s.call,
        webhooks: s.webhooks,
        limiters: new RateLimiters(s.config.delivery, s.instanceShare),
      }),
  },
  {
    type: 'slack-app',
    create: (s) =>
      slackAppDestination({
        ...s.call,
        tokens: s.botTokens,
        parents: s.parents,
        apiUrl: s.slackApiUrl,
        limiters: new WebApiLimiters(s.config.delivery, s.instanceShare),
      }),
  },
  {
    type: 'pagerduty',
    create: (s) =>
      pagerDutyDestination({
        ...s.call,
        eventsUrl: s.pagerDutyEventsUrl,
        routingKeys: secretsManagerRoutingKeys(s.config.destinations, s.secrets),
        limiters: new RateLimiters(PAGERDUTY_BUDGET, s.instanceShare),
      }),
  },
  {
    type: 'teams',
    create: (s) =>
      teamsDestination({
        ...s.call,
        urls: secretWorkflowUrls(s.config.destinations, s.secrets, s.config.delivery.allowedWebhookHosts),
        limiters: new RateLimiters(s.config.delivery, s.instanceShare),
      }),
  },
];

/** The adapters of `types` for one consumer instance, and which serves each destination of the config. */
export function destinationsFor(types: readonly DestinationType[], services: DestinationServices): Destinations {
  const all = types.map((entry) => entry.create(services));
  const byType = new Map(all.map((adapter) => [adapter.type, adapter]));
  return {
    all,
    of: (name) => {
      const type = destinationTypeOf(services.config, name);
      return byType.get(type) ?? unservedType(type);
    },
  };
}

/**
 * A destination whose type no adapter serves (a config newer than this consumer): every message to
 * it fails over to the default destination, with a note naming the type. Never silence.
 */
function unservedType(type: string): Destination {
  const failure = {
    class: 'gone',
    reason: `no destination type ${type} in this consumer`,
    note: `Sent here because this consumer has no destination type ${type}`,
  } as const;
  return {
    type,
    deliver: async (groups) =>
      groups.map((group) => ({
        status: 'failed' as const,
        message: { destination: group.destination, kind: 'single' as const, payload: undefined, findings: [group] },
        failure,
      })),
    deliverRerouted: async (rerouted) =>
      rerouted.flatMap(({ findings }) =>
        findings.map((routed) => ({
          status: 'failed' as const,
          message: { destination: routed.destination, kind: 'single' as const, payload: undefined, findings: [routed] },
          failure,
        })),
      ),
  };
}
