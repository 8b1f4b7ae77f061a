import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ROUTING_KEY, type SecretReader } from '../../lambdas/consumer/index.ts';
import {
  destinationSecret,
  destinationTypeOf,
  workflowUrlRefusal,
  type DestinationType,
  type HubConfig,
} from '../../shared/index.ts';
import { UsageError } from '../errors.ts';
import { hasCredentials, nameAndValue, secretReader } from './webhooks.ts';

/**
 * Destinations whose consumer adapter reads its secret through the secret reader (PagerDuty's routing
 * key, Teams' Workflows URL) in a replay: `--pagerduty NAME=KEY` or `--teams NAME=URL` gives the value,
 * handed to the consumer as that destination's secret and checked as the consumer would check it; the
 * others the events use are read from Secrets Manager when AWS credentials are set. A value is never
 * echoed, only what is wrong with it.
 */

/** A destination type whose secret a replay takes on the command line, as the flag and its messages name it. */
export interface GivenSecretKind {
  readonly type: DestinationType;
  /** `--pagerduty`. */
  readonly flag: string;
  /** What stands for the value in `NAME=VALUE`: `KEY`, `URL`. */
  readonly placeholder: string;
  /** What the secret holds: `routing key`. */
  readonly what: string;
  /** Whose destination it is: `PagerDuty`. */
  readonly service: string;
  /** What is wrong with a value, or undefined when the consumer would take it. */
  readonly refusal: (value: string, config: Pick<HubConfig, 'delivery'>) => string | undefined;
}

/** `--pagerduty NAME=KEY`: a routing key, 32 letters and digits. */
export const PAGERDUTY_ARGUMENT: GivenSecretKind = {
  type: 'pagerduty',
  flag: '--pagerduty',
  placeholder: 'KEY',
  what: 'routing key',
  service: 'PagerDuty',
  refusal: (value) =>
    ROUTING_KEY.test(value) ? undefined : 'the value is not a PagerDuty routing key (32 letters and digits)',
};

/** `--teams NAME=URL`: https on a Workflows host, or on a host `delivery.allowedWebhookHosts` lists. */
export const TEAMS_ARGUMENT: GivenSecretKind = {
  type: 'teams',
  flag: '--teams',
  placeholder: 'URL',
  what: 'Workflows URL',
  service: 'Teams',
  refusal: (value, config) => workflowUrlRefusal(value, config.delivery.allowedWebhookHosts),
};

/** The values given on the command line, by destination name. */
export type GivenSecrets = ReadonlyMap<string, string>;

/** Parses the `NAME=VALUE` values of `kind.flag`: each name a destination of its type, each value one it takes. */
export function parseGivenSecrets(
  values: readonly string[],
  kind: GivenSecretKind,
  config: Pick<HubConfig, 'destinations' | 'delivery'>,
): Map<string, string> {
  const given = new Map<string, string>();
  const ofKind = Object.keys(config.destinations).filter((name) => destinationTypeOf(config, name) === kind.type);
  for (const argument of values) {
    const [name, value] = nameAndValue(argument, kind.flag, kind.placeholder);
    if (!ofKind.includes(name)) {
      const known = ofKind.join(', ') || 'none';
      throw new UsageError(
        `${kind.flag} ${name}: not a ${kind.service} destination in the config (${kind.service} destinations: ${known})`,
      );
    }
    const refusal = kind.refusal(value, config);
    if (refusal !== undefined) throw new UsageError(`${kind.flag} ${name}: ${refusal}`);
    given.set(name, value);
  }
  return given;
}

/**
 * The secret reader of a replay's destinations of `kinds`: a given value for its destination's secret,
 * Secrets Manager for the rest of those `used` when AWS credentials are set (`note` names them). Without
 * credentials, a {@link UsageError} names every destination that needs its flag.
 */
export function replayGivenSecrets(
  kinds: readonly (readonly [GivenSecretKind, GivenSecrets])[],
  used: readonly string[],
  config: HubConfig,
  env: NodeJS.ProcessEnv,
  secrets: () => Promise<SecretsManagerClient>,
): { secrets: SecretReader; note: string | undefined } {
  const secretOf = (name: string) => {
    const destination = config.destinations[name];
    return destination === undefined ? '' : destinationSecret(destination);
  };
  const bySecret = new Map(kinds.flatMap(([, given]) => [...given].map(([name, value]) => [secretOf(name), value])));
  const missing = kinds
    .map(([kind, given]) => ({
      kind,
      names: used.filter((name) => destinationTypeOf(config, name) === kind.type && !given.has(name)),
    }))
    .filter(({ names }) => names.length > 0);
  const fromArguments: SecretReader = async (secretId) => bySecret.get(secretId);
  if (missing.length === 0) return { secrets: fromArguments, note: undefined };
  if (!hasCredentials(env)) {
    const needs = missing.map(({ kind, names }) => {
      const flags = names.map((name) => `${kind.flag} ${name}=${kind.placeholder}`).join(' ');
      return `no ${kind.what} for ${kind.service} destination${names.length > 1 ? 's' : ''} ${names.join(', ')}: pass ${flags}`;
    });
    throw new UsageError(
      `${needs.join('; ')}, or set AWS credentials (AWS_PROFILE) to read ${missing.length > 1 ? 'them' : 'it'} from Secrets Manager`,
    );
  }
  const read = secretReader(secrets);
  const note = missing
    .map(
      ({ kind, names }) =>
        `reading the ${kind.what} of ${names.join(', ')} from Secrets Manager (${names.map(secretOf).join(', ')})`,
    )
    .join('; ');
  return { secrets: (secretId) => (bySecret.has(secretId) ? fromArguments(secretId) : read(secretId)), note };
}
