import { cachedPerDestination, readSecretValue, secretText, type SecretReader } from '../../core/port/secrets.ts';
import { BotTokenError } from './errors.ts';

/** Finds the bot token of an app destination. Throws {@link BotTokenError} when it cannot. */
export interface BotTokenResolver {
  botToken(destination: string): Promise<string>;
}

/** A Slack bot token: `xoxb-`, then digits, dashes and letters. */
export const BOT_TOKEN = /^xoxb-[0-9]+-[0-9A-Za-z-]+$/;

/**
 * Bot tokens from Secrets Manager: `destinations.NAME.app.botTokenSecret` names the secret, whose
 * value is the token (or a JSON object with a `token` / `botToken` field). Read once per instance;
 * a failed read is not kept, so the next invocation reads again (a rotated token needs no redeploy).
 */
export function secretsManagerTokens(
  destinations: Readonly<Record<string, { readonly app?: { readonly botTokenSecret: string } | undefined }>>,
  read: SecretReader,
): BotTokenResolver {
  const load = async (destination: string): Promise<string> => {
    const secretId = Object.hasOwn(destinations, destination)
      ? destinations[destination]?.app?.botTokenSecret
      : undefined;
    if (secretId === undefined) throw new BotTokenError(destination, 'not an app destination', true);
    const value = await readSecretValue(
      read,
      secretId,
      (name, permanent, cause) => new BotTokenError(destination, `secret ${secretId}: ${name}`, permanent, { cause }),
    );
    const token = botTokenFromSecretValue(value);
    if (token === undefined)
      throw new BotTokenError(destination, `secret ${secretId} does not hold a bot token (xoxb-…)`, true);
    return token;
  };
  return { botToken: cachedPerDestination(load) };
}

/** Tokens given directly (replay's `--token NAME=xoxb-…`, tests). */
export function staticTokens(tokens: ReadonlyMap<string, string> | Readonly<Record<string, string>>): BotTokenResolver {
  const map = tokens instanceof Map ? tokens : new Map(Object.entries(tokens));
  return {
    async botToken(destination) {
      const token = map.get(destination);
      if (token === undefined) throw new BotTokenError(destination, 'no bot token given for this destination', true);
      return token;
    },
  };
}

/** The token in a secret value: the plain string, or the `token` / `botToken` field of a JSON object. */
export function botTokenFromSecretValue(value: string | undefined): string | undefined {
  const candidate = secretText(value, ['token', 'botToken']);
  return candidate !== undefined && BOT_TOKEN.test(candidate) ? candidate : undefined;
}
