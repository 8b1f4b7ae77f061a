import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { describe, expect, inject, it } from 'vitest';
import type { SmokeReport } from '../../cli/commands/smoke/index.ts';
import { runCli } from '../support/cli-run.ts';
import { arrangeWorld, type World } from '../support/cli-world.ts';

// `smoke` against moto: GuardDuty detectors (ListDetectors) and CloudWatch metrics are moto's.
// moto (5.2.x) does not implement GuardDuty CreateSampleFindings, so that call is answered by the
// test's GuardDuty client (an injected handler, test/support/cli-aws.ts) which records it and, for
// the regions the test says are wired, plays the pipeline: it puts the metric datapoint the hub
// would produce into moto's CloudWatch. The clock advances by each poll's sleep instead of waiting.

const endpoint = inject('motoEndpoint');

interface Pipeline {
  /** Regions whose sample reaches the hub queue (NumberOfMessagesSent). */
  readonly queued?: readonly string[];
  /** Regions whose sample the consumer delivers (FindingsDelivered only, as if the queue metric lagged). */
  readonly delivered?: readonly string[];
}

async function smokeWorld(pipeline: Pipeline, detectorRegions = ['us-east-1', 'us-west-1', 'us-west-2']) {
  const created: { region: string; input: Record<string, unknown> }[] = [];
  const clock = steppingClock();
  let world: World | undefined;
  world = await arrangeWorld(endpoint, {
    detectorRegions,
    emulate: {
      guardduty: {
        CreateSampleFindings: async (input, region) => {
          created.push({ region, input });
          const cloudwatch = world!.aws().cloudwatch;
          if (pipeline.queued?.includes(region)) {
            await cloudwatch.send(
              new PutMetricDataCommand({
                Namespace: 'AWS/SQS',
                MetricData: [
                  {
                    MetricName: 'NumberOfMessagesSent',
                    Dimensions: [{ Name: 'QueueName', Value: 'guardduty-hub-findings' }],
                    Timestamp: clock.now(),
                    Value: 1,
                  },
                ],
              }),
            );
          }
          if (pipeline.delivered?.includes(region)) {
            await cloudwatch.send(
              new PutMetricDataCommand({
                Namespace: 'GuardDutyHub',
                MetricData: [
                  {
                    MetricName: 'FindingsDelivered',
                    Dimensions: [{ Name: 'service', Value: 'guardduty-hub' }],
                    Timestamp: clock.now(),
                    Value: 1,
                  },
                ],
              }),
            );
          }
          return {};
        },
      },
    },
  });
  return { world, created, clock };
}

/** A clock that moves forward by each sleep, so timeouts pass without waiting; the emulated pipeline stamps its datapoints with it. */
function steppingClock() {
  // 50 s into a minute, so that the first poll already crosses into the next CloudWatch minute.
  let time = Math.floor(Date.now() / 60_000) * 60_000 - 10_000;
  return {
    now: () => new Date(time),
    sleep: async (ms: number) => {
      time += ms;
    },
  };
}

const smoke = ({ world, clock }: { world: World; clock: ReturnType<typeof steppingClock> }, ...args: string[]) =>
  runCli(['smoke', '--config', world.configPath, ...args], { clients: world.clients, ...clock });

describe('smoke', () => {
  it('creates one High sample per region with its detector and reports each region seen in the hub queue (exit 0)', async () => {
    const arranged = await smokeWorld({ queued: ['us-east-1', 'us-west-2'] });

    const run = await smoke(arranged, '--region', 'us-east-1', 'us-west-2', '--json');

    expect(run.exitCode).toBe(0);
    const report = run.json<SmokeReport>();
    expect(report.regions.map((r) => [r.region, r.status, r.queued])).toEqual([
      ['us-east-1', 'ok', 1],
      ['us-west-2', 'ok', 1],
    ]);
    expect(arranged.created.map((c) => c.region)).toEqual(['us-east-1', 'us-west-2']);
    expect(arranged.created[0]?.input).toEqual({
      DetectorId: report.regions[0]?.detectorId,
      FindingTypes: ['Backdoor:EC2/DenialOfService.Tcp'],
    });
    expect(run.stderr).toMatch(
      /^us-east-1: created a sample Backdoor:EC2\/DenialOfService.Tcp finding with detector \w+; waiting up to 600 s\nus-east-1: seen after 30 s \(queued 1, delivered 0\)\n/,
    );
  });

  it("counts the consumer's FindingsDelivered as seen too", async () => {
    const arranged = await smokeWorld({ delivered: ['us-west-1'] });

    const run = await smoke(arranged, '--region', 'us-west-1', '--json');

    expect(run.exitCode).toBe(0);
    expect(run.json<SmokeReport>().regions[0]).toMatchObject({
      region: 'us-west-1',
      status: 'ok',
      queued: 0,
      delivered: 1,
    });
  });

  it('reports a region whose sample never arrives as not seen after the timeout, and exits 1', async () => {
    const arranged = await smokeWorld({ queued: ['us-east-1'] });

    const run = await smoke(arranged, '--region', 'us-east-1', 'us-west-1', '--timeout', '90');

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/us-east-1 +ok +1 +0 +30 s/);
    expect(run.stdout).toMatch(/us-west-1 +not-seen +0 +0 +90 s/);
    expect(run.stdout).toContain('  - us-west-1: sample finding not seen within 90 s (queued 0, delivered 0)');
    expect(run.stderr).toContain('guardduty-hub: 1 item needs attention (see the list above)');
  });

  it('fails a region without a detector and goes on with the others', async () => {
    const arranged = await smokeWorld({ queued: ['us-west-2'] }, ['us-west-2']);

    const run = await smoke(arranged, '--region', 'eu-north-1', 'us-west-2', '--json');

    expect(run.exitCode).toBe(1);
    expect(run.json<SmokeReport>().attention).toEqual([
      'eu-north-1: no GuardDuty detector (has the region-eu-north-1 stack been deployed?)',
    ]);
    expect(arranged.created.map((c) => c.region)).toEqual(['us-west-2']);
  });

  it('refuses regions outside the config, and a run without --region (exit 2)', async () => {
    const arranged = await smokeWorld({});

    const outside = await smoke(arranged, '--region', 'ap-south-1');
    const none = await smoke(arranged);

    expect(outside.exitCode).toBe(2);
    expect(outside.stderr).toBe(
      "guardduty-hub: region ap-south-1 is not in the config's regions (us-east-1, us-west-1, us-west-2, eu-north-1)\n",
    );
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toBe(
      'guardduty-hub: name the regions to test with --region (configured: us-east-1, us-west-1, us-west-2, eu-north-1)\n',
    );
    expect(arranged.created).toEqual([]);
  });
});
