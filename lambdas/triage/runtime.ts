import {
  DynamoStateStore,
  MemoryStateStore,
  dynamoFindingHistory,
  memoryFindingHistory,
  type FindingHistory,
} from '../../core/repeats/index.ts';
import type { ConsumerLogger } from '../../core/log.ts';
import { secretText, type SecretReader } from '../../core/port/secrets.ts';
import { lazySecretReader } from '../runtime.ts';
import { TriageError } from '../../destinations/slack-app/triage/errors.ts';

/**
 * Cold-start wiring of the triage function: what it reads from its environment, its signing secret,
 * GuardDuty clients per region, its hand-off to a second invocation, and the state store. SDK
 * modules load on first use.
 */

/** What the triage function gets from its environment (set by the hub stack's triage function). */
export interface TriageEnvironment {
  /** `STATE_TABLE_NAME`: triage state and replay marks; unset in a local run (memory, this instance only). */
  readonly tableName: string | undefined;
  /** `AWS_LAMBDA_FUNCTION_NAME`: the function invokes itself to run the worker; unset locally. */
  readonly functionName: string | undefined;
}

/** Reads {@link TriageEnvironment}; an empty value counts as unset. */
export function triageEnvFrom(env: NodeJS.ProcessEnv = process.env): TriageEnvironment {
  return { tableName: env.STATE_TABLE_NAME || undefined, functionName: env.AWS_LAMBDA_FUNCTION_NAME || undefined };
}

/**
 * The signing secret of the Slack app, from the Secrets Manager secret `secretName` (the value, or a
 * JSON object's `signingSecret` field); read once per instance, a failed read is tried again next time.
 */
export function signingSecretFrom(secretName: string, read: SecretReader = lazySecretReader()): () => Promise<string> {
  let value: Promise<string> | undefined;
  const load = async (): Promise<string> => {
    const secret = secretText(await read(secretName), ['signingSecret', 'signing_secret']);
    if (secret === undefined)
      throw new TriageError(
        `the secret ${secretName} holds no Slack signing secret: set it with guardduty-hub secrets set --signing-secret`,
      );
    return secret;
  };
  return () => {
    value ??= load();
    value.catch(() => (value = undefined));
    return value;
  };
}

/** GuardDuty SDK clients, one per region, created on first use. */
export function lazyGuardDutyClients(): (region: string) => { send(command: object): Promise<unknown> } {
  const clients = new Map<string, Promise<{ send(command: object): Promise<unknown> }>>();
  return (region) => ({
    async send(command) {
      let client = clients.get(region);
      if (client === undefined) {
        client = import('@aws-sdk/client-guardduty').then(({ GuardDutyClient }) => new GuardDutyClient({ region }));
        clients.set(region, client);
      }
      return (await client).send(command as never);
    },
  });
}

/** A Lambda SDK client, or anything with its `send`. */
export interface LambdaLike {
  send(command: object): Promise<unknown>;
}

/**
 * Hands `job` to another invocation of `functionName` (`InvokeCommand`, `InvocationType: 'Event'`): it
 * returns once Lambda queued it. `client` defaults to a `LambdaClient` created on first use.
 */
export function lambdaHandOff(functionName: string, client?: LambdaLike): (job: object) => Promise<void> {
  let sdk: Promise<{ lambda: LambdaLike; Invoke: typeof import('@aws-sdk/client-lambda').InvokeCommand }> | undefined;
  return async (job) => {
    sdk ??= import('@aws-sdk/client-lambda').then(({ LambdaClient, InvokeCommand }) => ({
      lambda: client ?? new LambdaClient({}),
      Invoke: InvokeCommand,
    }));
    const { lambda, Invoke } = await sdk;
    await lambda.send(
      new Invoke({ FunctionName: functionName, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(job)) }),
    );
  };
}

/** The triage state store: the finding-state table (`STATE_TABLE_NAME`), or memory (with a warning) in a local run. */
export async function triageStore(
  tableName: string | undefined,
  logger: Pick<ConsumerLogger, 'warn'>,
): Promise<DynamoStateStore | MemoryStateStore> {
  if (tableName === undefined) {
    logger.warn('STATE_TABLE_NAME is not set: triage state and replay marks live in this instance only');
    return new MemoryStateStore();
  }
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  return new DynamoStateStore({ client: new DynamoDBClient({}), tableName });
}

/** The finding history "Suppress like this" counts: the state table's index, or the memory store's own in a local run. */
export async function triageHistory(
  tableName: string | undefined,
  store: DynamoStateStore | MemoryStateStore,
): Promise<FindingHistory> {
  if (tableName === undefined || store instanceof MemoryStateStore)
    return memoryFindingHistory(store instanceof MemoryStateStore ? store : new MemoryStateStore());
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  return dynamoFindingHistory({ client: new DynamoDBClient({}), tableName });
}
