import { AwsCallError, CliError, NoCredentialsError } from '../errors.ts';

/**
 * Turning SDK failures into CLI errors: missing credentials become {@link NoCredentialsError}
 * (exit 2) wherever they surface; everything else keeps the service's error name and message.
 */

/** True for the SDK's "no credentials in the whole provider chain" error. */
export function isMissingCredentials(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'CredentialsProviderError';
}

/** The service's error name (`QueueDoesNotExist`, `ResourceNotFoundException`, …), if any. */
export function awsErrorName(error: unknown): string | undefined {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : undefined;
}

/** A short, single-line description of a failed call: `AccessDenied: User … is not authorized …`. */
export function describeAwsError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const firstLine = error.message.split('\n')[0]?.trim() ?? '';
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (error.message.includes('Deserialization error')) {
    return `HTTP ${status ?? '?'} with a body that is not an AWS API answer (does the endpoint implement this API?)`;
  }
  const message = firstLine === '' || firstLine === 'UnknownError' ? `HTTP ${status ?? '?'}` : firstLine;
  return error.name && error.name !== 'Error' && !message.startsWith(error.name)
    ? `${error.name}: ${message}`
    : message;
}

/**
 * The error to throw for a failed call: CLI errors pass through, missing credentials become
 * {@link NoCredentialsError}, anything else an {@link AwsCallError} naming the operation.
 */
export function toCliError(operation: string, error: unknown): CliError {
  if (error instanceof CliError) return error;
  if (isMissingCredentials(error)) return new NoCredentialsError({ cause: error });
  return new AwsCallError(operation, describeAwsError(error), { cause: error });
}

/** Runs one SDK call, rethrowing failures through {@link toCliError}. */
export async function call<T>(operation: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw toCliError(operation, error);
  }
}

/**
 * A report section that tolerates failure: the section's value, or `{ error }` describing why it
 * could not be read. Missing credentials are never tolerated: they affect every section alike.
 */
export type Section<T> = T | { readonly error: string };

/** Runs `read` for a {@link Section}; rethrows only {@link NoCredentialsError}. */
export async function section<T>(read: () => Promise<T>): Promise<Section<T>> {
  try {
    return await read();
  } catch (error) {
    const cliError = toCliError('call', error);
    if (cliError instanceof NoCredentialsError) throw cliError;
    return { error: error instanceof CliError ? error.message : describeAwsError(error) };
  }
}

/** True when a section could not be read. */
export function failed<T>(value: Section<T>): value is { readonly error: string } {
  return typeof value === 'object' && value !== null && 'error' in value && Object.keys(value).length === 1;
}
