import type { HubConfig } from '../../shared/index.ts';
import type { BotTokenResolver } from '../../destinations/slack-app/tokens.ts';

/**
 * The bot token of the app destination posting to `channel`; undefined when no app destination posts
 * there or its token cannot be read (the caller says so to the user and audits it).
 */
export async function appTokenFor(
  config: Pick<HubConfig, 'destinations'>,
  tokens: BotTokenResolver,
  channel: string,
): Promise<string | undefined> {
  const destination = Object.entries(config.destinations).find(([, d]) => d.app?.channel === channel)?.[0];
  if (destination === undefined) return undefined;
  return tokens.botToken(destination).catch(() => undefined);
}
