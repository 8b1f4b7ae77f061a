import { DisableRuleCommand, EnableRuleCommand } from '@aws-sdk/client-eventbridge';
import { GetDetectorCommand, ListDetectorsCommand, ListFindingsCommand } from '@aws-sdk/client-guardduty';
import { describe, expect, it } from 'vitest';
import { dynamoCanaryStore } from '../../core/canary/index.ts';
import {
  dynamoDriftStore,
  runDriftCheck,
  sdkCanary,
  sqsSender,
  type DriftCheckReport,
  type GuardDutyReader,
} from '../../lambdas/drift/index.ts';
import { forwarderRuleName } from '../../shared/index.ts';
import { ACCOUNTS, HUB_REGION, MEMBER_REGION, startConsumer, storeWebhooks, useDeployedHub } from './harness.ts';

// The end-to-end canary on the hub applied to the local AWS: the drift check makes a sample finding
// with each region's detector (the local AWS's CreateSampleFindings puts it on the region's default bus,
// as GuardDuty does); it travels the synthesized forwarder rule, hub bus, hub rule and queue to the
// consumer, which counts it in the state table and posts nothing. The check runs on a clock the test
// moves; the consumer drains the queue between runs. Members are faked at the client boundary (moto
// has no member APIs), as in drift-check.test.ts.

const ctx = useDeployedHub();
const MINUTE = 60_000;
const T0 = Date.parse('2026-12-06T00:00:00Z');

/** Real detector calls in `region`; every member Enabled. */
function guardDuty(region: string): GuardDutyReader {
  const client = ctx.deployed.clients(region).guardduty;
  return {
    listDetectorIds: async () => (await client.send(new ListDetectorsCommand({}))).DetectorIds ?? [],
    detectorStatus: async (id) => (await client.send(new GetDetectorCommand({ DetectorId: id }))).Status ?? '?',
    memberStatuses: async () =>
      new Map([
        [ACCOUNTS.member1, 'Enabled'],
        [ACCOUNTS.member2, 'Enabled'],
      ]),
  };
}

/** The drift check with the canary, at `minutes` past T0, over the deployed hub; the ages it put. */
function checker() {
  const tableName = ctx.deployed.environment.STATE_TABLE_NAME!;
  const canaries = dynamoCanaryStore({ client: ctx.deployed.hub.dynamodb, tableName });
  /** The ages put, by the minute of the run. */
  const ages = new Map<number, ReadonlyMap<string, number>>();
  const canary = sdkCanary(ctx.config, canaries, async (region) => ctx.deployed.clients(region));
  const putAges = canary.putAges!;
  let minutes = 0;
  const run = (at: number): Promise<DriftCheckReport> => {
    minutes = at;
    return runDriftCheck({
      config: ctx.config,
      guardduty: guardDuty,
      store: dynamoDriftStore({ client: ctx.deployed.hub.dynamodb, tableName }),
      send: sqsSender(ctx.deployed.queue.url, ctx.deployed.hub.sqs),
      canary: {
        ...canary,
        putAges: async (given) => {
          ages.set(minutes, new Map(given));
          await putAges(given);
        },
      },
      now: () => T0 + minutes * MINUTE,
    });
  };
  return { run, canaries, ages };
}

const alertsOf = (report: DriftCheckReport): string[] =>
  report.alerts.map((alert) => `${alert.kind} ${alert.region} ${alert.subject} ${alert.to}`);

describe('the canary', () => {
  it('arrives from each region and is recorded, never posted, and archived', async () => {
    const { run, canaries } = checker();
    const { poller } = startConsumer(ctx.deployed);
    const paths = await storeWebhooks(ctx.deployed, ctx.slack);

    const first = await run(0);
    await poller.runUntilEmpty();
    const second = await run(5);

    expect([...alertsOf(first), ...alertsOf(second)]).toEqual([]);
    for (const region of ctx.config.regions) {
      expect(await canaries.load(region), region).toMatchObject({ arrivals: 1, seenArrivals: 1, toArchive: [] });
      const gd = ctx.deployed.clients(region).guardduty;
      const [detectorId] = (await gd.send(new ListDetectorsCommand({}))).DetectorIds ?? [];
      const archived = await gd.send(
        new ListFindingsCommand({
          DetectorId: detectorId!,
          FindingCriteria: { Criterion: { 'service.archived': { Eq: ['true'] } } },
        }),
      );
      expect(archived.FindingIds, region).toHaveLength(1);
    }
    expect(second.canaryAges).toEqual(new Map(ctx.config.regions.map((region) => [region, 0])));
    expect(Object.values(paths).flatMap((path) => ctx.slack.accepted(path))).toEqual([]);
  });

  it('alerts once when a region’s forwarder rule is disabled, naming it, and once when it is enabled again', async () => {
    const { run, ages } = checker();
    const { poller } = startConsumer(ctx.deployed);
    const paths = await storeWebhooks(ctx.deployed, ctx.slack);
    const events = ctx.deployed.clients(MEMBER_REGION).events;
    const rule = { Name: forwarderRuleName(ctx.config), EventBusName: 'default' };
    // every 60 min + FIFTEEN_MINUTES publishing + 15 min margin: late past 90 minutes
    const drain = () => poller.runUntilEmpty({ timeoutMs: 20_000 });

    const reports: DriftCheckReport[] = [];
    for (const [minute, act] of [
      [0, drain],
      [5, () => events.send(new DisableRuleCommand(rule))], // as an attacker would
      [60, drain], // the canary of us-east-1 stops at the forwarder
      [65, drain],
      [100, drain], // 95 minutes since us-east-1's last canary: late
      [105, () => events.send(new EnableRuleCommand(rule))],
      [120, drain],
      [125, drain],
      [130, drain],
    ] as const) {
      reports.push(await run(minute));
      await act();
    }

    expect(reports.map(alertsOf)).toEqual([
      [],
      [],
      [],
      [],
      [`drifted ${MEMBER_REGION} canary late`],
      [],
      [],
      [`recovered ${MEMBER_REGION} canary arriving`],
      [],
    ]);
    const late = reports[4]!.alerts[0]!;
    expect(late.note).toContain(
      `Most likely broken: the forwarder rule (${forwarderRuleName(ctx.config)} in ${MEMBER_REGION}) is DISABLED`,
    );
    const posted = ctx.slack.accepted(paths.security!).map((request) => request.raw);
    const lateMessages = posted.filter((raw) =>
      raw.includes(`Findings from ${MEMBER_REGION} are not reaching the hub`),
    );
    expect(lateMessages).toHaveLength(1);
    expect(lateMessages[0]).toContain(`${forwarderRuleName(ctx.config)} in ${MEMBER_REGION}) is DISABLED`);
    expect(posted.filter((raw) => raw.includes(`Findings from ${MEMBER_REGION} reach the hub again`))).toHaveLength(1);
    expect(posted.filter((raw) => raw.includes('PortProbeUnprotectedPort'))).toEqual([]);
    expect(ages.get(100)).toEqual(
      new Map([
        [MEMBER_REGION, 95 * 60],
        [HUB_REGION, 35 * 60],
      ]),
    );
    expect(ages.has(0)).toBe(false); // nothing to judge before the first canary
  });
});
