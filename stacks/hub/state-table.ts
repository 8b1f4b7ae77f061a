import { Construct } from 'constructs';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table/index.js';
import type { HubConfig } from '../../shared/index.ts';
import { stateTableName } from '../../shared/names.ts';

/** Key and TTL attribute names of the finding-state table (the consumer uses the same names). */
export const STATE_TABLE_KEYS = { partitionKey: 'pk', ttlAttribute: 'expiresAt' } as const;

/** Props of {@link StateTable}. */
export interface StateTableProps {
  /** `hub.name`. */
  readonly config: Pick<HubConfig, 'hub'>;
}

/**
 * The table that remembers what was delivered, so repeats can be skipped. On-demand, items expire
 * through TTL, point-in-time recovery on, encrypted with a KMS key.
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
      attribute: [{ name: STATE_TABLE_KEYS.partitionKey, type: 'S' }],
      ttl: { attributeName: STATE_TABLE_KEYS.ttlAttribute, enabled: true },
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true },
    });
  }
}
