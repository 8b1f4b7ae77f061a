import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoStateStore } from '../../core/repeats/index.ts';

describe('DynamoStateStore concurrency', () => {
  it('keeps at most `concurrency` requests in flight, whoever calls it', async () => {
    // Arrange
    let inFlight = 0;
    let most = 0;
    const client = {
      send: async () => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        inFlight -= 1;
        return {};
      },
    } as unknown as DynamoDBClient;
    const store = new DynamoStateStore({ client, tableName: 'state', concurrency: 3 });
    const claim = { token: 't', untilMs: 1, band: 'high' as const, severity: 8, count: 1 };

    // Act
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? store.claim(`finding#${i}`, claim, { version: 0, nowMs: 0 }, 1)
          : store.release(`finding#${i}`, 't'),
      ),
    );

    // Assert
    expect(most).toBe(3);
  });
});
