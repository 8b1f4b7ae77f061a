import { afterEach, describe, expect, it } from 'vitest';
import { findingConsoleUrl } from '../../shared/index.ts';
import {
  atSeverity,
  forAccount,
  makeFindingEvent,
  makeHubConfig,
  makeSqsRecord,
  type FindingEvent,
} from '../factories/index.ts';
import { startConsumerHarness, webhookPath, type ConsumerHarness } from '../support/consumer-harness.ts';

/** Fast limits for tests: the handler and the simulator agree on 50 messages/s, burst 10. */
const FAST = { delivery: { messagesPerSecond: 50, burst: 10 } };
const FAST_SIMULATOR = { ratePerSecond: 50, burst: 10 };

const TEAM_A = '222222222222'; // → team-a from Low
const MEMBER_2 = '333333333333'; // → security from High
const UNLISTED = '444444444444'; // → security from Medium

const linkOf = (event: FindingEvent) => findingConsoleUrl(event.detail.region, event.detail.id);

let harness: ConsumerHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('consumer handler against the Slack simulator', () => {
  it('delivers each finding to its destination only, and skips below-threshold, archived and suppressed ones', async () => {
    harness = await startConsumerHarness(
      makeHubConfig({ ...FAST, suppress: [{ type: 'Recon:EC2/PortProbeUnprotectedPort' }] }),
      FAST_SIMULATOR,
    );
    const toTeamA = makeFindingEvent({ detail: { ...forAccount(TEAM_A), ...atSeverity(2) } });
    const toSecurity = [
      makeFindingEvent({ detail: forAccount(UNLISTED) }),
      makeFindingEvent({ detail: { ...forAccount(MEMBER_2), ...atSeverity(8) } }),
    ];
    const belowThreshold = makeFindingEvent({ detail: { ...forAccount(MEMBER_2), ...atSeverity(5) } });
    const archived = makeFindingEvent({ detail: { service: { archived: true } } });
    const suppressed = makeFindingEvent({ detail: { type: 'Recon:EC2/PortProbeUnprotectedPort' } });
    const records = [toTeamA, ...toSecurity, belowThreshold, archived, suppressed].map((event) => makeSqsRecord(event));

    const response = await harness.invoke(records);

    expect(response.batchItemFailures).toEqual([]);
    const teamA = harness.received('team-a').join('\n');
    const security = harness.received('security').join('\n');
    expect(teamA).toContain(linkOf(toTeamA));
    for (const event of toSecurity) expect(security).toContain(linkOf(event));
    for (const event of toSecurity) expect(teamA).not.toContain(event.detail.id);
    expect(security).not.toContain(toTeamA.detail.id);
    for (const event of [belowThreshold, archived, suppressed])
      expect(`${teamA}${security}`).not.toContain(event.detail.id);
    expect(harness.captured.metric('FindingsDelivered')).toBe(3);
    expect(harness.captured.metric('FindingsSkipped')).toBe(3);
    expect(harness.captured.metric('FindingsSkipped_below-threshold')).toBe(1);
    expect(harness.captured.metric('FindingsSkipped_archived')).toBe(1);
    expect(harness.captured.metric('FindingsSkipped_suppressed')).toBe(1);
  });

  it('publishes one EMF blob per invocation in namespace GuardDutyHub with service=guardduty-hub', async () => {
    harness = await startConsumerHarness(makeHubConfig(FAST), FAST_SIMULATOR);

    await harness.invoke([makeSqsRecord(makeFindingEvent())]);

    const [blob, ...others] = harness.captured.emf();
    expect(others).toEqual([]);
    expect(blob).toMatchObject({
      service: 'guardduty-hub',
      FindingsReceived: 1,
      FindingsDelivered: 1,
      SlackMessages: 1,
      FailedRecords: 0,
    });
    const aws = blob!._aws as { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] };
    expect(aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'GuardDutyHub', Dimensions: [['service']] });
  });

  it('sends many findings for one destination as digests within Slack limits, every finding linked', async () => {
    harness = await startConsumerHarness(
      makeHubConfig({ delivery: { ...FAST.delivery, digestThreshold: 5, maxFindingsPerMessage: 10 } }),
      FAST_SIMULATOR,
    );
    const events = Array.from({ length: 23 }, () => makeFindingEvent());

    const response = await harness.invoke(events.map((event) => makeSqsRecord(event)));

    expect(response.batchItemFailures).toEqual([]);
    expect(harness.simulator.requests.filter((r) => r.status === 400)).toEqual([]);
    const security = harness.received('security');
    expect(security.length).toBeLessThan(events.length);
    for (const event of events) expect(security.filter((raw) => raw.includes(linkOf(event)))).toHaveLength(1);
    expect(harness.captured.metric('DigestSize')).toBe(23);
  });

  it('escapes Slack control sequences taken from a finding', async () => {
    harness = await startConsumerHarness(makeHubConfig(FAST), FAST_SIMULATOR);
    const event = makeFindingEvent({ detail: { title: 'Ping <!channel> see <https://evil.example|click> & more' } });

    await harness.invoke([makeSqsRecord(event)]);

    const [raw] = harness.received('security');
    expect(raw).toBeDefined();
    expect(raw).not.toContain('<!channel>');
    expect(raw).not.toContain('<https://evil.example|click>');
    expect(raw).toContain('&lt;!channel&gt;');
  });

  it('never posts to a destination that answered 429 before its Retry-After has passed', async () => {
    // The handler believes it may send 20/s; the webhook takes 1/s with no burst.
    harness = await startConsumerHarness(
      makeHubConfig({ delivery: { messagesPerSecond: 20, burst: 5, digestThreshold: 10 } }),
      { ratePerSecond: 1, burst: 1 },
    );
    const events = [makeFindingEvent(), makeFindingEvent(), makeFindingEvent()];

    const response = await harness.invoke(events.map((event) => makeSqsRecord(event)));

    expect(response.batchItemFailures).toEqual([]);
    const requests = harness.simulator.requests.filter((r) => r.path === webhookPath('security'));
    const throttled = requests.filter((r) => r.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    for (const answer of throttled) {
      const next = requests.find((r) => r.receivedAtMs > answer.receivedAtMs);
      expect(next!.receivedAtMs - answer.receivedAtMs).toBeGreaterThanOrEqual(answer.retryAfterSeconds! * 1000);
    }
    expect(harness.received('security')).toHaveLength(3);
    expect(harness.captured.metric('SlackThrottled')).toBe(throttled.length);
  });

  it('retries a destination failing 5xx for a while and delivers within the invocation', async () => {
    harness = await startConsumerHarness(makeHubConfig(FAST), FAST_SIMULATOR);
    harness.simulator.setBehaviour(webhookPath('security'), { fail5xxFor: 400 });
    const event = makeFindingEvent();

    const response = await harness.invoke([makeSqsRecord(event)]);

    expect(response.batchItemFailures).toEqual([]);
    expect(harness.simulator.requests.some((r) => r.status === 500)).toBe(true);
    expect(harness.received('security').join()).toContain(linkOf(event));
  });

  it('returns records it could not deliver in time, delays them with ChangeMessageVisibility, and delivers them on the next receive', async () => {
    harness = await startConsumerHarness(makeHubConfig(FAST), FAST_SIMULATOR);
    harness.simulator.setBehaviour(webhookPath('security'), { fail5xxFor: 60_000 });
    const toSecurity = makeSqsRecord(makeFindingEvent());
    const toTeamA = makeSqsRecord(makeFindingEvent({ detail: forAccount(TEAM_A) }));

    const first = await harness.invoke([toSecurity, toTeamA], 600);

    expect(first.batchItemFailures).toEqual([{ itemIdentifier: toSecurity.messageId }]);
    expect(harness.visibilityRequests).toEqual([
      expect.objectContaining({ ReceiptHandle: toSecurity.receiptHandle, VisibilityTimeout: expect.any(Number) }),
    ]);
    expect(harness.visibilityRequests[0]!.VisibilityTimeout).toBeGreaterThanOrEqual(5);
    expect(harness.visibilityRequests[0]!.QueueUrl).toBe(
      'https://sqs.us-west-2.amazonaws.com/111111111111/guardduty-hub-queue',
    );

    harness.simulator.setBehaviour(webhookPath('security'), {});
    const second = await harness.invoke([toSecurity]);

    expect(second.batchItemFailures).toEqual([]);
    expect(harness.received('security')).toHaveLength(1);
    expect(harness.received('team-a')).toHaveLength(1);
  });

  it('sends findings of a gone destination to the default one with a note, and the records succeed', async () => {
    harness = await startConsumerHarness(makeHubConfig(FAST), FAST_SIMULATOR);
    harness.simulator.setBehaviour(webhookPath('team-a'), { gone: 404, body: 'channel_not_found' });
    const event = makeFindingEvent({ detail: forAccount(TEAM_A) });

    const response = await harness.invoke([makeSqsRecord(event)]);

    expect(response.batchItemFailures).toEqual([]);
    const [raw] = harness.received('security');
    expect(raw).toContain(linkOf(event));
    expect(raw).toContain('Sent here because team-a answered 404 channel_not_found');
  });

  it('moves the records to the DLQ with the reason when the default destination is gone too (no_service), so nothing is lost', async () => {
    harness = await startConsumerHarness(makeHubConfig(FAST), FAST_SIMULATOR);
    harness.simulator.setBehaviour(webhookPath('team-a'), { gone: 410, body: 'channel_is_archived' });
    harness.simulator.setBehaviour(webhookPath('security'), { noService: true });
    const records = [
      makeSqsRecord(makeFindingEvent({ detail: forAccount(TEAM_A) })),
      makeSqsRecord(makeFindingEvent()),
    ];

    const response = await harness.invoke(records);

    expect(response.batchItemFailures).toEqual([]);
    expect(harness.deadLetters.map((letter) => [letter.sourceMessageId, letter.kind]).sort()).toEqual(
      records.map((record) => [record.messageId, 'rejected']).sort(),
    );
    expect(harness.deadLetters.map((letter) => letter.body).sort()).toEqual(
      records.map((record) => record.body).sort(),
    );
    for (const letter of harness.deadLetters) expect(letter.reason).toMatch(/security.*no_service/);
    expect(harness.visibilityRequests).toEqual([]);
    expect(harness.captured.metric('DeadLettered')).toBe(2);
    expect(harness.captured.metric('FailedRecords')).toBe(0);
  });

  it('moves a record whose payload Slack refuses to the DLQ, logging destination and status', async () => {
    harness = await startConsumerHarness(makeHubConfig(FAST), FAST_SIMULATOR);
    harness.simulator.setBehaviour(webhookPath('security'), { gone: 400, body: 'invalid_blocks' });
    const record = makeSqsRecord(makeFindingEvent());

    const response = await harness.invoke([record]);

    expect(response.batchItemFailures).toEqual([]);
    expect(harness.deadLetters.map((letter) => [letter.sourceMessageId, letter.kind])).toEqual([
      [record.messageId, 'rejected'],
    ]);
    expect(harness.deadLetters[0]?.reason).toContain('invalid_blocks');
    const log = harness.captured.logs().find((line) => line.level === 'ERROR' && line.status === 400);
    expect(log).toMatchObject({ destination: 'security', body: 'invalid_blocks' });
  });

  it('moves a poison record to the DLQ after one receive, alone, with its reason; logs it once at ERROR and counts it', async () => {
    harness = await startConsumerHarness(makeHubConfig(FAST), FAST_SIMULATOR);
    const poison = makeSqsRecord('{"not": "a finding"');
    const good = makeSqsRecord(makeFindingEvent());

    const response = await harness.invoke([poison, good]);

    expect(response.batchItemFailures).toEqual([]);
    expect(harness.deadLetters.map((letter) => [letter.sourceMessageId, letter.kind, letter.body])).toEqual([
      [poison.messageId, 'invalid', poison.body],
    ]);
    expect(harness.deadLetters[0]?.reason).toMatch(/^invalid record: /);
    expect(harness.received('security')).toHaveLength(1);
    expect(
      harness.captured.logs().filter((line) => line.messageId === poison.messageId && line.level === 'ERROR'),
    ).toHaveLength(1);
    expect(harness.captured.metric('InvalidRecords')).toBe(1);
  });

  it('hands a poison record back when the DLQ cannot be reached, so SQS still moves it', async () => {
    harness = await startConsumerHarness(makeHubConfig(FAST), FAST_SIMULATOR, { deadLetterQueueUrl: '' });
    const poison = makeSqsRecord('{"not": "a finding"');

    const response = await harness.invoke([poison]);

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: poison.messageId }]);
    expect(harness.deadLetters).toEqual([]);
  });

  it('never writes a webhook URL to logs or metrics, whatever goes wrong', async () => {
    harness = await startConsumerHarness(makeHubConfig({ delivery: { messagesPerSecond: 20, burst: 5 } }), {
      ratePerSecond: 2,
      burst: 1,
    });
    harness.simulator.setBehaviour(webhookPath('team-a'), { gone: 404, body: 'channel_not_found' });
    harness.simulator.setBehaviour(webhookPath('security'), { fail5xxFor: 300 });
    const records = [
      makeSqsRecord(makeFindingEvent({ detail: forAccount(TEAM_A) })),
      makeSqsRecord(makeFindingEvent()),
      makeSqsRecord(makeFindingEvent()),
      makeSqsRecord('poison'),
    ];

    await harness.invoke(records);

    const output = harness.captured.text();
    expect(output.length).toBeGreaterThan(0);
    expect(output).toContain('WARN');
    for (const destination of ['security', 'team-a']) {
      expect(output).not.toContain(webhookPath(destination));
      expect(output).not.toContain(`secret-${destination}-token`);
    }
    expect(output).not.toContain(harness.simulator.baseUrl);
  });
});
