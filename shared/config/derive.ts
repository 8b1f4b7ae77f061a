import { thresholdScore } from '../severity.ts';
import type { AccountConfig, DestinationConfig, DestinationType, HubConfig } from './schema.ts';

/** Where one account's findings go and from which score. */
export interface Route {
  /** Destination name (a key of `destinations`). */
  readonly destination: string;
  /** Lowest severity score delivered. */
  readonly minScore: number;
  /** Display name of the account, when configured. */
  readonly accountName: string | undefined;
  /** Every destination of the account's findings, each with its own lowest score (the first is `destination`). */
  readonly lanes: readonly Lane[];
}

/** One destination of an account and the lowest score it takes there. */
export interface Lane {
  /** Destination name (a key of `destinations`). */
  readonly destination: string;
  /** The account's threshold, raised to the destination's own `minSeverity` when it has one. */
  readonly minScore: number;
  /** Attack sequences at or above the account's threshold come here whatever `minScore` says. */
  readonly attackSequences: boolean;
}

/** True when `lane` takes a finding of `severity` (an attack sequence when `attackSequence`) that its account lets through. */
export function laneTakes(lane: Lane, severity: number, attackSequence: boolean): boolean {
  return severity >= lane.minScore || (lane.attackSequences && attackSequence);
}

/**
 * The route for an account: its own settings, else `defaults`. `destination` is the first of its
 * destinations (the only one unless the config lists several); `lanes` are all of them.
 */
export function routeFor(config: Pick<HubConfig, 'accounts' | 'defaults' | 'destinations'>, accountId: string): Route {
  const account = Object.hasOwn(config.accounts, accountId) ? config.accounts[accountId] : undefined;
  const minScore = thresholdScore(account?.minSeverity ?? config.defaults.minSeverity);
  const names =
    account?.destinations ??
    (account?.destination !== undefined
      ? [account.destination]
      : (config.defaults.destinations ?? [config.defaults.destination]));
  const lanes = names.map((destination) => {
    const own = Object.hasOwn(config.destinations, destination) ? config.destinations[destination] : undefined;
    const raised = own?.minSeverity === undefined ? minScore : Math.max(minScore, thresholdScore(own.minSeverity));
    return { destination, minScore: raised, attackSequences: own?.attackSequences === true };
  });
  return { destination: names[0] ?? config.defaults.destination, minScore, accountName: account?.name, lanes };
}

/**
 * The lowest severity score any account can be delivered at: the forwarder rules drop everything
 * below it at the source, so it must account for `defaults` (unlisted accounts) too.
 */
export function lowestThreshold(config: Pick<HubConfig, 'accounts' | 'defaults'>): number {
  const scores = Object.values(config.accounts).map((a) =>
    thresholdScore(a.minSeverity ?? config.defaults.minSeverity),
  );
  return Math.min(thresholdScore(config.defaults.minSeverity), ...scores);
}

/** Member accounts (never the administrator itself) enabled in `region`, in config order. */
export function membersInRegion(
  config: Pick<HubConfig, 'accounts' | 'hub' | 'regions'>,
  region: string,
): [string, AccountConfig][] {
  return Object.entries(config.accounts).filter(
    ([id, account]) => id !== config.hub.account && (account.regions ?? config.regions).includes(region),
  );
}

/**
 * The Secrets Manager secret of a destination: its webhook URL's, its app's bot token's, its PagerDuty
 * routing key's or its Teams Workflows URL's.
 */
export function destinationSecret(destination: DestinationConfig): string {
  return (
    destination.webhookSecret ??
    destination.app?.botTokenSecret ??
    destination.routingKeySecret ??
    destination.workflowUrlSecret ??
    ''
  );
}

/** True when `name` is a Slack app destination (bot token and channel) rather than a webhook. */
export function isAppDestination(config: Pick<HubConfig, 'destinations'>, name: string): boolean {
  return destinationTypeOf(config, name) === 'slack-app';
}

/**
 * The type of destination `name`: its `type`, else the one its fields imply (`app`: a Slack app,
 * otherwise a webhook). A name not in the config is a webhook's (its findings fail as a webhook's would).
 */
export function destinationTypeOf(config: Pick<HubConfig, 'destinations'>, name: string): DestinationType {
  const destination = Object.hasOwn(config.destinations, name) ? config.destinations[name] : undefined;
  return destination?.type ?? (destination?.app !== undefined ? 'slack-app' : 'slack-webhook');
}
