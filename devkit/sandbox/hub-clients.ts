import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoStateStore, secretsManagerTokens, type BotTokenResolver } from '../../lambdas/consumer/index.ts';
import { stateTableName, type HubConfig } from '../../shared/index.ts';
import { UsageError } from '../../cli/errors.ts';
import type { SandboxState } from './state.ts';

/** What `publish` and `click` reach on the local AWS as the hub account: its clients' settings, secrets, state table. */

/** SDK client settings for the hub account on the local AWS (no retries: it answers at once or not at all). */
export interface HubClientConfig {
  readonly endpoint: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly maxAttempts: number;
}

/** The hub account's client settings; throws when `up` recorded no keys for it. */
export function hubClientConfig(state: SandboxState): HubClientConfig {
  const credentials = state.credentials[state.account];
  if (credentials === undefined)
    throw new UsageError('the sandbox state has no credentials for the hub account: run sandbox up again');
  return { endpoint: state.endpoint, credentials, maxAttempts: 1 };
}

/** `GetSecretValue` in the hub region of the local AWS. */
export function hubSecretReader(
  client: HubClientConfig,
  region: string,
): (secretId: string) => Promise<string | undefined> {
  const secrets = new SecretsManagerClient({ ...client, region });
  return async (secretId) => (await secrets.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString;
}

/** The app destinations' bot tokens, from the local Secrets Manager (where `up` stored the sandbox's). */
export function hubBotTokens(config: HubConfig, client: HubClientConfig): BotTokenResolver {
  return secretsManagerTokens(config.destinations, hubSecretReader(client, config.hub.region));
}

/** The hub's finding-state table (repeats, parents, triage state) on the local AWS. */
export function hubStateStore(config: HubConfig, client: HubClientConfig): DynamoStateStore {
  return new DynamoStateStore({
    client: new DynamoDBClient({ ...client, region: config.hub.region }),
    tableName: stateTableName(config),
  });
}
