import { Construct } from 'constructs';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table/index.js';
import { FINDING_HISTORY_INDEX, type HubConfig } from '../../shared/index.ts';
import { stateTableName } from '../../shared/names.ts';

/** Key and TTL attribute names of the finding-state table (the consumer uses the same names). */
export const STATE_TABLE_KEYS = { partitionKey: 'pk', ttlAttribute: 'expiresAt' } as const;

/** The attributes {@link FINDING_HISTORY_INDEX} carries beside its keys (`core/repeats/history.ts` reads them). */
export const FINDING_HISTORY_PROJECTION = [
  'findingId',
  'accountId',
  'findingRegion',
  'resourceField',
  'resourceValue',
  'inSequence',
  'band',
  'severity',
] as const;

/** Props of {@link StateTable}. */
export interface StateTableProps {
  /** `hub.name`. */
  readonly config: Pick<HubConfig, 'hub'>;
}

/**
 * The table that remembers what was delivered, so repeats can be skipped. On-demand, items expire
 * through TTL, point-in-time recovery on, encrypted with a KMS key; a sparse index of notified
 * GuardDuty findings by type and time (`FINDING_HISTORY_INDEX`) for the suppress backtest.
 */
export class StateTable extends Construct {
  /** The DynamoDB table. */
  readonly table: DynamodbTable;

  constructor(scope: Construct, id: string, props: StateTableProps) {
    super(scope, id);
    this.table = new DynamodbTable(this, 'Table', {
      name: stateTableName(props.config),
      billingMode: 'PAY_PER_REQUEST',
      hashKey: STATE_TABLE_KEYS.partitionKey,
      attribute: [
        { name: STATE_TABLE_KEYS.partitionKey, type: 'S' },
        { name: FINDING_HISTORY_INDEX.hashKey, type: 'S' },
        { name: FINDING_HISTORY_INDEX.rangeKey, type: 'N' },
      ],
      // Sparse: only GuardDuty findings' records carry `findingType`. What the backtest reads, nothing more.
      globalSecondaryIndex: [
        {
          name: FINDING_HISTORY_INDEX.name,
          hashKey: FINDING_HISTORY_INDEX.hashKey,
          rangeKey: FINDING_HISTORY_INDEX.rangeKey,
          projectionType: 'INCLUDE',
          nonKeyAttributes: [...FINDING_HISTORY_PROJECTION],
        },
      ],
      ttl: { attributeName: STATE_TABLE_KEYS.ttlAttribute, enabled: true },
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true },
    });
  }
}
