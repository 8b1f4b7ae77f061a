import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readReplayEvents } from '../../cli/replay/index.ts';
import { parseRecord } from '../../core/kinds/index.ts';
import { renderMessages, validatePayload } from '../../destinations/slack/render/index.ts';
import type { Finding } from '../../core/types.ts';
import { makeHubConfig } from '../factories/index.ts';
import { webhookPath } from '../support/consumer-harness.ts';
import { replayToSlack } from '../support/replay-to-slack.ts';

/**
 * Replays the public GuardDuty events kept beside the checkout (../shared/fixtures/public, see its
 * SOURCES.md): the one test file that reads them. They are never copied into the project; without
 * the folder this file is skipped, and every other test runs on the shipped sample events
 * (examples/events/) or the factories.
 */
const FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/public/', import.meta.url));
const available = existsSync(FIXTURES);
if (!available) console.warn(`fixtures.test.ts skipped: public fixtures not found at ${FIXTURES}`);

const files = available
  ? readdirSync(FIXTURES)
      .filter((name) => name.endsWith('.json'))
      .sort()
  : [];
const read = (name: string) => readFileSync(`${FIXTURES}${name}`, 'utf8');

/** The files that are not complete finding events, and why they must be rejected. */
const REJECTED: Readonly<Record<string, RegExp>> = {
  // AWS's Lambda test event: only `region` and `detail` at the top level, no source or detail-type.
  'UnauthorizedAccess_EC2_SSHBruteForce.json': /^source is missing$/,
};

function parseFixture(name: string): Finding {
  const result = parseRecord(read(name));
  if (!result.ok) throw new Error(`${name}: ${result.reason}`);
  return result.finding;
}

describe.skipIf(!available)('public GuardDuty fixtures', () => {
  it('finds the fixture files', () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
  });

  it.each(files)('%s parses, or is rejected for its stated reason', (name) => {
    // Act
    const result = parseRecord(read(name));

    // Assert
    const expected = REJECTED[name];
    if (expected) {
      expect(result).toEqual({ ok: false, reason: expect.stringMatching(expected) });
    } else {
      expect(result.ok, result.ok ? '' : result.reason).toBe(true);
    }
  });

  it('routes the delegated-admin S3 event on detail.accountId and summarizes its key and bucket', () => {
    const finding = parseFixture('Policy_S3_BucketBlockPublicAccessDisabled.json');

    expect(finding.accountId).toBe('987654321098');
    expect(finding.resource.label).toBe('ASIAUN7WV6J25JBV2AW4 (RoleSandboxAccess)');
    expect(finding.resource.details).toContainEqual(['Bucket', 'bucket test-gd-324237984731208478901374']);
  });

  it('reads an exponent-float time like the one in the S3 event (1.646144449E9) as epoch seconds', () => {
    // Arrange: move the bucket's exponent-float createdAt onto the finding, and drop updatedAt
    const text = read('Policy_S3_BucketBlockPublicAccessDisabled.json');
    const exponent = /"createdAt":\s*(1\.646144449E9)/.exec(text)?.[1];
    const edited = text
      .replace(/"updatedAt":\s*"[^"]*",/, '')
      .replace(/"createdAt":\s*"2022-03-01T14:27:24\.071Z"/, `"createdAt": ${exponent}`);

    // Act
    const result = parseRecord(edited);

    // Assert
    expect(exponent).toBe('1.646144449E9');
    expect(result.ok && result.finding.updatedAt).toBe('2022-03-01T14:20:49.000Z');
  });

  it('would still reject the partial SSH event with an envelope: its detail has no accountId', () => {
    const partial = JSON.parse(read('UnauthorizedAccess_EC2_SSHBruteForce.json')) as Record<string, unknown>;
    const enveloped = JSON.stringify({ ...partial, source: 'aws.guardduty', 'detail-type': 'GuardDuty Finding' });

    expect(parseRecord(enveloped)).toEqual({ ok: false, reason: 'detail.accountId is missing' });
  });

  it('uses detail.region, not the envelope region, for the RDP sample', () => {
    const finding = parseFixture('UnauthorizedAccess_EC2_RDPBruteForce.json');

    expect([finding.accountId, finding.region]).toEqual(['123456789012', 'us-west-2']);
    expect(finding.consoleUrl).toContain('region=us-west-2');
  });

  it('reads the High DoS sample as High with count 2', () => {
    const finding = parseFixture('Backdoor_EC2_DenialOfService.Tcp.json');

    expect([finding.band, finding.severity, finding.count]).toEqual(['high', 8, 2]);
    expect(finding.resource.details).toContainEqual(['Public IP', '198.51.100.0']);
  });

  it('escapes the C&C finding type and keeps its console link intact', () => {
    const finding = parseFixture('Backdoor_EC2_CandCActivity.B_DNS.json');
    const [message] = renderMessages([{ finding, destination: 'security', messageIds: ['m1'] }], makeHubConfig());

    const json = JSON.stringify(message?.payload);
    expect(finding.type).toBe('Backdoor:EC2/C&CActivity.B!DNS');
    expect(json).toContain('Backdoor:EC2/C&amp;CActivity.B!DNS');
    expect(json).not.toContain('C&CActivity');
    expect(json).toContain(`fId=${finding.id}`);
  });

  it('renders every parsable fixture within Slack limits, alone and as one digest', () => {
    const findings = files.filter((name) => !REJECTED[name]).map(parseFixture);
    const routed = findings.map((finding, i) => ({ finding, destination: 'security', messageIds: [`m${i}`] }));

    const singles = renderMessages(routed, makeHubConfig({ delivery: { digestThreshold: 100 } }));
    const digests = renderMessages(routed, makeHubConfig({ delivery: { digestThreshold: 1 } }));

    expect(singles.map((m) => m.kind)).toEqual(findings.map(() => 'single'));
    expect(digests.map((m) => m.kind)).toEqual(['digest']);
    for (const message of [...singles, ...digests]) expect(validatePayload(message.payload)).toEqual([]);
  });
});

describe.skipIf(!available)('replaying the public GuardDuty fixtures', () => {
  it('delivers every parseable finding to Slack within its limits and dead-letters only the incomplete events', async () => {
    const events = await readReplayEvents([FIXTURES]);
    const parsed = events.map((event) => parseRecord(event.body));

    const { summary, slack } = await replayToSlack(events);

    const findings = parsed.flatMap((result) => (result.ok ? [result.finding] : []));
    expect(findings.length).toBeGreaterThanOrEqual(5);
    expect(slack.requests.filter((r) => r.status === 400)).toEqual([]);
    const security = slack
      .accepted(webhookPath('security'))
      .map((r) => r.raw)
      .join('\n');
    for (const finding of findings) expect(security).toContain(finding.consoleUrl);
    expect(summary).toMatchObject({
      delivered: findings.length,
      invalid: events.length - findings.length,
      deadLettered: events.length - findings.length,
    });
  });
});
