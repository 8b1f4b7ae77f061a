/**
 * GuardDuty filters made from Slack ("Suppress like this"). They live outside Terraform, so they are
 * tagged as the hub's and as made from Slack, and `guardduty-hub status` lists them per region so they
 * can be moved into the config's `suppress:` rules.
 */

/** Tag keys every Slack-made filter carries. */
export const SLACK_FILTER_TAGS = {
  /** Always {@link SLACK_FILTER_MADE_BY}. */
  madeBy: 'guardduty-hub:made-by',
  /** The Slack user id (`U…`) who confirmed the suppression. */
  user: 'guardduty-hub:slack-user',
  /** The finding id the filter was made from. */
  finding: 'guardduty-hub:finding',
} as const;

/** The value of the {@link SLACK_FILTER_TAGS.madeBy} tag. */
export const SLACK_FILTER_MADE_BY = 'slack';

/** Name prefix of Slack-made filters (GuardDuty filter names: 3–64 of `A-Za-z0-9_.-`). */
export const SLACK_FILTER_PREFIX = 'gdh-slack-';
