/**
 * One-line summaries of synthesized stacks ("hub: 1 bus, 2 queues, 1 function, …"), read from the
 * Terraform JSON so that they describe exactly what was written.
 */

/** Readable names of resource types: singular and plural. */
const LABELS: Readonly<Record<string, readonly [string, string]>> = {
  aws_cloudwatch_event_bus: ['bus', 'buses'],
  aws_cloudwatch_event_rule: ['rule', 'rules'],
  aws_cloudwatch_event_target: ['rule target', 'rule targets'],
  aws_sqs_queue: ['queue', 'queues'],
  aws_sqs_queue_policy: ['queue policy', 'queue policies'],
  aws_sqs_queue_redrive_allow_policy: ['redrive-allow policy', 'redrive-allow policies'],
  aws_lambda_function: ['function', 'functions'],
  aws_lambda_event_source_mapping: ['event source mapping', 'event source mappings'],
  aws_cloudwatch_log_group: ['log group', 'log groups'],
  aws_iam_role: ['role', 'roles'],
  aws_iam_role_policy: ['role policy', 'role policies'],
  aws_secretsmanager_secret: ['secret', 'secrets'],
  aws_dynamodb_table: ['table', 'tables'],
  aws_sns_topic: ['topic', 'topics'],
  aws_sns_topic_subscription: ['subscription', 'subscriptions'],
  aws_cloudwatch_metric_alarm: ['alarm', 'alarms'],
  aws_cloudwatch_dashboard: ['dashboard', 'dashboards'],
  aws_scheduler_schedule: ['schedule', 'schedules'],
  aws_guardduty_detector: ['detector', 'detectors'],
  aws_guardduty_member: ['member', 'members'],
  aws_guardduty_filter: ['filter', 'filters'],
  aws_guardduty_organization_configuration: ['organization configuration', 'organization configurations'],
  aws_guardduty_organization_admin_account: ['delegated admin', 'delegated admins'],
};

/** Resource counts of one synthesized stack. */
export interface StackSummary {
  /** Stack name. */
  readonly stack: string;
  /** Resources by Terraform type: the hub's flow first (bus, queues, function, …), unknown types last. */
  readonly counts: ReadonlyMap<string, number>;
  /** Total number of resources. */
  readonly total: number;
}

/** Counts the resources of a synthesized stack (`cdk.tf.json` parsed). */
export function summarizeStack(
  stack: string,
  synthesized: { resource?: Record<string, Record<string, unknown>> },
): StackSummary {
  const order = (type: string) => (Object.hasOwn(LABELS, type) ? Object.keys(LABELS).indexOf(type) : Infinity);
  const types = Object.keys(synthesized.resource ?? {}).sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  const counts = new Map(types.map((type) => [type, Object.keys(synthesized.resource?.[type] ?? {}).length]));
  return { stack, counts, total: [...counts.values()].reduce((sum, n) => sum + n, 0) };
}

/** `hub: 1 bus, 2 queues, 1 function, … (31 resources)`. */
export function formatSummary(summary: StackSummary): string {
  const parts = [...summary.counts].map(([type, count]) => {
    const plain = type.replace(/^aws_/, '').replaceAll('_', ' ');
    const [one, many] = LABELS[type] ?? [plain, plain];
    return `${count} ${count === 1 ? one : many}`;
  });
  return `${summary.stack}: ${parts.length > 0 ? parts.join(', ') : 'no resources'} (${summary.total} resources)`;
}
