import { createClients, type AwsClients, type ServiceOptions } from '../../cli/aws/index.ts';
import { FAKE_CREDENTIALS, actAs } from './aws.ts';

/**
 * The CLI's client factory pointed at a local endpoint (moto), acting as `accountId` (moto keeps
 * each account's resources apart: with `uniqueAccountId` every test has an empty account of its own
 * on the shared server),
 * and hooks to answer the few calls moto does not implement.
 */

/** Options of {@link cliClients}. */
export interface CliClientsOptions {
  /** The account moto acts as: the config's `hub.account`. */
  readonly accountId: string;
  /** Services pointed elsewhere (e.g. `sqs` at local-aws-sqs for message move tasks). */
  readonly perService?: ServiceOptions;
  /** Calls answered locally instead of by the endpoint; see {@link Emulated}. */
  readonly emulate?: Emulated;
}

/**
 * Answers for operations the endpoint lacks, by service and operation name (`ListMembers`): the
 * handler gets the command input and the client's region and returns the output, throws as the
 * service would, or returns {@link PASS_THROUGH}. Installed as an `initialize` middleware, so nothing
 * reaches the network for the calls it answers.
 */
export type Emulated = Partial<Record<keyof AwsClients, Record<string, EmulatedOperation>>>;

/** One emulated operation: the output (or a promise of it), a thrown service error, or {@link PASS_THROUGH}. */
export type EmulatedOperation = (input: Record<string, unknown>, region: string) => unknown;

/** Returned by an emulated operation to let that call through to the endpoint after all. */
export const PASS_THROUGH = Symbol('pass through');

/** Clients for the CLI against `endpoint`. */
export function cliClients(
  endpoint: string,
  { accountId, perService = {}, emulate = {} }: CliClientsOptions,
): AwsClients {
  const base = createClients({ endpoint, credentials: FAKE_CREDENTIALS, maxAttempts: 1 }, perService);
  const prepared = new WeakSet<object>();
  const wrap = <C extends object>(service: keyof AwsClients, region: string, client: C): C => {
    if (prepared.has(client)) return client;
    prepared.add(client);
    actAs(client as unknown as Parameters<typeof actAs>[0], accountId);
    const answers = emulate[service];
    if (answers !== undefined) answerLocally(client, region, answers);
    return client;
  };
  return {
    sqs: (region) => wrap('sqs', region, base.sqs(region)),
    guardduty: (region) => wrap('guardduty', region, base.guardduty(region)),
    cloudwatch: (region) => wrap('cloudwatch', region, base.cloudwatch(region)),
    lambda: (region) => wrap('lambda', region, base.lambda(region)),
    secrets: (region) => wrap('secrets', region, base.secrets(region)),
    dynamodb: (region) => wrap('dynamodb', region, base.dynamodb(region)),
  };
}

interface MiddlewareContext {
  readonly commandName?: string;
}

function answerLocally(client: object, region: string, answers: Record<string, EmulatedOperation>): void {
  const stack = (
    client as { middlewareStack: { add(middleware: unknown, options: { step: 'initialize'; name: string }): void } }
  ).middlewareStack;
  stack.add(
    (next: (args: { input: Record<string, unknown> }) => Promise<unknown>, context: MiddlewareContext) =>
      async (args: { input: Record<string, unknown> }) => {
        const operation = context.commandName?.replace(/Command$/, '');
        const answer = operation === undefined ? undefined : answers[operation];
        if (answer === undefined) return next(args);
        const output = await answer(args.input, region);
        if (output === PASS_THROUGH) return next(args);
        return { output: { $metadata: {}, ...(output as object) }, response: {} };
      },
    { step: 'initialize', name: 'emulatedOperations' },
  );
}

/** An error shaped like a service error (`name` is what the CLI checks), for emulated failures. */
export function serviceError(name: string, message: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode }, $fault: 'client' });
}
