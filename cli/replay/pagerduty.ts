import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ROUTING_KEY, type SecretReader } from '../../lambdas/consumer/index.ts';
import { destinationTypeOf, type HubConfig } from '../../shared/index.ts';
import { UsageError } from '../errors.ts';
import { hasCredentials, nameAndValue, parseEndpointUrl, secretReader } from './webhooks.ts';

/**
 * PagerDuty destinations in a replay: `--pagerduty NAME=KEY` gives a destination's routing key (else
 * Secrets Manager, with AWS credentials), `--pagerduty-url` the Events API v2 endpoint (a simulator's,
 * say). A key is never echoed, only what is wrong with it.
 */

/** The PagerDuty destinations of `config`. */
function pagerDutyDestinations(config: Pick<HubConfig, 'destinations'>): string[] {
  return Object.keys(config.destinations).filter((name) => destinationTypeOf(config, name) === 'pagerduty');
}

/** Parses the `--pagerduty NAME=KEY` values: names must be PagerDuty destinations, keys 32 letters and digits. */
export function parsePagerDutyArguments(
  values: readonly string[],
  config: Pick<HubConfig, 'destinations'>,
): Map<string, string> {
  const keys = new Map<string, string>();
  for (const value of values) {
    const [name, key] = nameAndValue(value, '--pagerduty', 'KEY');
    if (destinationTypeOf(config, name) !== 'pagerduty' || !Object.hasOwn(config.destinations, name)) {
      const known = pagerDutyDestinations(config).join(', ') || 'none';
      throw new UsageError(
        `--pagerduty ${name}: not a PagerDuty destination in the config (PagerDuty destinations: ${known})`,
      );
    }
    if (!ROUTING_KEY.test(key))
      throw new UsageError(`--pagerduty ${name}: the value is not a PagerDuty routing key (32 letters and digits)`);
    keys.set(name, key);
  }
  return keys;
}

/** Parses `--pagerduty-url`: the Events API v2 endpoint, an http(s) URL. */
export function parsePagerDutyUrl(value: string): string {
  return parseEndpointUrl(value, '--pagerduty-url', 'https://events.pagerduty.com/v2/enqueue');
}

/**
 * The secret reader of a replay's PagerDuty destinations: the `--pagerduty` keys stand for their
 * destinations' secrets; the other PagerDuty destinations the events use are read from Secrets Manager
 * when AWS credentials are configured (`note` says so); without credentials, a `UsageError` (exit 2).
 */
export function replayRoutingKeys(
  given: ReadonlyMap<string, string>,
  used: readonly string[],
  config: HubConfig,
  env: NodeJS.ProcessEnv,
  secrets: () => Promise<SecretsManagerClient>,
): { secrets: SecretReader; note: string | undefined } {
  const secretOf = (name: string) => config.destinations[name]?.routingKeySecret ?? '';
  const bySecret = new Map([...given].map(([name, key]) => [secretOf(name), key]));
  const missing = used.filter((name) => !given.has(name) && destinationTypeOf(config, name) === 'pagerduty');
  const fromArguments: SecretReader = async (secretId) => bySecret.get(secretId);
  if (missing.length === 0) return { secrets: fromArguments, note: undefined };
  if (!hasCredentials(env)) {
    const flags = missing.map((name) => `--pagerduty ${name}=KEY`).join(' ');
    throw new UsageError(
      `no routing key for PagerDuty destination${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: pass ${flags}, or set AWS credentials (AWS_PROFILE) to read it from Secrets Manager`,
    );
  }
  const read = secretReader(secrets);
  return {
    secrets: (secretId) => (bySecret.has(secretId) ? fromArguments(secretId) : read(secretId)),
    note: `reading the routing key of ${missing.join(', ')} from Secrets Manager (${missing.map(secretOf).join(', ')})`,
  };
}
