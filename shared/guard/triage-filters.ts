/**
 * GuardDuty filters made from Slack ("Suppress like this"). They live outside Terraform, so they are
 * tagged as the hub's and as made from Slack, and `guardduty-hub status` lists them per region so they
 * can be moved into the config's `suppress:` rules. Each carries its owner and an expiry: the drift
 * check reminds the owner in the finding's thread before it and removes the filter at it, unless renewed.
 */

/** Tag keys every Slack-made filter carries (GuardDuty tag values: at most 256 of letters, digits, spaces and `_.:/=+-@`). */
export const SLACK_FILTER_TAGS = {
  /** Always {@link SLACK_FILTER_MADE_BY}. */
  madeBy: 'guardduty-hub:made-by',
  /** The Slack user id (`U…`) who confirmed the suppression: its owner. */
  user: 'guardduty-hub:slack-user',
  /** The finding id the filter was made from. */
  finding: 'guardduty-hub:finding',
  /** When the hub removes the filter, ISO 8601 UTC (`2027-03-06T19:50:25.000Z`); Renew pushes it out. */
  expires: 'guardduty-hub:expires',
  /** The channel (`C…`) of the finding's parent message, whose thread hears of the reminder and the removal. */
  channel: 'guardduty-hub:slack-channel',
  /** The parent message's `ts`. */
  thread: 'guardduty-hub:slack-thread',
} as const;

/** The value of the {@link SLACK_FILTER_TAGS.madeBy} tag. */
export const SLACK_FILTER_MADE_BY = 'slack';

/** Name prefix of Slack-made filters (GuardDuty filter names: 3–64 of `A-Za-z0-9_.-`). */
export const SLACK_FILTER_PREFIX = 'gdh-slack-';

/** Days before its expiry that a Slack-made filter's owner is reminded (once) in the finding's thread. */
export const SLACK_FILTER_REMIND_DAYS = 7;

/** Days of findings "Suppress like this" counts before it acts (the backtest window). */
export const SUPPRESS_BACKTEST_DAYS = 30;

/**
 * The cost of a GuardDuty filter, said once for every place that asks for one (`synth` under rules
 * `at: source`, the "Suppress like this" modal), after the GuardDuty User Guide's suppression-rule and
 * Extended Threat Detection pages.
 */
export const ARCHIVED_CORRELATION_COST =
  'GuardDuty archives what these filters match, and Extended Threat Detection leaves archived findings out of the attack sequences it builds';
