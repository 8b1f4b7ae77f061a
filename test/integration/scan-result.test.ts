import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import { makeScanResultEvent } from '../factories/index.ts';
import {
  MEMBER_REGION,
  receiveAll,
  startConsumer,
  storeWebhooks,
  useDeployedHub,
  type DeployedHub,
} from './harness.ts';

// The S3 object scan result (`GuardDuty Malware Protection Object Scan Result`) from a member region's
// default bus, through the synthesized forwarder and hub rules applied to moto, to the consumer and
// the Slack simulator: threats notified, a clean scan skipped and counted, nothing left behind.

const ctx = useDeployedHub();

/** Puts scan-result events on `region`'s default bus as Malware Protection for S3 does (moto sets the account). */
async function publishScanResults(
  deployed: DeployedHub,
  region: string,
  events: readonly Record<string, unknown>[],
): Promise<void> {
  const entries = events.map((event) => ({
    Source: 'aws.guardduty',
    DetailType: event['detail-type'] as string,
    Resources: event.resources as string[],
    Detail: JSON.stringify(event.detail),
  }));
  const result = await deployed.clients(region).events.send(new PutEventsCommand({ Entries: entries }));
  if ((result.FailedEntryCount ?? 0) > 0)
    throw new Error(`PutEvents refused entries: ${JSON.stringify(result.Entries)}`);
}

describe('an S3 object scan result from a member region', () => {
  it('reaches the hub queue, with threats or without (it has no severity for the forwarder to filter on)', async () => {
    // Arrange
    const found = makeScanResultEvent({ region: MEMBER_REGION, key: 'uploads/found.exe' });
    const clean = makeScanResultEvent({ region: MEMBER_REGION, key: 'uploads/clean.pdf', threats: [] });

    // Act
    await publishScanResults(ctx.deployed, MEMBER_REGION, [found, clean]);

    // Assert
    const arrived = await receiveAll(ctx.deployed.hub.sqs, ctx.deployed.queue.url);
    const keys = arrived.map(
      (m) =>
        (JSON.parse(m.Body!) as { detail: { s3ObjectDetails: { objectKey: string } } }).detail.s3ObjectDetails
          .objectKey,
    );
    expect(keys.sort()).toEqual(['uploads/clean.pdf', 'uploads/found.exe']);
    expect(JSON.parse(arrived[0]!.Body!)).toMatchObject({
      source: 'aws.guardduty',
      'detail-type': 'GuardDuty Malware Protection Object Scan Result',
    });
  });

  it('is notified when threats were found, and skipped and counted when none were, leaving nothing queued', async () => {
    // Arrange: moto's bus-to-bus hop drops the envelope `account` and `resources` (AWS keeps them; the
    // routing by owner is in test/consumer/parse-scan-result.test.ts), so the owner is unknown here and
    // `defaults` (security) applies, as it would for an unlisted owner
    const paths = await storeWebhooks(ctx.deployed, ctx.slack);
    const found = makeScanResultEvent({
      region: MEMBER_REGION,
      bucket: 'intake',
      key: 'uploads/<invoice>&.pdf.exe',
      threats: ['EICAR-Test-File (not a virus)'],
    });
    const clean = makeScanResultEvent({
      region: MEMBER_REGION,
      bucket: 'intake',
      key: 'uploads/clean.pdf',
      threats: [],
    });
    await publishScanResults(ctx.deployed, MEMBER_REGION, [found, clean]);
    const { poller, powertools } = startConsumer(ctx.deployed);

    // Act
    await poller.runUntilEmpty({ timeoutMs: 15_000 });

    // Assert
    const bodies = ctx.slack.accepted(paths.security!).map((request) => request.raw);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toContain('object s3://intake/uploads/&lt;invoice&gt;&amp;.pdf.exe');
    expect(bodies[0]).toContain('EICAR-Test-File (not a virus)');
    expect(bodies.join('')).not.toContain('clean.pdf');
    expect(powertools.metric('FindingsSkipped_no-threats')).toBe(1);
    expect(await receiveAll(ctx.deployed.hub.sqs, ctx.deployed.queue.url)).toEqual([]);
    expect(await receiveAll(ctx.deployed.hub.sqs, ctx.deployed.dlq.url)).toEqual([]);
  });
});
