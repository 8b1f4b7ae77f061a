import { GetDetectorCommand, ListDetectorsCommand, UpdateDetectorCommand } from '@aws-sdk/client-guardduty';
import { describe, expect, it } from 'vitest';
import { dynamoDriftStore, runDriftCheck, sqsSender, type GuardDutyReader } from '../../lambdas/drift/index.ts';
import { ACCOUNTS, MEMBER_REGION, receiveAll, startConsumer, storeWebhooks, useDeployedHub } from './harness.ts';

// The drift check against the hub deployed in moto: detectors are moto's (created by the region
// stacks; ListDetectors, GetDetector, UpdateDetector are real moto calls), the state is the deployed
// finding-state table, alerts go to the deployed hub queue and on through the consumer to the Slack
// simulator. moto 5.2.5 has no GuardDuty member APIs, so ListMembers is faked at the client boundary
// (`memberStatuses`), with the statuses GuardDuty documents (Enabled, Removed, Resigned, …).

const ctx = useDeployedHub();

/** Real moto detector calls in `region`, fake member relationships from `members`. */
function guardDuty(region: string, members: Map<string, string>): GuardDutyReader {
  const client = ctx.deployed.clients(region).guardduty;
  return {
    listDetectorIds: async () => (await client.send(new ListDetectorsCommand({}))).DetectorIds ?? [],
    detectorStatus: async (detectorId) =>
      (await client.send(new GetDetectorCommand({ DetectorId: detectorId }))).Status ?? 'unknown',
    memberStatuses: async () => members,
  };
}

describe('the drift check', () => {
  it('alerts once when a member resigns and once when it is back, through the hub queue to Slack', async () => {
    const paths = await storeWebhooks(ctx.deployed, ctx.slack);
    const members = new Map<string, string>([
      [ACCOUNTS.member1, 'Enabled'],
      [ACCOUNTS.member2, 'Enabled'],
    ]);
    const store = dynamoDriftStore({
      client: ctx.deployed.hub.dynamodb,
      tableName: ctx.deployed.environment.STATE_TABLE_NAME!,
    });
    const run = () =>
      runDriftCheck({
        config: ctx.config,
        guardduty: (region) => guardDuty(region, members),
        store,
        send: sqsSender(ctx.deployed.queue.url, ctx.deployed.hub.sqs),
      });
    const { poller } = startConsumer(ctx.deployed);

    const reports = [await run()];
    members.set(ACCOUNTS.member1, 'Resigned');
    reports.push(await run(), await run());
    members.set(ACCOUNTS.member1, 'Enabled');
    reports.push(await run(), await run());
    await poller.runUntilEmpty({ timeoutMs: 20_000 });

    expect(reports.map((r) => r.failedRegions)).toEqual([[], [], [], [], []]);
    // member1 is configured in both regions: one alert per region at each change, none in between.
    expect(reports.map((r) => r.alerts.map((a) => `${a.kind} ${a.region} ${a.subject}`))).toEqual([
      [],
      ctx.config.regions.map((region) => `drifted ${region} member:${ACCOUNTS.member1}`),
      [],
      ctx.config.regions.map((region) => `recovered ${region} member:${ACCOUNTS.member1}`),
      [],
    ]);
    const texts = ctx.slack.accepted(paths['team-a']!).map((request) => request.raw);
    expect(texts.filter((raw) => raw.includes(`member ${ACCOUNTS.member1} is Resigned in`))).toHaveLength(
      ctx.config.regions.length,
    );
    expect(texts.filter((raw) => raw.includes(`member ${ACCOUNTS.member1} is Enabled again in`))).toHaveLength(
      ctx.config.regions.length,
    );
    expect(await receiveAll(ctx.deployed.hub.sqs, ctx.deployed.queue.url)).toEqual([]);
  });

  it('alerts once when a region’s detector is disabled (moto UpdateDetector), and once when it is enabled again', async () => {
    const members = new Map<string, string>([
      [ACCOUNTS.member1, 'Enabled'],
      [ACCOUNTS.member2, 'Enabled'],
    ]);
    const store = dynamoDriftStore({
      client: ctx.deployed.hub.dynamodb,
      tableName: ctx.deployed.environment.STATE_TABLE_NAME!,
    });
    const sent: string[] = [];
    const run = () =>
      runDriftCheck({
        config: ctx.config,
        guardduty: (region) => guardDuty(region, members),
        store,
        send: async (bodies) => void sent.push(...bodies),
      });
    const client = ctx.deployed.clients(MEMBER_REGION).guardduty;
    const [detectorId] = (await client.send(new ListDetectorsCommand({}))).DetectorIds ?? [];
    const setEnabled = (enable: boolean) =>
      client.send(new UpdateDetectorCommand({ DetectorId: detectorId!, Enable: enable }));

    await run();
    await setEnabled(false);
    const stopped = await run();
    const still = await run();
    await setEnabled(true);
    const back = await run();

    expect(stopped.alerts.map((a) => [a.kind, a.region, a.subject, a.to])).toEqual([
      ['drifted', MEMBER_REGION, 'detector', 'DISABLED'],
    ]);
    expect(still.alerts).toEqual([]);
    expect(back.alerts.map((a) => [a.kind, a.region, a.subject, a.to])).toEqual([
      ['recovered', MEMBER_REGION, 'detector', 'ENABLED'],
    ]);
    expect(sent).toHaveLength(2);
  });
});
