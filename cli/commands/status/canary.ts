import { dynamoCanaryStore, judgeCanary, type CanaryRecord } from '../../../lambdas/consumer/index.ts';
import { canaryBudgetSeconds, canaryEnabled, stateTableName, type HubConfig } from '../../../shared/index.ts';
import { failed, section, type AwsClients, type Section } from '../../aws/index.ts';
import { formatSeconds } from '../../output/index.ts';

/** A region's canary as `status` shows it: what the drift check last saw, read from the state table. */
export interface CanaryStatus {
  /** `off` (guard.canary disabled), `waiting` (none made yet), `arriving` or `late`. */
  readonly state: 'off' | 'waiting' | 'arriving' | 'late';
  /** Seconds since the drift check last saw one arrive (or since the first was made, if none arrived). */
  readonly ageSeconds?: number;
  /** How old the last canary may be before it is late, in seconds. */
  readonly budgetSeconds?: number;
  /** Canaries the consumer received so far. */
  readonly arrivals?: number;
  /** When the drift check last made one, ISO 8601. */
  readonly lastMadeAt?: string;
  /** Why the last one could not be made. */
  readonly sendError?: string;
}

/** Reads a region's canary item (`canary#<region>`) and judges it as the drift check does, at `nowMs`. */
export async function readCanary(
  clients: AwsClients,
  config: HubConfig,
  region: string,
  nowMs: number,
): Promise<Section<CanaryStatus>> {
  if (!canaryEnabled(config)) return { state: 'off' };
  const store = dynamoCanaryStore({ client: clients.dynamodb(config.hub.region), tableName: stateTableName(config) });
  return section(async () => canaryStatus(await store.load(region), canaryBudgetSeconds(config), nowMs));
}

/** The status of a canary item. */
export function canaryStatus(record: CanaryRecord, budgetSeconds: number, nowMs: number): CanaryStatus {
  const judged = judgeCanary(record, budgetSeconds, nowMs);
  const made = record.sentAtMs === undefined ? {} : { lastMadeAt: new Date(record.sentAtMs).toISOString() };
  const error = record.sendError ? { sendError: record.sendError } : {};
  const age = judged.status === 'waiting' ? {} : { ageSeconds: judged.ageSeconds };
  return { state: judged.status, ...age, budgetSeconds, arrivals: record.arrivals, ...made, ...error };
}

/** The canary's row of the drift block: its state, age and budget; late or unmade is drift. */
export function canaryLine(canary: Section<CanaryStatus>): { what: string; detail: string; drifted: boolean } {
  const line = (detail: string, drifted = false) => ({ what: 'canary', detail, drifted });
  if (failed(canary))
    return canary.error.includes('ResourceNotFoundException')
      ? line('not read (no state table: deploy the hub stack)')
      : line(`not read: ${canary.error}`, true);
  const budget = canary.budgetSeconds === undefined ? '' : ` (budget ${formatSeconds(canary.budgetSeconds)})`;
  const error = canary.sendError === undefined ? '' : `; last could not be made: ${canary.sendError}`;
  switch (canary.state) {
    case 'off':
      return line('off (guard.canary.enabled)');
    case 'waiting':
      return line(`none made yet${error}`, canary.sendError !== undefined);
    case 'arriving':
      return line(
        `arrived ${formatSeconds(canary.ageSeconds ?? 0)} ago${budget}${error}`,
        canary.sendError !== undefined,
      );
    case 'late':
      return line(`late: last arrived ${formatSeconds(canary.ageSeconds ?? 0)} ago${budget}${error}`, true);
  }
}

/** The attention line of a late canary, or of one that could not be made. */
export function canaryAttention(region: string, canary: Section<CanaryStatus>): string[] {
  if (failed(canary)) return [];
  if (canary.state === 'late')
    return [
      `${region}: the canary is late (last arrived ${formatSeconds(canary.ageSeconds ?? 0)} ago): findings from ${region} may not reach the hub; the drift alert names the hop most likely broken`,
    ];
  if (canary.sendError !== undefined) return [`${region}: the canary could not be made: ${canary.sendError}`];
  return [];
}
