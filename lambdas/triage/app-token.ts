import type { HubConfig } from '../../shared/index.ts';
import type { ConsumerLogger } from '../../core/log.ts';
import { ephemeral, type TriageSlack } from '../../destinations/slack-app/triage/slack.ts';
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

/** Says `text` to the clicker only (the click's `response_url`, ephemeral); a failure is logged. */
export function tellClicker(
  options: { readonly slack: Pick<TriageSlack, 'respond'>; readonly logger: Pick<ConsumerLogger, 'warn'> },
  responseUrl: string,
): (text: string) => Promise<void> {
  return (text) =>
    options.slack.respond(responseUrl, ephemeral(text)).catch((error: unknown) => {
      options.logger.warn('Triage: the response_url did not take an answer', { error: String(error) });
    });
}
