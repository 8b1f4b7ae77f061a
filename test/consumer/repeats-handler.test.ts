import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryStateStore, passThroughGate, type StateStore } from '../../core/repeats/index.ts';
import { makeFindingEvent, makeSqsRecord } from '../factories/index.ts';
import { startConsumerHarness, webhookPath, type ConsumerHarness } from '../support/consumer-harness.ts';
import {
  FAST_SIMULATOR,
  expectOneMessageFromRacingInstances,
  fieldsShown,
  gateOver,
  linkOf,
  movableClock,
  republish,
  repeatsConfig,
  sameIssueIn,
} from './repeats-handler-support.ts';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

let harness: ConsumerHarness | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  await harness?.close();
  harness = undefined;
});

/** A harness whose handler uses the gate over `store` and the given clock. */
async function startWithGate(
  store: StateStore = new MemoryStateStore(),
  now: () => number = Date.now,
  overrides: Record<string, unknown> = {},
) {
  const config = repeatsConfig(overrides);
  harness = await startConsumerHarness(config, FAST_SIMULATOR, { repeats: gateOver(config, store), now });
  return harness;
}

describe('repeat gate in the consumer handler', () => {
  it('notifies a re-published finding only when it is new, crosses a count milestone or rises in severity', async () => {
    // Arrange: counts 1, 2, 5, 10 at Medium, then 11, 99, 100 at High.
    const h = await startWithGate();
    const first = makeFindingEvent();
    const publications = [
      first,
      republish(first, 2),
      republish(first, 5),
      republish(first, 10),
      republish(first, 11, 8),
      republish(first, 99, 8),
      republish(first, 100, 8),
    ];

    // Act: one invocation per publication, as GuardDuty publishes them minutes apart.
    const responses = [];
    for (const event of publications) responses.push(await h.invoke([makeSqsRecord(event)]));

    // Assert
    expect(responses.flatMap((response) => response.batchItemFailures)).toEqual([]);
    const received = h.received('security');
    for (const raw of received) expect(raw).toContain(linkOf(first));
    expect(received.map((raw) => [fieldsShown(raw).Count, fieldsShown(raw).Severity])).toEqual([
      ['1', 'Medium 5.0'],
      ['10', 'Medium 5.0'],
      ['11', 'High 8.0'],
      ['100', 'High 8.0'],
    ]);
    expect(h.captured.metric('FindingsSkipped_repeat')).toBe(3);
    expect(h.captured.metric('FindingsDelivered')).toBe(4);
    const why = h.captured
      .logs()
      .filter((line) => line.message === 'Notifying')
      .map((line) => line.why);
    expect(why).toEqual(['new', 'count-milestone', 'severity-rose', 'count-milestone']);
  });

  it('notifies an unchanged finding again once renotifyAfterHours have passed since the last message', async () => {
    const clock = movableClock();
    const h = await startWithGate(new MemoryStateStore(), clock.now, { repeats: { renotifyAfterHours: 24 } });
    const first = makeFindingEvent();

    await h.invoke([makeSqsRecord(first)]);
    clock.advance(23 * HOUR_MS);
    await h.invoke([makeSqsRecord(republish(first, 3))]);
    clock.advance(HOUR_MS + MINUTE_MS);
    await h.invoke([makeSqsRecord(republish(first, 4))]);
    clock.advance(HOUR_MS);
    await h.invoke([makeSqsRecord(republish(first, 5))]);

    expect(h.received('security').map((raw) => fieldsShown(raw).Count)).toEqual(['1', '4']);
    expect(
      h.captured
        .logs()
        .filter((line) => line.message === 'Notifying')
        .map((line) => line.why),
    ).toEqual(['new', 'renotify-due']);
  });

  it('sends one message naming all three regions when one issue arrives from three regions in one batch', async () => {
    const h = await startWithGate();
    const events = sameIssueIn(['us-east-1', 'us-west-2', 'eu-north-1']);

    const response = await h.invoke(events.map((event) => makeSqsRecord(event)));

    expect(response.batchItemFailures).toEqual([]);
    const [only, ...others] = h.received('security');
    expect(others).toEqual([]);
    expect(fieldsShown(only!).Regions).toBe('eu-north-1, us-east-1, us-west-2');
    expect(events.filter((event) => only!.includes(linkOf(event)))).toHaveLength(1);
    expect(h.captured.metric('FindingsDelivered')).toBe(3);
    expect(h.captured.metric('SlackMessages')).toBe(1);
  });

  it('shows each region that joins an issue in later batches in a message of its own that names the issue, and none after the window', async () => {
    const clock = movableClock();
    const h = await startWithGate(new MemoryStateStore(), clock.now, { repeats: { crossRegionWindowMinutes: 60 } });
    const [east, west, north, later] = sameIssueIn(['us-east-1', 'us-west-2', 'eu-north-1', 'ap-southeast-2']);

    await h.invoke([makeSqsRecord(east!)]);
    clock.advance(20 * MINUTE_MS);
    await h.invoke([makeSqsRecord(west!)]);
    clock.advance(20 * MINUTE_MS);
    await h.invoke([makeSqsRecord(north!)]);
    clock.advance(30 * MINUTE_MS);
    await h.invoke([makeSqsRecord(later!)]);

    const messages = h.received('security');
    expect(messages).toHaveLength(4);
    expect(messages.map((raw, i) => raw.includes(linkOf([east!, west!, north!, later!][i]!)))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(messages[1]).toMatch(
      /Same issue as the message of .* UTC for us-east-1 \(access key [^)]+\): now also seen in us-west-2\./,
    );
    expect(messages[2]).toContain('for us-east-1, us-west-2');
    expect(messages[2]).toContain('now also seen in eu-north-1');
    expect(messages[0]).not.toContain('Same issue');
    expect(messages[3]).not.toContain('Same issue');
    expect(h.captured.metric('FindingsSkipped_repeat')).toBe(0);
  });

  it('lets exactly one of two racing instances notify a finding both received at once', async () => {
    const store = new MemoryStateStore();

    await expectOneMessageFromRacingInstances([store, store]);
  });

  it('returns a finding another instance is notifying when it carries news, and notifies it after that instance is done', async () => {
    // Arrange: instance A holds its claim while Slack answers slowly; B receives the count-10 publication meanwhile.
    const store = new MemoryStateStore();
    const h = await startWithGate(store);
    const other = h.instance({ repeats: gateOver(repeatsConfig(), store) });
    const first = makeFindingEvent();
    const tenth = makeSqsRecord(republish(first, 10));
    h.simulator.setBehaviour(webhookPath('security'), { delayMs: 500 });

    // Act
    const slow = h.invoke([makeSqsRecord(first)]);
    await vi.waitFor(() => expect(h.simulator.requests).toHaveLength(1));
    const deferred = await other.invoke([tenth]);
    await slow;
    h.simulator.setBehaviour(webhookPath('security'), {});
    const retried = await other.invoke([tenth]);

    // Assert
    expect(deferred.batchItemFailures).toEqual([{ itemIdentifier: tenth.messageId }]);
    // Handed back until the winner's claim expires (210 s with the default timeouts), never acknowledged.
    expect(h.visibilityRequests.map((request) => request.ReceiptHandle)).toEqual([tenth.receiptHandle]);
    expect(h.visibilityRequests[0]?.VisibilityTimeout).toBeGreaterThanOrEqual(205);
    expect(h.visibilityRequests[0]?.VisibilityTimeout).toBeLessThanOrEqual(211);
    expect(other.captured.metric('RepeatsDeferred')).toBe(1);
    expect(retried.batchItemFailures).toEqual([]);
    expect(h.received('security').map((raw) => fieldsShown(raw).Count)).toEqual(['1', '10']);
  });

  it('does not record a finding as notified when delivery fails, so the retry delivers it', async () => {
    const store = new MemoryStateStore();
    const h = await startWithGate(store);
    h.simulator.setBehaviour(webhookPath('security'), { fail5xxFor: 60_000 });
    const record = makeSqsRecord(makeFindingEvent());

    const failed = await h.invoke([record], 600);
    const remembered = store.snapshot().size;
    h.simulator.setBehaviour(webhookPath('security'), {});
    const retried = await h.invoke([record]);

    expect(failed.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(h.simulator.requests.some((request) => request.status === 500)).toBe(true);
    expect(remembered).toBe(0);
    expect(retried.batchItemFailures).toEqual([]);
    expect(h.received('security')).toHaveLength(1);
    expect(h.captured.metric('FindingsSkipped_repeat')).toBe(0);
  });

  it('delivers every re-publication when repeats.enabled is false', async () => {
    const config = repeatsConfig({ repeats: { enabled: false } });
    harness = await startConsumerHarness(config, FAST_SIMULATOR);
    const first = makeFindingEvent();

    for (const event of [first, republish(first, 2), republish(first, 2), republish(first, 3)]) {
      await harness.invoke([makeSqsRecord(event)]);
    }

    expect(harness.received('security').map((raw) => fieldsShown(raw).Count)).toEqual(['1', '2', '2', '3']);
    expect(harness.captured.metric('FindingsSkipped_repeat')).toBe(0);
  });

  it('remembers repeats in memory, with a warning, when STATE_TABLE_NAME is unset', async () => {
    vi.stubEnv('STATE_TABLE_NAME', '');
    harness = await startConsumerHarness(repeatsConfig(), FAST_SIMULATOR);
    const first = makeFindingEvent();

    await harness.invoke([makeSqsRecord(first)]);
    await harness.invoke([makeSqsRecord(republish(first, 2))]);

    expect(harness.received('security')).toHaveLength(1);
    const warnings = harness.captured
      .logs()
      .filter((line) => line.level === 'WARN')
      .map((line) => String(line.message));
    expect(warnings).toEqual([expect.stringContaining('STATE_TABLE_NAME is not set')]);
  });

  it('notifies every finding when the state table fails, and counts the errors', async () => {
    const unavailable = new Error('ProvisionedThroughputExceededException');
    const broken: StateStore = {
      read: () => Promise.reject(unavailable),
      claim: () => Promise.reject(unavailable),
      finalize: () => Promise.reject(unavailable),
      record: () => Promise.reject(unavailable),
      addRegions: () => Promise.reject(unavailable),
      setMessage: () => Promise.reject(unavailable),
      release: () => Promise.reject(unavailable),
    };
    const h = await startWithGate(broken);
    const first = makeFindingEvent();

    await h.invoke([makeSqsRecord(first)]);
    await h.invoke([makeSqsRecord(republish(first, 2))]);

    expect(h.received('security')).toHaveLength(2);
    expect(h.captured.metric('RepeatStoreErrors')).toBe(2);
    const warning = h.captured.logs().find((line) => line.level === 'WARN' && line.operation === 'read');
    expect(warning).toMatchObject({ message: expect.stringContaining('Repeat state unavailable') });
  });

  it('notifies every finding on its own when the gate itself throws', async () => {
    const config = repeatsConfig();
    const throwing = { ...passThroughGate(), filter: () => Promise.reject(new Error('gate bug')) };
    harness = await startConsumerHarness(config, FAST_SIMULATOR, { repeats: throwing });
    const events = sameIssueIn(['us-east-1', 'us-west-2']);

    const response = await harness.invoke(events.map((event) => makeSqsRecord(event)));

    expect(response.batchItemFailures).toEqual([]);
    expect(harness.received('security')).toHaveLength(2);
    expect(harness.captured.metric('RepeatStoreErrors')).toBe(1);
  });
});
