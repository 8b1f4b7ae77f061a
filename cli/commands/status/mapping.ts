import {
  ListEventSourceMappingsCommand,
  type EventSourceMappingConfiguration,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import type { HubConfig } from '../../../shared/index.ts';
import { awsErrorName, toCliError } from '../../aws/index.ts';

/** The settings of the consumer's SQS event source mapping that the config controls. */
export interface MappingSettings {
  readonly batchSize: number | null;
  readonly maxBatchingWindowSeconds: number | null;
  /** `ScalingConfig.MaximumConcurrency`; `null` when unset (Lambda's default, up to 1,250). */
  readonly maxConcurrency: number | null;
  /** `FunctionResponseTypes` holds `ReportBatchItemFailures` (the consumer relies on it). */
  readonly reportBatchItemFailures: boolean;
  /** `Enabled` for a mapping that polls. */
  readonly state: string | null;
}

/** The mapping as deployed, next to what the config asks for. */
export interface MappingStatus {
  readonly functionName: string;
  /** Mapping UUID, or `null` when the function has none from the hub queue (or does not exist). */
  readonly uuid: string | null;
  readonly deployed: MappingSettings | null;
  readonly expected: MappingSettings;
  /** One line per setting that differs, or why there is nothing to compare. */
  readonly differences: string[];
}

const LABELS: Record<keyof MappingSettings, string> = {
  batchSize: 'batch size',
  maxBatchingWindowSeconds: 'batching window (s)',
  maxConcurrency: 'maximum concurrency',
  reportBatchItemFailures: 'ReportBatchItemFailures',
  state: 'state',
};

/** What `delivery` in the config says the mapping should be. */
export function expectedMapping(config: HubConfig): MappingSettings {
  return {
    batchSize: config.delivery.batchSize,
    maxBatchingWindowSeconds: config.delivery.maxBatchingWindowSeconds,
    maxConcurrency: config.delivery.maxConcurrency,
    reportBatchItemFailures: true,
    state: 'Enabled',
  };
}

/** Reads the mapping from `queueArn` to `functionName` and compares it with the config. */
export async function readMapping(
  lambda: LambdaClient,
  functionName: string,
  queueArn: string,
  config: HubConfig,
): Promise<MappingStatus> {
  const expected = expectedMapping(config);
  let mappings: EventSourceMappingConfiguration[];
  try {
    mappings = await listMappings(lambda, functionName);
  } catch (error) {
    if (awsErrorName(error) !== 'ResourceNotFoundException') throw toCliError('ListEventSourceMappings', error);
    return {
      functionName,
      uuid: null,
      deployed: null,
      expected,
      differences: [`consumer function ${functionName} not found`],
    };
  }
  const mapping = mappings.find((m) => m.EventSourceArn === queueArn);
  if (mapping === undefined) {
    return {
      functionName,
      uuid: null,
      deployed: null,
      expected,
      differences: [`no event source mapping from ${queueArn} to ${functionName}`],
    };
  }
  const deployed: MappingSettings = {
    batchSize: mapping.BatchSize ?? null,
    maxBatchingWindowSeconds: mapping.MaximumBatchingWindowInSeconds ?? 0,
    maxConcurrency: mapping.ScalingConfig?.MaximumConcurrency ?? null,
    reportBatchItemFailures: (mapping.FunctionResponseTypes ?? []).includes('ReportBatchItemFailures'),
    state: mapping.State ?? null,
  };
  const differences = (Object.keys(LABELS) as (keyof MappingSettings)[])
    .filter((key) => deployed[key] !== expected[key])
    .map((key) => `event source mapping ${LABELS[key]} is ${show(deployed[key])}, config says ${show(expected[key])}`);
  return { functionName, uuid: mapping.UUID ?? null, deployed, expected, differences };
}

/** The label `status` prints for a mapping setting. */
export function mappingLabel(key: keyof MappingSettings): string {
  return LABELS[key];
}

/** A setting's value as `status` prints it. */
export function show(value: MappingSettings[keyof MappingSettings]): string {
  if (value === null) return 'unset';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return String(value);
}

async function listMappings(lambda: LambdaClient, functionName: string): Promise<EventSourceMappingConfiguration[]> {
  const all: EventSourceMappingConfiguration[] = [];
  let marker: string | undefined;
  do {
    const page = await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: functionName, Marker: marker }));
    all.push(...(page.EventSourceMappings ?? []));
    marker = page.NextMarker;
  } while (marker);
  return all;
}
