import { describe, expect, it } from 'vitest';
import { InMemoryQueue } from '../../cli/replay/queue.ts';

describe("replay's in-memory queue", () => {
  it('hands a parsed body over while the first receive is in flight only; a redelivered record leaves its body to be parsed', () => {
    // Arrange
    let nowMs = 1_000;
    const queue = new InMemoryQueue({ maxReceiveCount: 5, defaultVisibilityMs: 10 }, () => nowMs);
    const parsed = { source: 'aws.guardduty' };
    queue.enqueue('m-1', '{"source":"aws.guardduty"}', 'events.ndjson:1', parsed);
    queue.enqueue('m-2', '{"source":"aws.guardduty"}', 'events.ndjson:2');

    // Act
    const first = queue.receive(10);
    const handedOver = first.map((record) => queue.parsedBody(record));
    queue.settle(first, new Set(['m-1']));
    nowMs += 10;
    const again = queue.receive(10);

    // Assert
    expect(handedOver).toEqual([parsed, undefined]);
    expect(queue.parsedBody(first[0]!)).toBeUndefined();
    expect(again.map((record) => record.messageId)).toEqual(['m-1']);
    expect(queue.parsedBody(again[0]!)).toBeUndefined();
    expect(again[0]!.body).toBe('{"source":"aws.guardduty"}');
  });
});
