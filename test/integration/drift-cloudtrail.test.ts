import {
  CloudTrailClient,
  CreateTrailCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
  StopLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import { ListDetectorsCommand, GetDetectorCommand } from '@aws-sdk/client-guardduty';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { memoryDriftStore, runDriftCheck, sdkTrails, type GuardDutyReader } from '../../lambdas/drift/index.ts';
import { actAs, localClientConfig } from '../support/aws.ts';
import { HUB_REGION, useDeployedHub } from './harness.ts';

// The drift check's CloudTrail coverage against moto's CloudTrail (DescribeTrails, GetTrailStatus,
// GetEventSelectors are real moto calls): the tamper rules are blind in a region without a logging
// trail that records write management events. Members are faked as in drift-check.test.ts.

const ctx = useDeployedHub();
const endpoint = inject('motoEndpoint');
const clients: CloudTrailClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
});

function cloudTrail(region: string): CloudTrailClient {
  const client = new CloudTrailClient(localClientConfig(endpoint, region));
  actAs(client, ctx.config.hub.account);
  clients.push(client);
  return client;
}

/** Creates an S3 bucket in moto for the trail's logs (no S3 client in the project: one signed-looking PUT). */
async function createBucket(name: string): Promise<void> {
  const response = await fetch(`${endpoint}/${name}`, {
    method: 'PUT',
    body: `<CreateBucketConfiguration><LocationConstraint>${HUB_REGION}</LocationConstraint></CreateBucketConfiguration>`,
    headers: {
      'x-moto-account-id': ctx.config.hub.account,
      authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/${HUB_REGION}/s3/aws4_request, SignedHeaders=host, Signature=0`,
    },
  });
  if (!response.ok)
    throw new Error(`creating bucket ${name} in moto answered ${response.status}: ${await response.text()}`);
}

const healthyGuardDuty = (region: string): GuardDutyReader => {
  const client = ctx.deployed.clients(region).guardduty;
  return {
    listDetectorIds: async () => (await client.send(new ListDetectorsCommand({}))).DetectorIds ?? [],
    detectorStatus: async (id) => (await client.send(new GetDetectorCommand({ DetectorId: id }))).Status ?? 'unknown',
    memberStatuses: async () => new Map(Object.keys(ctx.config.accounts).map((id) => [id, 'Enabled'])),
  };
};

describe('the drift check’s CloudTrail coverage', () => {
  it('alerts once per region without a logging trail, once more when a multi-region trail stops logging, and recovers', async () => {
    const store = memoryDriftStore();
    const run = () =>
      runDriftCheck({
        config: ctx.config,
        guardduty: healthyGuardDuty,
        trails: (region) => sdkTrails(region, cloudTrail),
        store,
        send: async () => {},
      });
    const trail = cloudTrail(HUB_REGION);
    const bucket = `trail-${ctx.config.hub.account}`;

    const none = await run();
    await createBucket(bucket);
    await trail.send(new CreateTrailCommand({ Name: 'org', S3BucketName: bucket, IsMultiRegionTrail: true }));
    await trail.send(
      new PutEventSelectorsCommand({
        TrailName: 'org',
        EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }],
      }),
    );
    await trail.send(new StartLoggingCommand({ Name: 'org' }));
    const covered = await run();
    await trail.send(new StopLoggingCommand({ Name: 'org' }));
    const stopped = await run();
    const still = await run();

    const cloudtrailAlerts = (report: Awaited<ReturnType<typeof run>>) =>
      report.alerts.filter((a) => a.subject === 'cloudtrail').map((a) => `${a.kind} ${a.region} ${a.to}`);
    expect([none, covered, stopped, still].map((r) => r.failedRegions)).toEqual([[], [], [], []]);
    expect(cloudtrailAlerts(none)).toEqual(ctx.config.regions.map((region) => `drifted ${region} no-trail`));
    expect(cloudtrailAlerts(covered)).toEqual(ctx.config.regions.map((region) => `recovered ${region} logging`));
    expect(cloudtrailAlerts(stopped)).toEqual(ctx.config.regions.map((region) => `drifted ${region} not-logging`));
    expect(cloudtrailAlerts(still)).toEqual([]);
  });
});
