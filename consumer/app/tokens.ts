import type { SecretReader } from '../deliver/secrets.ts';
import { BotTokenError } from './errors.ts';

/** Finds the bot token of an app destination. Throws {@link BotTokenError} when it cannot. */
export interface BotTokenResolver {
  botToken(destination: string): Promise<string>;
}

/** A Slack bot token: `xoxb-`, then digits, dashes and letters. */
export const BOT_TOKEN = /^xoxb-[0-9]+-[0-9A-Za-z-]+$/;

/** SDK error names after which reading again will not help. */
const PERMANENT_SECRET_ERRORS: ReadonlySet<string> = new Set(['ResourceNotFoundException', 'DecryptionFailure', 'InvalidRequestException']);

/**
 * Bot tokens from Secrets Manager: `destinations.NAME.app.botTokenSecret` names the secret, whose
 * value is the token (or a JSON object with a `token` / `botToken` field). Read once per instance;
 * a failed read is not kept, so the next invocation reads again (a rotated token needs no redeploy).
 */
export function secretsManagerTokens(
  destinations: Readonly<Record<string, { readonly app?: { readonly botTokenSecret: string } | undefined }>>,
  read: SecretReader,
): BotTokenResolver {
  const cache = new Map<string, Promise<string>>();
  const load = async (destination: string): Promise<string> => {
    const secretId = Object.hasOwn(destinations, destination) ? destinations[destination]?.app?.botTokenSecret : undefined;
    if (secretId === undefined) throw new BotTokenError(destination, 'not an app destination', true);
    let value: string | undefined;
    try {
      value = await read(secretId);
    } catch (cause) {
      const name = cause instanceof Error ? cause.name : 'Error';
      throw new BotTokenError(destination, `secret ${secretId}: ${name}`, PERMANENT_SECRET_ERRORS.has(name), { cause });
    }
    const token = botTokenFromSecretValue(value);
    if (token === undefined) throw new BotTokenError(destination, `secret ${secretId} does not hold a bot token (xoxb-…)`, true);
    return token;
  };
  return {
    botToken(destination) {
      let token = cache.get(destination);
      if (!token) {
        token = load(destination);
        cache.set(destination, token);
        token.catch(() => cache.delete(destination));
      }
      return token;
    },
  };
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
  const text = value?.trim();
  if (!text) return undefined;
  let candidate: unknown = text;
  if (text.startsWith('{')) {
    try {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      candidate = parsed.token ?? parsed.botToken;
    } catch {
      return undefined;
    }
  }
  return typeof candidate === 'string' && BOT_TOKEN.test(candidate.trim()) ? candidate.trim() : undefined;
}
