import type { HubConfig } from '../../shared/index.ts';
import type { SilenceStore } from '../../core/silences/index.ts';
import type { TriageAuditSinks } from '../../destinations/slack-app/triage/audit.ts';
import type { Authorizer } from '../../destinations/slack-app/triage/authorize.ts';
import type { TriageSlack } from '../../destinations/slack-app/triage/slack.ts';
import type { BotTokenResolver } from '../../destinations/slack-app/tokens.ts';
import { appTokenFor } from './app-token.ts';

/** What the Silence… desk and Renew share: the options, and the app destination and token of a channel. */

/** Per Slack call of the desk (`views.open`, the thread reply), in ms: inside Slack's 3 seconds. */
export const SILENCE_SLACK_TIMEOUT_MS = 2000;

/** What the desk needs. */
export interface SilenceDeskOptions extends TriageAuditSinks {
  readonly config: Pick<HubConfig, 'destinations'>;
  /** Where silences are kept (the state table); undefined in a run without one: nothing can be silenced. */
  readonly store: SilenceStore | undefined;
  readonly tokens: BotTokenResolver;
  readonly authorizer: Authorizer;
  /** A Slack client whose calls end within {@link SILENCE_SLACK_TIMEOUT_MS}. */
  readonly slack: TriageSlack;
  readonly signingSecret: () => Promise<string>;
  readonly now: () => number;
}

/** Said to a clicker `triage.allow.silence` does not list. */
export const NOT_ALLOWED =
  'You are not allowed to silence findings from Slack here. Ask an admin to add you to `triage.allow.silence`.';

/** The app destination posting to `channel`, when there is one. */
export function destinationOf(options: Pick<SilenceDeskOptions, 'config'>, channel: string): string | undefined {
  return Object.entries(options.config.destinations).find(([, d]) => d.app?.channel === channel)?.[0];
}

/** The bot token of the app destination posting to `channel`; undefined when there is none or the token cannot be read. */
export function tokenFor(options: SilenceDeskOptions, channel: string): Promise<string | undefined> {
  return appTokenFor(options.config, options.tokens, channel);
}
