import type { SendMessageBatchCommand, SendMessageBatchResult } from '@aws-sdk/client-sqs';
import { canaryEnabled, type HubConfig } from '../../shared/index.ts';
import { dynamoCanaryStore } from '../../core/canary/index.ts';
import { sdkCanary } from './canary-sdk.ts';
import { ConsumerError } from '../../core/errors.ts';
import { loadBundledConfig } from '../runtime.ts';
import { sdkGuardDuty } from './observe.ts';
import { sdkTrails } from './trail.ts';
import { runDriftCheck, type DriftCheckReport } from './run.ts';
import { dynamoDriftStore } from './store.ts';
import { silenceEndsStep } from './silence-ends.ts';
import { filterExpiryStep } from './filter-expiry-io.ts';

/** Environment the drift function reads (set by stacks/hub/drift.ts). */
export const DRIFT_ENV = { table: 'STATE_TABLE_NAME', queueUrl: 'HUB_QUEUE_URL' } as const;

/** The drift check could not run, or could not finish: the scheduled invocation fails and is retried next time. */
export class DriftCheckError extends ConsumerError {
  override readonly name = 'DriftCheckError';
}

/** The SQS call the sender makes (an `SQSClient`). */
export interface SqsSendLike {
  send(command: SendMessageBatchCommand): Promise<SendMessageBatchResult>;
}

/** Sends bodies to the hub queue with `SendMessageBatch` (10 at a time); throws if SQS refuses any. `sqs` defaults to a new `SQSClient`. */
export function sqsSender(queueUrl: string, sqs?: SqsSendLike): (bodies: readonly string[]) => Promise<void> {
  const load = (async () => {
    const sdk = await import('@aws-sdk/client-sqs');
    return { sdk, client: sqs ?? new sdk.SQSClient({}) };
  })();
  return async (bodies) => {
    const { sdk, client } = await load;
    for (let i = 0; i < bodies.length; i += 10) {
      const entries = bodies.slice(i, i + 10).map((body, j) => ({ Id: String(j), MessageBody: body }));
      const result = await client.send(new sdk.SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      const failed = result.Failed ?? [];
      if (failed.length > 0)
        throw new DriftCheckError(`SQS refused ${failed.length} drift alerts: ${failed[0]?.Code ?? 'no code given'}`);
    }
  };
}

/**
 * The Lambda entry point of the scheduled drift check (`index.driftHandler`): bundled config, real SDK
 * clients. Its steps, each in a module of its own: the drift of every region with its canary
 * (`run.ts`, `canary.ts`), the recaps of ended silences (`silence-ends.ts`), and with `triage:` the
 * expiry of Slack-made filters (`filter-expiry.ts`). A step that failed fails the invocation after the
 * others ran, so the next run tries it again.
 */
export function createDriftHandler(
  options: { readonly config?: HubConfig; readonly env?: NodeJS.ProcessEnv } = {},
): () => Promise<DriftCheckReport> {
  const env = options.env ?? process.env;
  return async () => {
    const config = options.config ?? (await loadBundledConfig());
    const { tableName, queueUrl } = driftEnv(env);
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    const dynamodb = new DynamoDBClient({});
    const send = sqsSender(queueUrl);
    const report = await runDriftCheck({
      config,
      guardduty: sdkGuardDuty,
      trails: (region) => sdkTrails(region),
      store: dynamoDriftStore({ client: dynamodb, tableName }),
      send,
      ...(canaryEnabled(config)
        ? { canary: sdkCanary(config, dynamoCanaryStore({ client: dynamodb, tableName })) }
        : {}),
    });
    await silenceEndsStep({ config, tableName, send, client: dynamodb });
    const alerts = report.alerts.length;
    const canaryAgeSeconds = Object.fromEntries(report.canaryAges);
    console.log(
      JSON.stringify({ message: 'Drift check done', alerts, failedRegions: report.failedRegions, canaryAgeSeconds }),
    );
    // Slack-made filters expire (filter-expiry.ts); only "Suppress like this" (triage) makes them.
    const triage = config.triage;
    const expiry = triage && (await filterExpiryStep({ ...config, triage }, dynamodb, tableName)());
    if (expiry) console.log(JSON.stringify({ message: 'Filter expiry done', ...expiry }));
    if (report.failedRegions.length > 0)
      throw new DriftCheckError(`drift check failed in ${report.failedRegions.map((f) => f.region).join(', ')}`);
    if (expiry && expiry.failures.length > 0)
      throw new DriftCheckError(`filter expiry failed: ${expiry.failures.map((f) => f.where).join(', ')}`);
    return report;
  };
}

/** The state table and hub queue the stack gives the function; a clear error without them. */
function driftEnv(env: NodeJS.ProcessEnv): { tableName: string; queueUrl: string } {
  const tableName = env[DRIFT_ENV.table];
  const queueUrl = env[DRIFT_ENV.queueUrl];
  if (!tableName || !queueUrl)
    throw new DriftCheckError(`the drift check needs ${DRIFT_ENV.table} and ${DRIFT_ENV.queueUrl} in its environment`);
  return { tableName, queueUrl };
}
