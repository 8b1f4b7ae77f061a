/**
 * The consumer's metric names, used by the consumer (which emits them as EMF), and by the hub
 * stack's alarms and dashboard and the CLI (which read them). Pure constants: safe in the Lambda bundle.
 */

/** CloudWatch namespace of the consumer's metrics. */
export const METRICS_NAMESPACE = 'GuardDutyHub';
/** The `service` dimension (and Powertools service name). */
export const SERVICE_NAME = 'guardduty-hub';

/** The consumer's metric names. */
export const METRIC_NAMES = {
  findingsReceived: 'FindingsReceived',
  findingsDelivered: 'FindingsDelivered',
  /** Total; each reason also has its own metric, `FindingsSkipped_<reason>`. */
  findingsSkipped: 'FindingsSkipped',
  slackMessages: 'SlackMessages',
  slackThrottled: 'SlackThrottled',
  /** Slack Web API calls answered for app destinations (posts, edits, storm files); 429s are in `SlackThrottled`. */
  slackWebApiCalls: 'SlackWebApiCalls',
  failedRecords: 'FailedRecords',
  invalidRecords: 'InvalidRecords',
  /** Findings per digest message, one value per digest sent. */
  digestSize: 'DigestSize',
  /** Records the consumer moved to the DLQ itself, with the reason (invalid, refused for good, last receive). */
  deadLettered: 'DeadLettered',
  /** Records handed back because a message about their finding was in flight (a live claim). */
  repeatsDeferred: 'RepeatsDeferred',
  /** Failed reads and writes of the repeat state table (the gate fails open: repeats, never silence). */
  repeatStoreErrors: 'RepeatStoreErrors',
  /**
   * Destinations whose secret holds a webhook URL the consumer refuses (not https, or a host neither
   * Slack's nor in `delivery.allowedWebhookHosts`): each time a batch's messages for such a destination are
   * refused (the default destination can count twice: its own findings, and those rerouted to it). Their
   * findings go to the default destination. Any value above 0 wants an operator.
   */
  webhookRefused: 'WebhookRefused',
  /** Triage requests refused before any work: bad or missing signature, stale timestamp, replay, oversized body. */
  triageRequestsRefused: 'TriageRequestsRefused',
  /** Triage actions done (Acknowledge, Archive, Unarchive, Suppress like this). */
  triageActionsDone: 'TriageActionsDone',
  /** Triage clicks that changed nothing: the action was already done (a double click). */
  triageActionsRepeated: 'TriageActionsRepeated',
  /** Triage clicks by someone not allowed the action (an ephemeral refusal, nothing done). */
  triageActionsRefused: 'TriageActionsRefused',
  /** Triage actions that failed (GuardDuty or Slack errors, the filter limit). */
  triageActionsFailed: 'TriageActionsFailed',
} as const;

/** The metric counting findings delivered to destinations of one type: `FindingsDelivered_pagerduty`, … */
export function deliveredMetricName(type: string): `FindingsDelivered_${string}` {
  return `FindingsDelivered_${type}`;
}
