import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { GuardDutyClient } from '@aws-sdk/client-guardduty';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { CANARY_AGE_METRIC, type HubConfig } from '../../shared/index.ts';
import { METRICS_NAMESPACE } from '../../shared/telemetry.ts';
import type { CanaryOptions, SampleMaker } from './canary.ts';
import type { MetricRef, PipelineReader } from './canary-hops.ts';
import type { CanaryStore } from '../../core/canary/index.ts';

/**
 * The canary's AWS calls over the SDK: GuardDuty to make and archive samples, EventBridge, SQS and
 * CloudWatch to read the path, CloudWatch to put the ages. The clients of a region come from one
 * function, so tests point them at the local AWS; the Lambda's make one per service and region.
 */

/** The SDK clients the canary uses in a region. */
export interface CanaryClients {
  readonly guardduty: Pick<GuardDutyClient, 'send'>;
  readonly events: Pick<EventBridgeClient, 'send'>;
  readonly sqs: Pick<SQSClient, 'send'>;
  readonly cloudwatch: Pick<CloudWatchClient, 'send'>;
}

/** Each region's clients; `regionClients` makes real ones (SDK loaded on first use) when none are given. */
export type ClientsOf = (region: string) => Promise<CanaryClients>;

/** The canary over the SDK: samples, path reads and the age metric, with `store`. */
export function sdkCanary(
  config: Pick<HubConfig, 'hub'>,
  store: CanaryStore,
  clients: ClientsOf = regionClients(),
): CanaryOptions {
  return {
    store,
    samples: (region) => samplesIn(region, clients),
    pipeline: pipelineOver(clients),
    putAges: (ages) => putAges(config, ages, clients),
  };
}

/**
 * Real clients, one set per region, each made on its first `send`: a run whose canaries arrive makes and
 * archives samples only, and never loads EventBridge, SQS or CloudWatch for the path's reads.
 */
export function regionClients(): ClientsOf {
  const made = new Map<string, CanaryClients>();
  return async (region) => {
    let clients = made.get(region);
    if (clients === undefined) {
      clients = {
        guardduty: onFirstSend(async () => new (await import('@aws-sdk/client-guardduty')).GuardDutyClient({ region })),
        events: onFirstSend(
          async () => new (await import('@aws-sdk/client-eventbridge')).EventBridgeClient({ region }),
        ),
        sqs: onFirstSend(async () => new (await import('@aws-sdk/client-sqs')).SQSClient({ region })),
        cloudwatch: onFirstSend(
          async () => new (await import('@aws-sdk/client-cloudwatch')).CloudWatchClient({ region }),
        ),
      };
      made.set(region, clients);
    }
    return clients;
  };
}

/** A client that is made when its `send` is first called. */
function onFirstSend<T extends { send(command: never): Promise<unknown> }>(make: () => Promise<T>): Pick<T, 'send'> {
  let client: Promise<T> | undefined;
  const send = async (command: never) => {
    client ??= make();
    return (await client).send(command);
  };
  return { send } as Pick<T, 'send'>;
}

/** `CreateSampleFindings` and `ArchiveFindings` in `region`. */
function samplesIn(region: string, clients: ClientsOf): SampleMaker {
  return {
    async create(detectorId, findingType) {
      const sdk = await import('@aws-sdk/client-guardduty');
      const { guardduty } = await clients(region);
      await guardduty.send(
        new sdk.CreateSampleFindingsCommand({ DetectorId: detectorId, FindingTypes: [findingType] }),
      );
    },
    async archive(detectorId, findingIds) {
      const sdk = await import('@aws-sdk/client-guardduty');
      const { guardduty } = await clients(region);
      // ArchiveFindings takes at most 50 ids.
      for (let i = 0; i < findingIds.length; i += 50) {
        const FindingIds = findingIds.slice(i, i + 50);
        await guardduty.send(new sdk.ArchiveFindingsCommand({ DetectorId: detectorId, FindingIds }));
      }
    },
  };
}

/** The hops of the path, read with `DescribeRule`, `GetQueueUrl` + `GetQueueAttributes` and `GetMetricStatistics`. */
function pipelineOver(clients: ClientsOf): PipelineReader {
  return {
    async ruleState(region, busName, ruleName) {
      const sdk = await import('@aws-sdk/client-eventbridge');
      const { events } = await clients(region);
      try {
        const rule = await events.send(new sdk.DescribeRuleCommand({ Name: ruleName, EventBusName: busName }));
        return rule.State ?? 'unknown';
      } catch (error) {
        if (errorName(error) === 'ResourceNotFoundException') return 'missing';
        throw error;
      }
    },
    async queueDepth(region, queueName) {
      const sdk = await import('@aws-sdk/client-sqs');
      const { sqs } = await clients(region);
      try {
        const { QueueUrl } = await sqs.send(new sdk.GetQueueUrlCommand({ QueueName: queueName }));
        const { Attributes } = await sqs.send(
          new sdk.GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
        );
        return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
      } catch (error) {
        if (errorName(error).includes('NonExistentQueue')) return 'missing';
        throw error;
      }
    },
    metric: (region, metric, kind, sinceMs) => statistic(clients, region, metric, kind, sinceMs),
  };
}

const errorName = (error: unknown): string => (error as { name?: string } | null)?.name ?? '';

/** The highest `Maximum` or the total `Sum` of a metric from `sinceMs` to an hour after it (5-minute periods); 0 without data. */
async function statistic(
  clients: ClientsOf,
  region: string,
  { namespace, name: metricName, dimensions }: MetricRef,
  kind: 'Maximum' | 'Sum',
  sinceMs: number,
): Promise<number> {
  const sdk = await import('@aws-sdk/client-cloudwatch');
  const { cloudwatch } = await clients(region);
  const { Datapoints = [] } = await cloudwatch.send(
    new sdk.GetMetricStatisticsCommand({
      Namespace: namespace,
      MetricName: metricName,
      Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
      StartTime: new Date(sinceMs),
      EndTime: new Date(sinceMs + 3_600_000),
      Period: 300,
      Statistics: [kind],
    }),
  );
  const values = Datapoints.map((point) => point[kind] ?? 0);
  return kind === 'Sum' ? values.reduce((a, b) => a + b, 0) : Math.max(0, ...values);
}

/** Puts each region's canary age as `CanaryAgeSeconds` (dimension `Region`) in the hub region. */
async function putAges(
  config: Pick<HubConfig, 'hub'>,
  ages: ReadonlyMap<string, number>,
  clients: ClientsOf,
): Promise<void> {
  const sdk = await import('@aws-sdk/client-cloudwatch');
  const { cloudwatch } = await clients(config.hub.region);
  const MetricData = [...ages].map(([region, seconds]) => ({
    MetricName: CANARY_AGE_METRIC,
    Dimensions: [{ Name: 'Region', Value: region }],
    Value: seconds,
    Unit: 'Seconds' as const,
  }));
  await cloudwatch.send(new sdk.PutMetricDataCommand({ Namespace: METRICS_NAMESPACE, MetricData }));
}
