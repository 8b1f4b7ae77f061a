import { cachedPerDestination, readSecretValue, secretText, type SecretReader } from '../../core/port/secrets.ts';
import { RoutingKeyError } from './errors.ts';

/** Finds the routing key of a PagerDuty destination. Throws {@link RoutingKeyError} when it cannot. */
export interface RoutingKeyResolver {
  routingKey(destination: string): Promise<string>;
}

/**
 * A routing key's form: the 32-character integration key of an Events API v2 integration, letters and
 * digits only (PagerDuty's own 400 says "'routing_key' cannot contain non-alphanumeric characters").
 */
export const ROUTING_KEY = /^[A-Za-z0-9]{32}$/;

/**
 * Routing keys from Secrets Manager: `destinations.NAME.routingKeySecret` names the secret, whose value
 * is the key (or a JSON object with a `routingKey` / `routing_key` / `integrationKey` field). Read once
 * per destination and instance; a failed read is not kept, so the next invocation reads again (a key
 * set or rotated needs no redeploy).
 */
export function secretsManagerRoutingKeys(
  destinations: Readonly<Record<string, { readonly routingKeySecret?: string | undefined }>>,
  read: SecretReader,
): RoutingKeyResolver {
  const load = async (destination: string): Promise<string> => {
    const secretId = Object.hasOwn(destinations, destination) ? destinations[destination]?.routingKeySecret : undefined;
    if (secretId === undefined) throw new RoutingKeyError(destination, 'not a PagerDuty destination', true);
    const value = await readSecretValue(
      read,
      secretId,
      (name, permanent, cause) => new RoutingKeyError(destination, `secret ${secretId}: ${name}`, permanent, { cause }),
    );
    const key = routingKeyFromSecretValue(value);
    if (key === undefined)
      throw new RoutingKeyError(
        destination,
        `secret ${secretId} does not hold a routing key (32 letters and digits: the Integration Key of an Events API v2 integration)`,
        true,
      );
    return key;
  };
  return { routingKey: cachedPerDestination(load) };
}

/** Routing keys given directly (replay's `--pagerduty NAME=KEY`, tests); a malformed one is refused like a secret's. */
export function staticRoutingKeys(
  keys: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
): RoutingKeyResolver {
  const map = keys instanceof Map ? keys : new Map(Object.entries(keys));
  return {
    async routingKey(destination) {
      const key = map.get(destination);
      if (key === undefined) throw new RoutingKeyError(destination, 'no routing key given for this destination', true);
      if (!ROUTING_KEY.test(key))
        throw new RoutingKeyError(destination, 'the key given is not 32 letters and digits', true);
      return key;
    },
  };
}

/** The routing key in a secret value: the plain string, or a field of a JSON object; undefined when it has no key's form. */
export function routingKeyFromSecretValue(value: string | undefined): string | undefined {
  const candidate = secretText(value, ['routingKey', 'routing_key', 'integrationKey']);
  return candidate !== undefined && ROUTING_KEY.test(candidate) ? candidate : undefined;
}
