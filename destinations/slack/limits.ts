/**
 * Slack's limits on an incoming-webhook message, as the renderer and `validatePayload` apply them.
 * Lengths are counted in UTF-16 code units (JavaScript `length`), which never undercounts Slack's characters.
 */
export const SLACK_LIMITS = {
  /** Blocks in one message, across all its attachments (Slack: 50). */
  blocksPerMessage: 50,
  /** Characters in a section block's `text` (Slack: 3,000). */
  sectionTextChars: 3000,
  /** Fields in one section block (Slack: 10). */
  fieldsPerSection: 10,
  /** Characters in one section field (Slack: 2,000). */
  fieldTextChars: 2000,
  /** Characters in a header block's plain text (Slack: 150). */
  headerTextChars: 150,
  /** Elements in one context block (Slack: 10). */
  contextElements: 10,
  /** Characters in one context element's text (a text object: Slack allows 3,000). */
  contextTextChars: 3000,
  /**
   * Characters in the top-level `text`, the notification fallback. Slack truncates far above this
   * (40,000); we keep it to 4,000 so notifications and fallbacks stay readable.
   */
  topLevelTextChars: 4000,
  /** Characters in a `block_id` (Slack: 255). */
  blockIdChars: 255,
} as const;

/** The names of the limits in `SLACK_LIMITS`. */
export type SlackLimit = keyof typeof SLACK_LIMITS;
