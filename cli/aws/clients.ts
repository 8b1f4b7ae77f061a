import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';

/**
 * SDK v3 clients for the services the CLI calls, one per service and region, created on first use.
 * The default factory leaves credentials and endpoints to the SDK, which reads the standard AWS
 * environment itself: `AWS_PROFILE`, `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, `AWS_ENDPOINT_URL`
 * and per-service `AWS_ENDPOINT_URL_SQS`, `AWS_ENDPOINT_URL_GUARDDUTY`, … (supported by the installed
 * SDK, 3.11xx). The region always comes from the config: the hub region or a GuardDuty region.
 */
export interface AwsClients {
  sqs(region: string): SQSClient;
  guardduty(region: string): GuardDutyClient;
  cloudwatch(region: string): CloudWatchClient;
  lambda(region: string): LambdaClient;
  secrets(region: string): SecretsManagerClient;
  /** The state table's (silences). */
  dynamodb(region: string): DynamoDBClient;
}

/** Options every client is built with (all optional; the SDK's defaults otherwise). */
export interface ClientOptions {
  /** Endpoint URL for every service, e.g. a local moto (`AWS_ENDPOINT_URL` does the same from the environment). */
  readonly endpoint?: string;
  /** Static credentials; the SDK's default chain when absent. */
  readonly credentials?: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
  };
  /** Attempts per call, including the first (SDK default 3). */
  readonly maxAttempts?: number;
}

/** Per-service client options, for pointing one service somewhere else (tests: SQS at another server). */
export type ServiceOptions = Partial<Record<keyof AwsClients, ClientOptions>>;

/** Builds an {@link AwsClients} factory; `perService` overrides `options` for the services it names. */
export function createClients(options: ClientOptions = {}, perService: ServiceOptions = {}): AwsClients {
  // The SDK warns on stderr that Node 20 support ends in 2027; an operator reading a report needs no such notice.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const cache = new Map<string, unknown>();
  const memo = <T>(service: keyof AwsClients, region: string, make: (config: object) => T): T => {
    const key = `${service}:${region}`;
    if (!cache.has(key)) cache.set(key, make({ region, ...options, ...perService[service] }));
    return cache.get(key) as T;
  };
  return {
    sqs: (region) => memo('sqs', region, (config) => new SQSClient(config)),
    guardduty: (region) => memo('guardduty', region, (config) => new GuardDutyClient(config)),
    cloudwatch: (region) => memo('cloudwatch', region, (config) => new CloudWatchClient(config)),
    lambda: (region) => memo('lambda', region, (config) => new LambdaClient(config)),
    secrets: (region) => memo('secrets', region, (config) => new SecretsManagerClient(config)),
    dynamodb: (region) => memo('dynamodb', region, (config) => new DynamoDBClient(config)),
  };
}
