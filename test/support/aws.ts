import { randomInt } from 'node:crypto';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';

/** Credentials that moto accepts and no real AWS account does. */
export const FAKE_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' } as const;

/** The account moto answers as with {@link FAKE_CREDENTIALS} (moto's default account). */
export const MOTO_ACCOUNT_ID = '123456789012';

/**
 * A random 12-digit account id (starting with 7). moto keeps each account apart, so a test that
 * works in an account of its own needs no reset and cannot disturb tests running beside it.
 */
export function uniqueAccountId(): string {
  return `7${String(randomInt(0, 100_000_000_000)).padStart(11, '0')}`;
}

/** The options every SDK v3 client needs to talk to a local endpoint in `region`. */
export interface LocalClientConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: typeof FAKE_CREDENTIALS;
  readonly maxAttempts: number;
}

/** Client options for `endpoint` (moto, or another local implementation) in `region`; no retries. */
export function localClientConfig(endpoint: string, region: string): LocalClientConfig {
  return { endpoint, region, credentials: FAKE_CREDENTIALS, maxAttempts: 1 };
}

/** SDK v3 clients for one region of a local AWS endpoint. Create with {@link awsClients}. */
export interface AwsClients {
  readonly region: string;
  readonly endpoint: string;
  readonly sqs: SQSClient;
  readonly events: EventBridgeClient;
  readonly dynamodb: DynamoDBClient;
  readonly secrets: SecretsManagerClient;
  readonly cloudwatch: CloudWatchClient;
  readonly lambda: LambdaClient;
  readonly guardduty: GuardDutyClient;
  /** Closes every client's sockets. */
  destroy(): void;
}

/** Options of {@link awsClients}. */
export interface AwsClientsOptions {
  /** The account moto acts as (header `x-moto-account-id`); {@link MOTO_ACCOUNT_ID} by default. */
  readonly accountId?: string;
}

/** Something with an SDK v3 middleware stack. */
interface WithMiddleware {
  readonly middlewareStack: { add(middleware: unknown, options: { step: 'build'; name: string }): void };
}

/**
 * Clients for every service the hub uses, pointed at `endpoint` (the moto URL) in `region`, acting
 * as `accountId`, so that ARNs synthesized for the config's hub account resolve in moto.
 */
export function awsClients(endpoint: string, region: string, { accountId }: AwsClientsOptions = {}): AwsClients {
  const config = localClientConfig(endpoint, region);
  const clients = {
    sqs: new SQSClient(config),
    events: new EventBridgeClient(config),
    dynamodb: new DynamoDBClient(config),
    secrets: new SecretsManagerClient(config),
    cloudwatch: new CloudWatchClient(config),
    lambda: new LambdaClient(config),
    guardduty: new GuardDutyClient(config),
  };
  if (accountId !== undefined) for (const client of Object.values(clients)) actAs(client, accountId);
  return {
    region,
    endpoint,
    ...clients,
    destroy: () => {
      for (const client of Object.values(clients)) client.destroy();
    },
  };
}

/** Makes moto treat every request of `client` as coming from `accountId`. */
export function actAs(client: WithMiddleware, accountId: string): void {
  client.middlewareStack.add(
    (next: (args: { request: unknown }) => Promise<unknown>) => async (args: { request: unknown }) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers !== undefined) request.headers['x-moto-account-id'] = accountId;
      return next(args);
    },
    { step: 'build', name: 'motoAccountId' },
  );
}
