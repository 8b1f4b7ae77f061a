import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FINDING_HISTORY_INDEX } from '../../shared/names.ts';
import { bandOf, SEVERITY_BANDS, type SeverityBand } from '../../shared/severity.ts';
import type { FindingFacts } from './facts.ts';
import type { StateRecord } from './store.ts';

/**
 * What the state table remembers of each notified GuardDuty finding, for "Suppress like this" to show
 * what its filter would have matched. A finding's record gets these facts when its notification is
 * committed (`finalize`), with `notifiedAt`; only records written since they exist hold them, and only
 * findings the hub notified (routed, above threshold, not silenced or suppressed) have a record.
 */

/** One notified finding as the history gives it back. */
export interface RecordedFinding extends FindingFacts {
  readonly band: SeverityBand;
  readonly severity: number;
  /** When it was last notified, epoch ms. */
  readonly notifiedAtMs: number;
}

/** Findings of `type` (in `accountId` when given) notified at or after `sinceMs`. */
export interface HistoryQuery {
  readonly type: string;
  readonly accountId?: string;
  readonly sinceMs: number;
}

/** What a query found; `complete` false when it stopped at its item cap (the counts are then lower bounds). */
export interface HistoryAnswer {
  readonly findings: readonly RecordedFinding[];
  readonly complete: boolean;
}

/** Reads the notified findings of a type. */
export interface FindingHistory {
  recent(query: HistoryQuery): Promise<HistoryAnswer>;
}

/** Most records one query reads before it stops (a Query page is at most 1 MB). Default of the DynamoDB history. */
export const HISTORY_MAX_ITEMS = 5000;

/** The `SET` clause part and `:placeholders` that write `facts` on a record. */
export function factsUpdate(facts: FindingFacts): {
  readonly set: string;
  readonly values: Record<string, AttributeValue>;
} {
  const resource = facts.resource;
  return {
    set:
      'findingType = :findingType, findingId = :findingId, accountId = :accountId, findingRegion = :findingRegion, inSequence = :inSequence' +
      (resource === undefined ? '' : ', resourceField = :resourceField, resourceValue = :resourceValue'),
    values: {
      ':findingType': { S: facts.type },
      ':findingId': { S: facts.findingId },
      ':accountId': { S: facts.accountId },
      ':findingRegion': { S: facts.region },
      ':inSequence': { BOOL: facts.inSequence },
      ...(resource === undefined
        ? {}
        : { ':resourceField': { S: resource.field }, ':resourceValue': { S: resource.value } }),
    },
  };
}

/** A record found on the index as a {@link RecordedFinding}. */
function recordedOf(item: Record<string, AttributeValue>): RecordedFinding {
  const severity = Number(item.severity?.N ?? 0);
  const field = item.resourceField?.S;
  const value = item.resourceValue?.S;
  return {
    findingId: item.findingId?.S ?? item.pk?.S ?? '',
    type: item.findingType?.S ?? '',
    accountId: item.accountId?.S ?? '',
    region: item.findingRegion?.S ?? '',
    ...(field === undefined || value === undefined ? {} : { resource: { field, value } }),
    inSequence: item.inSequence?.BOOL === true,
    band: SEVERITY_BANDS.find((band) => band === item.band?.S) ?? bandOf(severity),
    severity,
    notifiedAtMs: Number(item.notifiedAt?.N ?? 0),
  };
}

/** The history on the state table's {@link FINDING_HISTORY_INDEX}: one Query, page by page, up to `maxItems`. */
export function dynamoFindingHistory(options: {
  readonly client: Pick<DynamoDBClient, 'send'>;
  readonly tableName: string;
  readonly maxItems?: number;
}): FindingHistory {
  const maxItems = options.maxItems ?? HISTORY_MAX_ITEMS;
  return {
    async recent(query) {
      const { QueryCommand } = await import('@aws-sdk/client-dynamodb');
      const findings: RecordedFinding[] = [];
      let start: Record<string, AttributeValue> | undefined;
      do {
        const page = await options.client.send(
          new QueryCommand({
            TableName: options.tableName,
            IndexName: FINDING_HISTORY_INDEX.name,
            KeyConditionExpression: 'findingType = :type AND notifiedAt >= :since',
            ...(query.accountId === undefined ? {} : { FilterExpression: 'accountId = :account' }),
            ExpressionAttributeValues: {
              ':type': { S: query.type },
              ':since': { N: String(query.sinceMs) },
              ...(query.accountId === undefined ? {} : { ':account': { S: query.accountId } }),
            },
            Limit: Math.min(1000, maxItems - findings.length),
            ...(start === undefined ? {} : { ExclusiveStartKey: start }),
          }),
        );
        findings.push(...(page.Items ?? []).map(recordedOf));
        start = page.LastEvaluatedKey;
      } while (start !== undefined && findings.length < maxItems);
      return { findings, complete: start === undefined };
    },
  };
}

/** The same history over a `MemoryStateStore`'s records (tests, local runs). */
export function memoryFindingHistory(store: {
  snapshot(): ReadonlyMap<string, Pick<StateRecord, 'notified'>>;
}): FindingHistory {
  return {
    async recent(query) {
      const findings: RecordedFinding[] = [];
      for (const record of store.snapshot().values()) {
        const notified = record.notified;
        const facts = notified?.facts;
        if (notified === undefined || facts === undefined || facts.type !== query.type) continue;
        if (notified.notifiedAtMs < query.sinceMs) continue;
        if (query.accountId !== undefined && facts.accountId !== query.accountId) continue;
        findings.push({
          ...facts,
          band: notified.band,
          severity: notified.severity,
          notifiedAtMs: notified.notifiedAtMs,
        });
      }
      return { findings, complete: true };
    },
  };
}
