import { afterEach, describe, expect, it } from 'vitest';
import { parseRecord } from '../../core/kinds/index.ts';
import { MemoryStateStore } from '../../core/repeats/index.ts';
import type { SlackPayload } from '../../destinations/slack/render/types.ts';
import {
  makeMalwarePlanStatusEvent,
  makePostScanActionFailedEvent,
  makeRuntimeCoverageEvent,
  makeSqsRecord,
} from '../factories/index.ts';
import type { ConsumerHarness } from '../support/consumer-harness.ts';
import { startConsumerHarness } from '../support/consumer-harness.ts';
import { FAST_SIMULATOR, gateOver, repeatsConfig } from './repeats-handler-support.ts';

// GuardDuty's coverage events (the `coverage` kind) through the real handler, its repeat gate and the
// Slack simulator: one alert when coverage is lost, one when it is restored, nothing in between.

let harness: ConsumerHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(): Promise<ConsumerHarness> {
  const config = repeatsConfig();
  harness = await startConsumerHarness(config, FAST_SIMULATOR, { repeats: gateOver(config, new MemoryStateStore()) });
  return harness;
}

/** Delivers each event in its own invocation, as GuardDuty publishes them apart; none is handed back. */
async function deliver(h: ConsumerHarness, events: readonly Record<string, unknown>[]): Promise<void> {
  for (const event of events) expect((await h.invoke([makeSqsRecord(event)])).batchItemFailures).toEqual([]);
}

const headline = (raw: string): string => {
  const block = (JSON.parse(raw) as SlackPayload).attachments[0]?.blocks.find((b) => b.type === 'header');
  return (block?.text as { text: string } | undefined)?.text ?? '';
};

describe('coverage events through the consumer', () => {
  it('alerts once when Runtime Monitoring coverage is lost, not again while it stays lost, once on recovery', async () => {
    // Arrange
    const h = await start();
    const unhealthy = makeRuntimeCoverageEvent({ account: '222222222222' });

    // Act
    await deliver(h, [
      unhealthy,
      makeRuntimeCoverageEvent({ account: '222222222222' }),
      makeRuntimeCoverageEvent({ account: '222222222222', healthy: true }),
      makeRuntimeCoverageEvent({ account: '222222222222', healthy: true }),
    ]);

    // Assert: account 222222222222 goes to team-a
    const received = h.received('team-a');
    expect(received.map(headline)).toEqual([
      '⚠️ Runtime Monitoring coverage lost on EC2 instance i-0abc1234def567890 in member1 (222222222222) us-east-1',
      '✅ Runtime Monitoring coverage restored on EC2 instance i-0abc1234def567890 in member1 (222222222222) us-east-1',
    ]);
    expect(received[0]).toContain('Agent not reporting');
    expect(h.received('security')).toEqual([]);
    expect(h.captured.metric('FindingsSkipped_repeat')).toBe(2);
  });

  it('alerts again when coverage is lost a second time after a recovery', async () => {
    const h = await start();

    await deliver(h, [
      makeRuntimeCoverageEvent(),
      makeRuntimeCoverageEvent({ healthy: true }),
      makeRuntimeCoverageEvent({ issue: 'VPC endpoint deleted' }),
    ]);

    expect(h.received('security').map((raw) => headline(raw).split(' ')[0])).toEqual(['⚠️', '✅', '⚠️']);
    expect(h.received('security')[2]).toContain('VPC endpoint deleted');
  });

  it('alerts once for each Malware Protection plan status change and each failed post-scan action, Warning and Error both lost', async () => {
    const h = await start();

    await deliver(h, [
      makeMalwarePlanStatusEvent({ status: 'WARNING' }),
      makeMalwarePlanStatusEvent({ status: 'ERROR' }),
      makeMalwarePlanStatusEvent({ status: 'ACTIVE' }),
      makePostScanActionFailedEvent(),
      makePostScanActionFailedEvent({ key: 'incoming/other.zip' }),
    ]);

    const headlines = h.received('security').map(headline);
    expect(headlines).toEqual([
      '⚠️ Malware Protection for S3 coverage lost on S3 bucket uploads-bucket in 444444444444 us-east-1',
      '✅ Malware Protection for S3 coverage restored on S3 bucket uploads-bucket in 444444444444 us-east-1',
      '⚠️ Malware Protection for S3 post-scan action failed on S3 bucket uploads-bucket in 444444444444 us-east-1',
    ]);
    expect(h.received('security')[0]).toContain('AccessDenied: GuardDuty cannot access the bucket with the role.');
    expect(h.received('security')[2]).toContain(
      'TAGGING failed (ACCESS_DENIED) for s3://uploads-bucket/incoming/invoice.zip',
    );
  });

  it('routes by account whatever its threshold: a restore (Low) reaches an account that takes High only', async () => {
    const h = await start();

    await deliver(h, [
      makeRuntimeCoverageEvent({ account: '333333333333' }),
      makeRuntimeCoverageEvent({ account: '333333333333', healthy: true }),
    ]);

    // 333333333333 (member2, High and up) goes to the default destination
    expect(h.received('security').map((raw) => headline(raw).split(' ')[0])).toEqual(['⚠️', '✅']);
    expect(h.received('team-a')).toEqual([]);
  });

  it('does not announce a restore it never saw lost', async () => {
    const h = await start();

    await deliver(h, [makeRuntimeCoverageEvent({ healthy: true }), makeMalwarePlanStatusEvent({ status: 'ACTIVE' })]);

    expect(h.received('security')).toEqual([]);
  });

  it('escapes hostile text in the reason and the resource name: no mention, link or formatting', async () => {
    const h = await start();

    await deliver(h, [
      makeRuntimeCoverageEvent({ issue: '<!channel> *bold* <https://evil.example|click>', instanceId: 'i-<!here>' }),
    ]);

    // Every mrkdwn text and the fallback (the header is plain_text, which Slack never parses).
    const [raw] = h.received('security');
    const payload = JSON.parse(raw ?? '{}') as SlackPayload;
    const marked = JSON.stringify([
      payload.text,
      payload.attachments.flatMap((a) => a.blocks.filter((block) => block.type !== 'header')),
    ]);
    expect(marked).not.toContain('<!channel>');
    expect(marked).not.toContain('<!here>');
    expect(marked).not.toContain('<https://evil.example');
    expect(marked).not.toContain(' *bold* ');
    expect(marked).toContain('&lt;!channel&gt;');
    expect(marked).toContain('i-&lt;!here&gt;');
  });
});

describe('parsing coverage events', () => {
  it('reads every documented shape into the coverage kind, one id per resource whatever the state', () => {
    const events = [
      makeRuntimeCoverageEvent(),
      makeRuntimeCoverageEvent({ healthy: true }),
      makeMalwarePlanStatusEvent({ status: 'ACTIVE' }),
      makeMalwarePlanStatusEvent({ status: 'WARNING' }),
      makeMalwarePlanStatusEvent({ status: 'ERROR' }),
      makePostScanActionFailedEvent(),
    ];

    const parsed = events.map((event) => parseRecord(JSON.stringify(event)));

    const findings = parsed.map((result) => (result.ok ? result.finding : result.reason));
    expect(findings.map((f) => (typeof f === 'string' ? f : [f.kind, f.band, f.coverage?.state]))).toEqual([
      ['coverage', 'high', 'lost'],
      ['coverage', 'low', 'restored'],
      ['coverage', 'low', 'restored'],
      ['coverage', 'high', 'lost'],
      ['coverage', 'high', 'lost'],
      ['coverage', 'high', 'lost'],
    ]);
    const ids = findings.map((f) => (typeof f === 'string' ? f : f.id));
    expect(ids[0]).toBe(ids[1]);
    expect(new Set(ids.slice(2, 5)).size).toBe(1);
    expect(ids[5]).not.toBe(ids[4]);
  });

  it('takes a Malware Protection plan event’s account and Region from the plan’s ARN when the envelope lacks or differs', () => {
    const event = makeMalwarePlanStatusEvent({ status: 'ERROR' });
    const plan = String((event.resources as string[])[0]);
    const forwarded = { ...event, account: undefined, region: 'eu-north-1' };

    const parsed = parseRecord(JSON.stringify(forwarded));

    expect(parsed).toMatchObject({
      ok: true,
      finding: { accountId: plan.split(':')[4], region: plan.split(':')[3] },
    });
  });

  it('refuses a runtime event that names no resource, with the reason', () => {
    const event = makeRuntimeCoverageEvent();
    const broken = { ...event, detail: { ...(event.detail as object), resourceDetails: { resourceType: 'EC2' } } };

    expect(parseRecord(JSON.stringify(broken))).toEqual({
      ok: false,
      reason: 'detail.resourceDetails names no instance or cluster',
    });
  });
});
