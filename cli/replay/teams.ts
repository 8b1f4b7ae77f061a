import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { destinationTypeOf, type HubConfig, workflowUrlRefusal } from '../../shared/index.ts';
import { UsageError } from '../errors.ts';

/**
 * Teams destinations in a replay: `--teams NAME=URL` gives a destination's Workflows webhook URL, the
 * others are read from Secrets Manager when AWS credentials are set. The consumer reads Teams URLs
 * through its secret reader (`HandlerOptions.secrets`), so a URL given here is handed to it as that
 * destination's secret value, and checked as one would be (https on a Workflows host, or a host
 * `delivery.allowedWebhookHosts` lists). A URL is never echoed: only what is wrong with it.
 */

/** Parses the `--teams NAME=URL` values: names must be Teams destinations, URLs ones the consumer posts to. */
export function parseTeamsArguments(
  values: readonly string[],
  config: Pick<HubConfig, 'destinations' | 'delivery'>,
): Map<string, string> {
  const urls = new Map<string, string>();
  const teams = Object.keys(config.destinations).filter((name) => destinationTypeOf(config, name) === 'teams');
  for (const value of values) {
    const at = value.indexOf('=');
    const name = at > 0 ? value.slice(0, at).trim() : '';
    const url = at > 0 ? value.slice(at + 1).trim() : '';
    if (name === '' || url === '')
      throw new UsageError(`--teams must be NAME=URL (got ${at > 0 ? `"${name}=" and no URL` : 'no NAME='})`);
    if (!teams.includes(name))
      throw new UsageError(
        `--teams ${name}: not a Teams destination in the config (Teams destinations: ${teams.join(', ') || 'none'})`,
      );
    const refusal = workflowUrlRefusal(url, config.delivery.allowedWebhookHosts);
    if (refusal !== undefined) throw new UsageError(`--teams ${name}: ${refusal}`);
    urls.set(name, url);
  }
  return urls;
}

/**
 * The secret reader of a replay: a `--teams` URL for its destination's `workflowUrlSecret`, Secrets
 * Manager for the rest when AWS credentials are set (`note` says so). Without credentials, every Teams
 * destination the events use needs a `--teams`, else a `UsageError` (exit 2) names the missing ones.
 */
export function replayTeamsSecrets(
  given: ReadonlyMap<string, string>,
  used: readonly string[],
  config: HubConfig,
  hasCredentials: boolean,
  secrets: () => Promise<SecretsManagerClient>,
): { secrets: (secretId: string) => Promise<string | undefined>; note: string | undefined } {
  const bySecret = new Map(
    [...given].map(([name, url]) => [config.destinations[name]?.workflowUrlSecret ?? '', url] as const),
  );
  const missing = used.filter((name) => destinationTypeOf(config, name) === 'teams' && !given.has(name));
  if (missing.length > 0 && !hasCredentials) {
    const flags = missing.map((name) => `--teams ${name}=URL`).join(' ');
    throw new UsageError(
      `no Workflows URL for Teams destination${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: pass ${flags}, or set AWS credentials (AWS_PROFILE) to read it from Secrets Manager`,
    );
  }
  const read = async (secretId: string): Promise<string | undefined> => {
    const url = bySecret.get(secretId);
    if (url !== undefined) return url;
    const [client, { GetSecretValueCommand }] = await Promise.all([
      secrets(),
      import('@aws-sdk/client-secrets-manager'),
    ]);
    return (await client.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString;
  };
  const note =
    missing.length === 0
      ? undefined
      : `reading the Workflows URL of ${missing.join(', ')} from Secrets Manager (${missing.map((name) => config.destinations[name]?.workflowUrlSecret).join(', ')})`;
  return { secrets: read, note };
}
