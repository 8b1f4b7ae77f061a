import { afterEach, describe, expect, it } from 'vitest';
import { parseRecord } from '../../core/kinds/index.ts';
import { renderSingle, validatePayload } from '../../destinations/slack/render/index.ts';
import { routeBatch } from '../../core/route/index.ts';
import type { Finding } from '../../core/types.ts';
import { makeHubConfig, makeScanResultEvent, makeSqsRecord } from '../factories/index.ts';
import { startConsumerHarness, type ConsumerHarness } from '../support/consumer-harness.ts';

// The `GuardDuty Malware Protection Object Scan Result` event: not a finding, but routed, rendered and
// accounted for like one.

/** A scan-result event with its nested parts open for spoiling. */
type ScanEvent = {
  account?: string;
  resources?: unknown[];
  detail: { s3ObjectDetails: Record<string, unknown>; scanResultDetails?: unknown };
};

const config = makeHubConfig({
  accounts: { '222222222222': { name: 'member1', destination: 'team-a', minSeverity: 'medium' } },
});

function parsed(event: object): Finding {
  const result = parseRecord(JSON.stringify(event));
  if (!result.ok) throw new Error(result.reason);
  return result.finding;
}

describe('parsing a scan-result event', () => {
  it('reads the object, the threats and the bucket owner from the documented shape', () => {
    // Act
    const finding = parsed(
      makeScanResultEvent({
        account: '222222222222',
        bucket: 'uploads',
        key: 'in/x.zip',
        versionId: 'v9',
        threats: ['EICAR-Test-File (not a virus)', 'Trojan.Gen'],
      }),
    );

    // Assert
    expect(finding).toMatchObject({
      type: 'ScanResult:S3/THREATS_FOUND',
      accountId: '222222222222',
      severity: 8,
      band: 'high',
      title: 'Malware found in s3://uploads/in/x.zip',
      resource: {
        type: 'S3Object',
        label: 'object s3://uploads/in/x.zip',
        details: [['Version', 'v9'], expect.arrayContaining(['ETag'])],
      },
      scanResult: { status: 'THREATS_FOUND', bucket: 'uploads', key: 'in/x.zip', versionId: 'v9' },
      threats: [
        { name: 'EICAR-Test-File (not a virus)', paths: ['in/x.zip'] },
        { name: 'Trojan.Gen', paths: ['in/x.zip'] },
      ],
    });
    expect(finding.consoleUrl).toBe(
      'https://console.aws.amazon.com/s3/object/uploads?region=us-east-1&bucketType=general&prefix=in%2Fx.zip',
    );
  });

  it('takes the owner from the protection plan ARN when the envelope has no account', () => {
    const event = { ...makeScanResultEvent({ account: '333333333333' }), account: undefined };
    expect(parsed(event).accountId).toBe('333333333333');
  });

  it('routes an event that names no owner by the defaults, saying so, rather than dead-lettering it', () => {
    const event = { ...makeScanResultEvent(), account: undefined, resources: [] };
    const finding = parsed(event);
    expect(finding.accountId).toBe('unknown');
    expect(finding.description).toMatch(/named no bucket owner account/);
    expect(
      routeBatch([{ messageId: 'm', body: JSON.stringify(event) }], config).routed.map((r) => r.destination),
    ).toEqual(['security']);
  });

  it.each([
    [
      'no object key',
      (e: ScanEvent) => delete e.detail.s3ObjectDetails.objectKey,
      /^detail\.s3ObjectDetails\.objectKey is missing$/,
    ],
    ['no result', (e: ScanEvent) => delete e.detail.scanResultDetails, /^detail\.scanResultDetails is missing$/],
  ])('rejects an event with %s, saying what is missing', (_name, spoil, reason) => {
    const event = makeScanResultEvent();
    spoil(event as unknown as ScanEvent);
    const result = parseRecord(JSON.stringify(event));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });
});

describe('routing and rendering a scan result', () => {
  it('routes by the bucket owner, skips a clean scan as no-threats and holds an unscannable object to Low', () => {
    // Arrange
    const records = [
      { messageId: 'found', body: JSON.stringify(makeScanResultEvent({ account: '222222222222' })) },
      { messageId: 'clean', body: JSON.stringify(makeScanResultEvent({ account: '222222222222', threats: [] })) },
      { messageId: 'denied', body: JSON.stringify(makeScanResultEvent({ status: 'ACCESS_DENIED' })) },
    ];

    // Act
    const result = routeBatch(records, config);

    // Assert
    expect(result.routed.map((r) => [r.messageIds[0], r.destination])).toEqual([['found', 'team-a']]);
    expect(result.skipped.map((s) => [s.messageId, s.reason])).toEqual([
      ['clean', 'no-threats'],
      ['denied', 'below-threshold'],
    ]);
    expect(result.failed).toEqual([]);
  });

  it('names the bucket, key and threats, escaped, within Slack limits', () => {
    // Arrange
    const finding = parsed(
      makeScanResultEvent({ bucket: 'uploads', key: 'a/<!channel>&b.exe', threats: ['Evil <script>'] }),
    );

    // Act
    const payload = renderSingle({ finding, destination: 'security', messageIds: ['m'] }, config);

    // Assert
    expect(validatePayload(payload)).toEqual([]);
    const raw = JSON.stringify(payload);
    expect(raw).toContain('object s3://uploads/a/&lt;!channel&gt;&amp;b.exe');
    expect(raw).toContain('*Threats found*\\n• Evil &lt;script&gt; in a/&lt;!channel&gt;&amp;b.exe');
    expect(payload.attachments[0]!.blocks[0]).toMatchObject({
      text: { text: 'High 8.0 · GuardDuty malware scan result' },
    });
    expect(raw).not.toContain('<!channel>');
  });
});

describe('a scan result through the handler', () => {
  let harness: ConsumerHarness | undefined;
  afterEach(async () => harness?.close());

  it('notifies threats, counts a clean scan in FindingsSkipped_no-threats, and fails neither', async () => {
    // Arrange
    harness = await startConsumerHarness(config, { ratePerSecond: 50, burst: 50 });
    const found = makeScanResultEvent();
    const clean = makeScanResultEvent({ threats: [] });

    // Act
    const response = await harness.invoke([makeSqsRecord(found), makeSqsRecord(clean)]);

    // Assert
    expect(response.batchItemFailures).toEqual([]);
    const bodies = harness.received('security');
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toContain(String(found.id));
    expect(harness.captured.metric('FindingsSkipped_no-threats')).toBe(1);
  });
});
