/**
 * Reading a destination's secret (a webhook URL, a bot token, a routing key) from Secrets Manager:
 * every adapter's way in, so that none ever logs or throws the SDK's message, and each reads once per
 * destination and instance.
 */

/** Reads a secret's string value by name (Secrets Manager `GetSecretValue`); `undefined` when it has none. */
export type SecretReader = (secretId: string) => Promise<string | undefined>;

/** SDK error names after which reading again will not help. */
export const PERMANENT_SECRET_ERRORS: ReadonlySet<string> = new Set([
  'ResourceNotFoundException',
  'DecryptionFailure',
  'InvalidRequestException',
]);

/**
 * Reads `secretId`; a failure becomes `toError(errorName, permanent)` (the SDK error's name, and
 * whether reading again can help), never the SDK's message.
 */
export async function readSecretValue(
  read: SecretReader,
  secretId: string,
  toError: (errorName: string, permanent: boolean, cause: unknown) => Error,
): Promise<string | undefined> {
  try {
    return await read(secretId);
  } catch (cause) {
    const name = cause instanceof Error ? cause.name : 'Error';
    throw toError(name, PERMANENT_SECRET_ERRORS.has(name), cause);
  }
}

/**
 * `load` with one read per destination kept for the life of the instance; a failed read is not
 * kept, so the next call (the next invocation) reads the secret again.
 */
export function cachedPerDestination(
  load: (destination: string) => Promise<string>,
): (destination: string) => Promise<string> {
  const cache = new Map<string, Promise<string>>();
  return (destination) => {
    let value = cache.get(destination);
    if (!value) {
      value = load(destination);
      cache.set(destination, value);
      value.catch(() => cache.delete(destination));
    }
    return value;
  };
}

/** A secret's value as plain text, or the first of `fields` of a JSON object; undefined when empty or unreadable. */
export function secretText(value: string | undefined, fields: readonly string[]): string | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (!text.startsWith('{')) return text;
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    const found = fields.map((field) => parsed[field]).find((candidate) => candidate !== undefined);
    return typeof found === 'string' ? found.trim() : undefined;
  } catch {
    return undefined;
  }
}
