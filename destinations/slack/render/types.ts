import type { HubConfig } from '../../../shared/config/schema.ts';
import type { RoutedFinding } from '../../../core/types.ts';

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

/** A Slack incoming-webhook payload: top-level `text` fallback, blocks inside a coloured attachment. */
export interface SlackPayload {
  readonly text: string;
  readonly attachments: readonly {
    readonly color: string;
    readonly blocks: readonly Record<string, unknown>[];
    readonly fallback?: string;
  }[];
}

/** One Slack message to send, and the findings it stands for (the port's `OutgoingMessage` with a Slack payload). */
export interface SlackMessage {
  readonly destination: string;
  readonly kind: 'single' | 'digest';
  readonly payload: SlackPayload;
  /** Findings in this message. */
  readonly findings: readonly RoutedFinding[];
}
