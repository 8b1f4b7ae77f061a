import type { HubConfig } from '../../shared/config/schema.ts';

/** The parts of the config rendering reads: account names, colours, digest settings. */
export type RenderConfig = Pick<HubConfig, 'accounts' | 'colors' | 'delivery'>;

/** Options for `renderMessages`. */
export interface RenderOptions {
  /**
   * A note shown at the top of every message for a destination, as a context block; for example
   * `Sent to security because team-a answered 404 channel_not_found`. Plain text: it is escaped.
   */
  readonly note?: (destination: string) => string | undefined;
}

/** A Slack block (section, header, context, …), as sent. */
export type Block = Record<string, unknown>;
