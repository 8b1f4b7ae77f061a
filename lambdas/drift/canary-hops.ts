import {
  dlqName,
  forwarderDlqName,
  forwarderRuleName,
  functionName,
  hubBusName,
  hubQueueName,
  hubRuleDlqName,
  hubRuleName,
  type HubConfig,
} from '../../shared/index.ts';

/**
 * Where a late canary most likely stopped, from what the check can read: each hop of the path in order
 * (detector, sample, forwarder rule, its failed deliveries and its DLQ, hub rule and its DLQ, hub queue
 * age and its DLQ, consumer errors). The first hop that looks broken is named; the others seen wrong are listed after it. A read
 * that is refused is said, never taken for health.
 */

/** What the check reads of the path (real: EventBridge, SQS and CloudWatch; fakes in tests). */
export interface PipelineReader {
  /** `DescribeRule`: `ENABLED`, `DISABLED`, or `missing`. */
  ruleState(region: string, busName: string, ruleName: string): Promise<string>;
  /** Visible messages in the queue (`ApproximateNumberOfMessages`), or `missing`. */
  queueDepth(region: string, queueName: string): Promise<number | 'missing'>;
  /** A CloudWatch metric's `Maximum` (the highest) or `Sum` (the total) since `sinceMs`; 0 without data. */
  metric(region: string, metric: MetricRef, statistic: 'Maximum' | 'Sum', sinceMs: number): Promise<number>;
}

/** A CloudWatch metric: namespace, name and dimensions. */
export interface MetricRef {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

/** A hub queue message older than this means the consumer is not draining it. */
export const STUCK_QUEUE_SECONDS = 900;

/** One hop's reading: undefined when it looks healthy, else what is wrong and the fix. */
type Probe = () => Promise<string | undefined>;

/** What the diagnosis knows already: the region's detector and why the last sample could not be made. */
export interface CanaryContext {
  readonly detector: { readonly id: string | undefined; readonly status: string };
  readonly sendError?: string | undefined;
  /** The check's clock, epoch ms: metrics are read over the hour before it. */
  readonly nowMs: number;
}

/** The note of a late canary: the hop most likely broken, then anything else seen wrong. */
export async function diagnoseCanary(
  pipeline: PipelineReader,
  config: Pick<HubConfig, 'hub'>,
  region: string,
  context: CanaryContext,
): Promise<string> {
  const found: string[] = [];
  for (const probe of probes(pipeline, config, region, context)) {
    const seen = await probe().catch((error: unknown) => `could not be read (${String(error)})`);
    if (seen !== undefined) found.push(seen);
  }
  if (found.length === 0)
    return 'Every hop the check can read looks healthy: GuardDuty may be late publishing, or the hub bus refused the forwarder (see its FailedInvocations alarm).';
  const [first, ...rest] = found;
  return `Most likely broken: ${first}${rest.length > 0 ? ` Also seen: ${rest.join(' ')}` : ''}`;
}

/** The hops in path order. */
function probes(
  pipeline: PipelineReader,
  config: Pick<HubConfig, 'hub'>,
  region: string,
  context: CanaryContext,
): Probe[] {
  const hub = config.hub.region;
  const hourAgo = context.nowMs - 3_600_000;
  const rule = (inRegion: string, bus: string, name: string, what: string) => async () => {
    const state = await pipeline.ruleState(inRegion, bus, name);
    return state === 'ENABLED'
      ? undefined
      : `${what} (${name} in ${inRegion}) is ${state}; deploy the stack again (cdktf deploy) to restore it.`;
  };
  const queue = (inRegion: string, name: string, what: string) => async () => {
    const depth = await pipeline.queueDepth(inRegion, name);
    if (depth === 'missing') return `${what} (${name} in ${inRegion}) is missing; deploy the stack again.`;
    return depth > 0
      ? `${what} (${name} in ${inRegion}) holds ${depth} messages; see guardduty-hub dlq peek.`
      : undefined;
  };
  return [
    async () => detectorProblem(region, context),
    rule(region, 'default', forwarderRuleName(config), 'the forwarder rule'),
    async () => {
      const failed = {
        namespace: 'AWS/Events',
        name: 'FailedInvocations',
        dimensions: { RuleName: forwarderRuleName(config) },
      };
      const count = await pipeline.metric(region, failed, 'Sum', hourAgo);
      return count > 0
        ? `the forwarder (${forwarderRuleName(config)} in ${region}) could not deliver ${count} events to the hub bus in the last hour; check the forwarder role and the hub bus.`
        : undefined;
    },
    queue(region, forwarderDlqName(config), "the forwarder's dead-letter queue"),
    rule(hub, hubBusName(config), hubRuleName(config), 'the hub rule'),
    queue(hub, hubRuleDlqName(config), "the hub rule's dead-letter queue"),
    async () => {
      const queueName = hubQueueName(config);
      const oldest = {
        namespace: 'AWS/SQS',
        name: 'ApproximateAgeOfOldestMessage',
        dimensions: { QueueName: queueName },
      };
      const seconds = await pipeline.metric(hub, oldest, 'Maximum', hourAgo);
      return seconds > STUCK_QUEUE_SECONDS
        ? `the hub queue (${queueName}): its oldest message waited ${seconds} s, so the consumer is not taking messages (is its event source mapping enabled?).`
        : undefined;
    },
    queue(hub, dlqName(config), "the hub queue's dead-letter queue"),
    async () => {
      const errors = { namespace: 'AWS/Lambda', name: 'Errors', dimensions: { FunctionName: functionName(config) } };
      const count = await pipeline.metric(hub, errors, 'Sum', hourAgo);
      return count > 0
        ? `the consumer (${functionName(config)}) failed ${count} times in the last hour; see its logs.`
        : undefined;
    },
  ];
}

/** The detector missing or disabled, or the sample refused. */
function detectorProblem(region: string, { detector, sendError }: CanaryContext): string | undefined {
  if (detector.id === undefined)
    return `the GuardDuty detector: ${region} has none, so no canary (and no finding) is made there.`;
  if (detector.status !== 'ENABLED')
    return `the GuardDuty detector ${detector.id} in ${region} is ${detector.status}: it makes no findings; enable it.`;
  if (sendError !== undefined) return `the canary could not be made in ${region}: ${sendError}`;
  return undefined;
}
