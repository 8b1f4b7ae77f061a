import { CreateDetectorCommand, type Member } from '@aws-sdk/client-guardduty';
import type { EventSourceMappingConfiguration } from '@aws-sdk/client-lambda';
import { membersInRegion, validateConfig, type HubConfig } from '../../shared/index.ts';
import { functionArn, functionName } from '../../shared/names.ts';
import type { AwsClients as CliAwsClients } from '../../cli/aws/index.ts';
import { baseRawConfig, deepMerge } from '../factories/index.ts';
import { awsClients, uniqueAccountId, type AwsClients } from './aws.ts';
import { PASS_THROUGH, cliClients, serviceError, type Emulated } from './cli-aws.ts';
import { createHubQueues, createTargetDlqs, type HubQueues } from './cli-hub.ts';
import { writeConfigFile } from './cli-run.ts';

/**
 * A deployed hub in moto for the CLI tests: a config (the factory's, in an account of its own),
 * the hub queue and DLQ, a GuardDuty detector per region, and the CLI's clients. moto implements
 * SQS, CloudWatch, Secrets Manager and GuardDuty detectors; what it lacks is answered locally (see
 * {@link WorldOptions}) and says so here:
 * - GuardDuty `ListMembers`: not implemented by moto (5.2.x), answered from `members`.
 * - Lambda `ListEventSourceMappings`: moto implements it, but holding a mapping needs an IAM role
 *   (no IAM client in this project) and makes moto invoke the function in Docker on every message
 *   sent; answered from `mapping` instead.
 */
export interface World {
  readonly config: HubConfig;
  readonly configPath: string;
  readonly accountId: string;
  readonly queues: HubQueues;
  /** URLs of the EventBridge target DLQs by `dlq --queue` id (`hub-rule`, `forwarder-<region>`); empty with `withoutQueues`. */
  readonly targetDlqUrls: Readonly<Record<string, string>>;
  /** Test-side clients (arranging and checking), acting as the world's account. */
  aws(region?: string): AwsClients;
  /** The CLI's clients, with the emulated operations. */
  readonly clients: CliAwsClients;
}

/** Options of {@link arrangeWorld}. */
export interface WorldOptions {
  /** Raw config changes, deep-merged into the factory config. */
  readonly config?: Record<string, unknown>;
  /** Regions that get a detector; every configured region by default. */
  readonly detectorRegions?: readonly string[];
  /** Members by region; by default every expected member (`membersInRegion`) is `Enabled`. */
  readonly members?: Record<string, Member[]>;
  /** The deployed mapping's fields over one that matches the config; `null` for no mapping. */
  readonly mapping?: Partial<EventSourceMappingConfiguration> | null;
  /** Regions whose GuardDuty API refuses every call, with the error name. */
  readonly refusingRegions?: Record<string, string>;
  /** Extra emulated operations (e.g. `CreateSampleFindings`). */
  readonly emulate?: Emulated;
  /** Where the CLI's SQS calls go (e.g. local-aws-sqs for message move tasks); moto otherwise. */
  readonly sqsEndpoint?: string;
  /** Use this account instead of a fresh one (the spawned CLI acts as moto's default account). */
  readonly accountId?: string;
  /** Skip creating the queues. */
  readonly withoutQueues?: boolean;
  /** Create the hub queue and its DLQ but not the EventBridge target DLQs (stacks deployed before they had them). */
  readonly withoutTargetDlqs?: boolean;
}

/** Arranges a world against moto at `endpoint`. */
export async function arrangeWorld(endpoint: string, options: WorldOptions = {}): Promise<World> {
  const accountId = options.accountId ?? uniqueAccountId();
  const raw = deepMerge(baseRawConfig(), deepMerge({ hub: { account: accountId } }, options.config ?? {}));
  const config = validateConfig(raw, 'test config');
  const configPath = writeConfigFile(raw);
  const made = new Map<string, AwsClients>();
  const aws = (region = config.hub.region): AwsClients => {
    if (!made.has(region)) made.set(region, awsClients(endpoint, region, { accountId }));
    return made.get(region)!;
  };
  const queues = options.withoutQueues
    ? { hubUrl: '', hubArn: '', dlqUrl: '', dlqArn: '' }
    : await createHubQueues(
        options.sqsEndpoint ? awsClients(options.sqsEndpoint, config.hub.region, { accountId }).sqs : aws().sqs,
        config,
      );
  const targetDlqUrls =
    options.withoutQueues || options.withoutTargetDlqs
      ? {}
      : await createTargetDlqs(
          (region) =>
            options.sqsEndpoint ? awsClients(options.sqsEndpoint, region, { accountId }).sqs : aws(region).sqs,
          config,
        );
  for (const region of options.detectorRegions ?? config.regions) {
    await aws(region).guardduty.send(new CreateDetectorCommand({ Enable: true }));
  }
  const refusal = (operation: string, region: string): void => {
    const name = options.refusingRegions?.[region];
    if (name) throw serviceError(name, `User is not authorized to perform guardduty:${operation} in ${region}`, 403);
  };
  const emulate: Emulated = {
    ...options.emulate,
    guardduty: {
      ListDetectors: (_input, region) => {
        refusal('ListDetectors', region);
        return PASS_THROUGH;
      },
      ListMembers: (input, region) => {
        refusal('ListMembers', region);
        return { Members: options.members?.[region] ?? enabledMembers(config, region, String(input.DetectorId)) };
      },
      ...options.emulate?.guardduty,
    },
    lambda: {
      ListEventSourceMappings: (input) => {
        if (input.FunctionName !== functionName(config))
          throw serviceError('ResourceNotFoundException', `Function not found: ${String(input.FunctionName)}`, 404);
        if (options.mapping === null) return { EventSourceMappings: [] };
        return { EventSourceMappings: [{ ...matchingMapping(config, queues.hubArn), ...options.mapping }] };
      },
      ...options.emulate?.lambda,
    },
  };
  const clients = cliClients(endpoint, {
    accountId,
    emulate,
    ...(options.sqsEndpoint ? { perService: { sqs: { endpoint: options.sqsEndpoint } } } : {}),
  });
  return { config, configPath, accountId, queues, targetDlqUrls, aws, clients };
}

/** The mapping the hub stack deploys for `config`. */
export function matchingMapping(config: HubConfig, queueArn: string): EventSourceMappingConfiguration {
  return {
    UUID: '6f1e2d3c-0000-4000-8000-000000000001',
    EventSourceArn: queueArn,
    FunctionArn: functionArn(config),
    BatchSize: config.delivery.batchSize,
    MaximumBatchingWindowInSeconds: config.delivery.maxBatchingWindowSeconds,
    ScalingConfig: { MaximumConcurrency: config.delivery.maxConcurrency },
    FunctionResponseTypes: ['ReportBatchItemFailures'],
    State: 'Enabled',
  };
}

/** Every member the config expects in `region`, `Enabled`. */
export function enabledMembers(config: HubConfig, region: string, detectorId = 'd-admin'): Member[] {
  return membersInRegion(config, region).map(([id, account]) => ({
    AccountId: id,
    Email: account.email,
    DetectorId: detectorId,
    MasterId: config.hub.account,
    RelationshipStatus: 'Enabled',
    UpdatedAt: '2026-01-15T10:00:00.000Z',
  }));
}

/** A GuardDuty member as ListMembers returns it. */
export function member(accountId: string, relationshipStatus: string): Member {
  return {
    AccountId: accountId,
    RelationshipStatus: relationshipStatus,
    DetectorId: 'd-admin',
    MasterId: '111111111111',
    Email: `aws+${accountId}@example.com`,
    UpdatedAt: '2026-01-15T10:00:00.000Z',
  };
}
