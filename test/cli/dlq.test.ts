import { afterEach, describe, expect, inject, it } from 'vitest';
import type { PeekReport } from '../../cli/commands/dlq/index.ts';
import { atSeverity, forAccount, makeFindingEvent } from '../factories/index.ts';
import { uniqueAccountId } from '../support/aws.ts';
import { countMessages, sendMessages } from '../support/cli-hub.ts';
import { runCli } from '../support/cli-run.ts';
import { startLocalSqs, type LocalSqs } from '../support/local-sqs.ts';
import { arrangeWorld, type World } from '../support/cli-world.ts';

// `dlq peek` runs against moto's SQS. `dlq redrive` needs StartMessageMoveTask and
// ListMessageMoveTasks, which moto (5.2.x) does not implement (it answers HTTP 500; the last test
// shows the CLI's message for that): its tests run SQS against local-aws-sqs (the integration
// harness's test/support/local-sqs.ts; it moves up to MaxNumberOfMessagesPerSecond messages a second),
// with everything else still on moto.

const endpoint = inject('motoEndpoint');
const quickSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, 100)));

const peek = (world: World, ...flags: string[]) => runCli(['dlq', 'peek', '--config', world.configPath, ...flags], { clients: world.clients });

function failedFinding(type: string, account: string, severity: number): string {
  return JSON.stringify(
    makeFindingEvent({
      detail: {
        ...forAccount(account),
        ...atSeverity(severity),
        type,
        region: 'eu-north-1',
        service: { eventFirstSeen: '2026-01-15T09:00:00.000Z', eventLastSeen: '2026-01-15T09:45:00.000Z', count: 4 },
      },
    }),
  );
}

describe('dlq peek', () => {
  it('shows account, region, type, severity, receives, first/last seen and why, and leaves every message visible', async () => {
    const world = await arrangeWorld(endpoint, { detectorRegions: [] });
    const sqs = world.aws().sqs;
    await sendMessages(sqs, world.queues.dlqUrl, [failedFinding('Backdoor:EC2/C&CActivity.B!DNS', '222222222222', 8)], {
      attributes: { failureReason: { DataType: 'String', StringValue: 'team-a: Slack answered 404 channel_not_found' } },
    });
    await sendMessages(sqs, world.queues.dlqUrl, [failedFinding('Recon:EC2/Portscan', '333333333333', 5), '{"detail-type": "Scheduled Event"']);

    const first = await peek(world, '--json');
    const second = await peek(world, '--json');

    expect(first.exitCode).toBe(0);
    const report = first.json<PeekReport>();
    expect(report.depth).toBe(3);
    const byType = new Map(report.messages.map((m) => [m.type ?? 'unparsed', m]));
    expect(byType.get('Backdoor:EC2/C&CActivity.B!DNS')).toMatchObject({
      accountId: '222222222222',
      region: 'eu-north-1',
      severity: 8,
      receiveCount: 1,
      firstSeen: '2026-01-15T09:00:00.000Z',
      lastSeen: '2026-01-15T09:45:00.000Z',
      reason: 'team-a: Slack answered 404 channel_not_found',
    });
    expect(byType.get('Recon:EC2/Portscan')).toMatchObject({ accountId: '333333333333', reason: 'delivery failed' });
    expect(byType.get('unparsed')?.reason).toMatch(/^unparseable: body is not JSON/);
    expect(await countMessages(sqs, world.queues.dlqUrl)).toEqual({ visible: 3, inFlight: 0, delayed: 0 });
    expect(second.json<PeekReport>().messages.map((m) => m.receiveCount)).toEqual([2, 2, 2]);
  });

  it('shows at most --max distinct messages and still leaves all of them in place', async () => {
    const world = await arrangeWorld(endpoint, { detectorRegions: [] });
    const sqs = world.aws().sqs;
    await sendMessages(sqs, world.queues.dlqUrl, Array.from({ length: 14 }, () => failedFinding('Recon:EC2/Portscan', '333333333333', 5)));

    const run = await peek(world, '--max', '12');

    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('DLQ guardduty-hub-findings-dlq: 14 messages waiting, showing 12 (none deleted, all visible again)');
    expect(run.stdout.match(/Recon:EC2\/Portscan/g)).toHaveLength(12);
    expect(await countMessages(sqs, world.queues.dlqUrl)).toEqual({ visible: 14, inFlight: 0, delayed: 0 });
  });

  it('says so when the DLQ is empty', async () => {
    const world = await arrangeWorld(endpoint, { detectorRegions: [] });

    const run = await peek(world);

    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('DLQ guardduty-hub-findings-dlq: 0 messages waiting, showing 0 (none deleted, all visible again)\n');
  });

  it.each(['0', '101', 'ten'])('refuses --max %s (exit 2)', async (max) => {
    const world = await arrangeWorld(endpoint, { detectorRegions: [], withoutQueues: true });

    const run = await peek(world, '--max', max);

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`error: option '--max <n>' argument '${max}' is invalid. must be a whole number from 1 to 100`);
  });

  it('exits 2 with a deploy hint when the DLQ does not exist', async () => {
    const world = await arrangeWorld(endpoint, { detectorRegions: [], withoutQueues: true });

    const run = await peek(world);

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(
      `guardduty-hub: DLQ guardduty-hub-findings-dlq not found in us-west-2 account ${world.accountId}: has the hub stack been deployed (cdktf deploy hub)?\n`,
    );
  });
});

describe('dlq redrive', () => {
  let sqsServer: LocalSqs | undefined;
  afterEach(async () => {
    await sqsServer?.close();
    sqsServer = undefined;
  });

  /** A world whose SQS is local-aws-sqs, with `count` messages in the DLQ. */
  async function worldWithDlq(count: number): Promise<World> {
    const accountId = uniqueAccountId();
    sqsServer = await startLocalSqs({ region: 'us-west-2', accountId });
    const world = await arrangeWorld(endpoint, { accountId, sqsEndpoint: sqsServer.endpoint, detectorRegions: [] });
    await sendMessages(sqsOf(world), world.queues.dlqUrl, Array.from({ length: count }, () => failedFinding('Recon:EC2/Portscan', '333333333333', 5)));
    return world;
  }

  /** The CLI's SQS client: local-aws-sqs in these tests. */
  const sqsOf = (world: World) => world.clients.sqs(world.config.hub.region);

  const redrive = (world: World, flags: string[], stderrIsTTY = false) =>
    runCli(['dlq', 'redrive', '--config', world.configPath, ...flags], { clients: world.clients, sleep: quickSleep, stderrIsTTY });

  it('moves every DLQ message back to the hub queue, printing progress per poll and the result', async () => {
    const world = await worldWithDlq(5);
    const sqs = sqsOf(world);

    const run = await redrive(world, ['--rate', '2']);

    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('redrive completed: moved 5 of 5 messages to guardduty-hub-findings at up to 2/s\n');
    const progress = run.stderr.trimEnd().split('\n');
    expect(progress.every((line) => /^moved \d \/ 5 \((RUNNING|COMPLETED)\)$/.test(line))).toBe(true);
    expect(progress.at(-1)).toBe('moved 5 / 5 (COMPLETED)');
    expect(await countMessages(sqs, world.queues.dlqUrl)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(await countMessages(sqs, world.queues.hubUrl)).toEqual({ visible: 5, inFlight: 0, delayed: 0 });
  });

  it('rewrites one progress line when stderr is a terminal, and prints the task as JSON', async () => {
    const world = await worldWithDlq(2);

    const run = await redrive(world, ['--json'], true);

    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(/^(\rmoved \d \/ 2 \(\w+\)\u001b\[K)+\n$/);
    expect(run.json()).toMatchObject({ outcome: 'finished', task: { status: 'COMPLETED', moved: 2, toMove: 2, ratePerSecond: null } });
  });

  it('with --no-wait starts the move and returns; --status then lists it', async () => {
    const world = await worldWithDlq(3);

    const started = await redrive(world, ['--no-wait', '--json']);
    const listed = await redrive(world, ['--status']);

    expect(started.exitCode).toBe(0);
    expect(started.json()).toMatchObject({ outcome: 'started', task: { status: 'RUNNING', toMove: 3 } });
    expect(started.stderr).toBe('');
    expect(listed.exitCode).toBe(0);
    expect(listed.stdout).toMatch(/Redrive tasks from guardduty-hub-findings-dlq \(most recent first\)\n {2}status +moved +rate +started +failure\n {2}(RUNNING|COMPLETED) +\d \/ 3 +auto +\d{4}-/);
  });

  it('refuses to start while another move from the DLQ is running (exit 1)', async () => {
    const world = await worldWithDlq(3);
    await redrive(world, ['--no-wait', '--rate', '1']);

    const run = await redrive(world, []);

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('a redrive is already running from the DLQ: moved ');
    expect(run.stderr).toContain('guardduty-hub: another redrive is running from the DLQ; wait for it (dlq redrive --status)');
  });

  it('does nothing when the DLQ is empty (exit 0)', async () => {
    const world = await worldWithDlq(0);

    const run = await redrive(world, []);

    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('nothing to redrive: DLQ guardduty-hub-findings-dlq is empty\n');
  });

  it('against the local AWS (moto with localaws/sqs.py move tasks), completes at once', async () => {
    const world = await arrangeWorld(endpoint, { detectorRegions: [] });
    await sendMessages(world.aws().sqs, world.queues.dlqUrl, ['{}']);

    const run = await redrive(world, []);

    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('redrive completed: moved 1 of 1 messages to guardduty-hub-findings');
  });
});
