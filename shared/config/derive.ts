import { thresholdScore } from '../severity.ts';
import type { AccountConfig, DestinationConfig, HubConfig } from './schema.ts';

/** Where one account's findings go and from which score. */
export interface Route {
  /** Destination name (a key of `destinations`). */
  readonly destination: string;
  /** Lowest severity score delivered. */
  readonly minScore: number;
  /** Display name of the account, when configured. */
  readonly accountName: string | undefined;
}

/** The route for an account: its own settings, else `defaults`. */
export function routeFor(config: Pick<HubConfig, 'accounts' | 'defaults'>, accountId: string): Route {
  const account = Object.hasOwn(config.accounts, accountId) ? config.accounts[accountId] : undefined;
  return {
    destination: account?.destination ?? config.defaults.destination,
    minScore: thresholdScore(account?.minSeverity ?? config.defaults.minSeverity),
    accountName: account?.name,
  };
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

/** The Secrets Manager secret of a destination: its webhook URL's, its app's bot token's, or its Teams Workflows URL's. */
export function destinationSecret(destination: DestinationConfig): string {
  return destination.webhookSecret ?? destination.app?.botTokenSecret ?? destination.workflowUrlSecret ?? '';
}

/** True when `name` is a Slack app destination (bot token and channel) rather than a webhook. */
export function isAppDestination(config: Pick<HubConfig, 'destinations'>, name: string): boolean {
  return destinationTypeOf(config, name) === 'slack-app';
}

/**
 * The type of destination `name`: its `type`, else the one its fields imply (`app`: a Slack app,
 * otherwise a webhook). A name not in the config is a webhook's (its findings fail as a webhook's would).
 */
export function destinationTypeOf(config: Pick<HubConfig, 'destinations'>, name: string): string {
  const destination = Object.hasOwn(config.destinations, name) ? config.destinations[name] : undefined;
  return destination?.type ?? (destination?.app !== undefined ? 'slack-app' : 'slack-webhook');
}
