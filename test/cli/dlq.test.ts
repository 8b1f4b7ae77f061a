import { ReceiveMessageCommand, type MessageAttributeValue, type SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { NO_REASON_RECORDED, type ForwardResult, type PeekReport } from '../../cli/commands/dlq/index.ts';
import { DEAD_LETTER_ATTRIBUTES } from '../../shared/dead-letter.ts';
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

const peek = (world: World, ...flags: string[]) =>
  runCli(['dlq', 'peek', '--config', world.configPath, ...flags], { clients: world.clients });

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

/** String message attributes, as SQS takes them. */
const strings = (values: Record<string, string>): Record<string, MessageAttributeValue> =>
  Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]));

/** The attributes the consumer writes on a record it moves to the hub DLQ itself (`shared/dead-letter.ts`). */
const movedByConsumer = (kind: string, reason: string, receiveCount: number) =>
  strings({
    [DEAD_LETTER_ATTRIBUTES.reason]: reason,
    [DEAD_LETTER_ATTRIBUTES.kind]: kind,
    [DEAD_LETTER_ATTRIBUTES.receiveCount]: String(receiveCount),
    [DEAD_LETTER_ATTRIBUTES.sourceMessageId]: '0b6c7f1e-0000-4000-8000-00000000abcd',
    [DEAD_LETTER_ATTRIBUTES.movedAt]: '2026-01-15T10:05:00.000Z',
  });

/** The attributes EventBridge sets on an event it dead-letters from a target (EventBridge User Guide). */
const deadLetteredByEventBridge = (ruleArn: string, targetArn: string, errorCode: string, errorMessage: string) =>
  strings({
    RULE_ARN: ruleArn,
    TARGET_ARN: targetArn,
    ERROR_CODE: errorCode,
    ERROR_MESSAGE: errorMessage,
    EXHAUSTED_RETRY_CONDITION: 'MaximumEventAgeInSeconds',
    RETRY_ATTEMPTS: '185',
  });

async function receiveAll(sqs: SQSClient, queueUrl: string): Promise<{ body: string; attributes: string[] }[]> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      MessageAttributeNames: ['All'],
      WaitTimeSeconds: 1,
    }),
  );
  return Messages.map((m) => ({ body: m.Body ?? '', attributes: Object.keys(m.MessageAttributes ?? {}) }));
}

describe('dlq peek', () => {
  it('shows account, region, type, severity, first/last seen and why the consumer gave up, and leaves every message visible', async () => {
    const world = await arrangeWorld(endpoint, { detectorRegions: [] });
    const sqs = world.aws().sqs;
    await sendMessages(sqs, world.queues.dlqUrl, [failedFinding('Backdoor:EC2/C&CActivity.B!DNS', '222222222222', 8)], {
      attributes: movedByConsumer(
        'rejected',
        'team-a: Slack answered 404 channel_not_found, and security 400 invalid_blocks',
        3,
      ),
    });
    await sendMessages(sqs, world.queues.dlqUrl, [
      failedFinding('Recon:EC2/Portscan', '333333333333', 5),
      '{"detail-type": "Scheduled Event"',
    ]);

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
      reason:
        'rejected after 3 receives, moved 2026-01-15T10:05:00.000Z: team-a: Slack answered 404 channel_not_found, and security 400 invalid_blocks',
      cause: {
        movedBy: 'consumer',
        kind: 'rejected',
        reason: 'team-a: Slack answered 404 channel_not_found, and security 400 invalid_blocks',
        receiveCount: 3,
        sourceMessageId: '0b6c7f1e-0000-4000-8000-00000000abcd',
        movedAt: '2026-01-15T10:05:00.000Z',
      },
    });
    expect(byType.get('Recon:EC2/Portscan')).toMatchObject({
      accountId: '333333333333',
      reason: NO_REASON_RECORDED,
      cause: { movedBy: 'sqs' },
    });
    expect(NO_REASON_RECORDED).toMatch(
      /^no reason recorded: SQS moved it .*crashed or timed out on its last receive.*consumer's logs$/,
    );
    expect(byType.get('unparsed')?.reason).toMatch(
      /^no reason recorded: .*; the body is not a finding event: body is not JSON/,
    );
    expect(await countMessages(sqs, world.queues.dlqUrl)).toEqual({ visible: 3, inFlight: 0, delayed: 0 });
    expect(second.json<PeekReport>().messages.map((m) => m.receiveCount)).toEqual([2, 2, 2]);
  });

  it('says what the consumer recorded for an invalid record, without the body parse repeating it', async () => {
    const world = await arrangeWorld(endpoint, { detectorRegions: [] });
    await sendMessages(world.aws().sqs, world.queues.dlqUrl, ['{"source": "aws.s3"}'], {
      attributes: movedByConsumer('invalid', 'source is aws.s3, not aws.guardduty', 1),
    });

    const run = await peek(world);

    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      'invalid after 1 receive, moved 2026-01-15T10:05:00.000Z: source is aws.s3, not aws.guardduty\n',
    );
  });

  it("shows EventBridge's error and the finding for a forwarder target's DLQ, read in its own region", async () => {
    // Arrange: a finding the eu-north-1 forwarder could not put on the hub bus
    const world = await arrangeWorld(endpoint, { detectorRegions: [] });
    const event = makeFindingEvent({
      detail: {
        ...forAccount('222222222222'),
        ...atSeverity(7.5),
        type: 'UnauthorizedAccess:IAMUser/MaliciousIPCaller',
        region: 'eu-north-1',
      },
    });
    const ruleArn = `arn:aws:events:eu-north-1:${world.accountId}:rule/guardduty-hub-forward`;
    const targetArn = `arn:aws:events:us-west-2:${world.accountId}:event-bus/guardduty-hub-hub`;
    const regionSqs = world.aws('eu-north-1').sqs;
    await sendMessages(regionSqs, world.targetDlqUrls['forwarder-eu-north-1']!, [JSON.stringify(event)], {
      attributes: deadLetteredByEventBridge(
        ruleArn,
        targetArn,
        'NO_PERMISSIONS',
        'Not authorized to put events on the hub bus',
      ),
    });

    // Act
    const json = await peek(world, '--queue', 'forwarder-eu-north-1', '--json');
    const text = await peek(world, '--queue', 'forwarder-eu-north-1');

    // Assert
    expect(json.exitCode).toBe(0);
    const report = json.json<PeekReport>();
    expect(report.dlq).toMatchObject({
      id: 'forwarder-eu-north-1',
      kind: 'forwarder',
      region: 'eu-north-1',
      name: 'guardduty-hub-forward-dlq',
    });
    expect(report.messages).toEqual([
      expect.objectContaining({
        findingId: event.detail.id,
        type: 'UnauthorizedAccess:IAMUser/MaliciousIPCaller',
        accountId: '222222222222',
        region: 'eu-north-1',
        cause: {
          movedBy: 'eventbridge',
          ruleArn,
          targetArn,
          errorCode: 'NO_PERMISSIONS',
          errorMessage: 'Not authorized to put events on the hub bus',
          exhaustedRetryCondition: 'MaximumEventAgeInSeconds',
          retryAttempts: 185,
        },
      }),
    ]);
    expect(text.stdout).toContain(
      'forwarder DLQ (eu-north-1) guardduty-hub-forward-dlq in eu-north-1: 1 message waiting, showing 1',
    );
    expect(text.stdout).toContain(
      `NO_PERMISSIONS: Not authorized to put events on the hub bus delivering to ${targetArn} (retries exhausted: MaximumEventAgeInSeconds, 185 attempts)`,
    );
    expect(await countMessages(regionSqs, world.targetDlqUrls['forwarder-eu-north-1']!)).toEqual({
      visible: 1,
      inFlight: 0,
      delayed: 0,
    });
  });

  it('with --all peeks every DLQ, and says in its place which one is not deployed', async () => {
    const world = await arrangeWorld(endpoint, { detectorRegions: [], withoutTargetDlqs: true });
    await sendMessages(world.aws().sqs, world.queues.dlqUrl, [failedFinding('Recon:EC2/Portscan', '333333333333', 5)]);

    const run = await peek(world, '--all', '--json');

    expect(run.exitCode).toBe(0);
    const { queues } = run.json<{ queues: (PeekReport | { queue: string; error: string })[] }>();
    expect(queues.map((q) => ('error' in q ? q.queue : q.dlq.id))).toEqual([
      'hub',
      'hub-rule',
      'forwarder-us-east-1',
      'forwarder-us-west-1',
      'forwarder-us-west-2',
      'forwarder-eu-north-1',
    ]);
    expect(queues[0]).toMatchObject({ depth: 1, messages: [expect.objectContaining({ type: 'Recon:EC2/Portscan' })] });
    expect(queues[5]).toEqual({
      queue: 'forwarder-eu-north-1',
      error: `forwarder DLQ (eu-north-1) guardduty-hub-forward-dlq not found in eu-north-1 account ${world.accountId}: has the region-eu-north-1 stack been deployed (cdktf deploy region-eu-north-1)?`,
    });
  });

  it.each([
    [
      ['--queue', 'forwarder-ap-south-1'],
      "unknown DLQ 'forwarder-ap-south-1': use one of hub, hub-rule, forwarder-us-east-1, forwarder-us-west-1, forwarder-us-west-2, forwarder-eu-north-1 (or --all)",
    ],
    [['--queue', 'hub', '--all'], 'give either --queue or --all, not both'],
  ])('refuses %j (exit 2)', async (flags, message) => {
    const world = await arrangeWorld(endpoint, { detectorRegions: [], withoutQueues: true });

    const run = await peek(world, ...flags);

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(`guardduty-hub: ${message}\n`);
  });

  it('shows at most --max distinct messages and still leaves all of them in place', async () => {
    const world = await arrangeWorld(endpoint, { detectorRegions: [] });
    const sqs = world.aws().sqs;
    await sendMessages(
      sqs,
      world.queues.dlqUrl,
      Array.from({ length: 14 }, () => failedFinding('Recon:EC2/Portscan', '333333333333', 5)),
    );

    const run = await peek(world, '--max', '12');

    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      'DLQ guardduty-hub-findings-dlq: 14 messages waiting, showing 12 (none deleted, all visible again)',
    );
    expect(run.stdout.match(/Recon:EC2\/Portscan/g)).toHaveLength(12);
    expect(await countMessages(sqs, world.queues.dlqUrl)).toEqual({ visible: 14, inFlight: 0, delayed: 0 });
  });

  it('says so when the DLQ is empty', async () => {
    const world = await arrangeWorld(endpoint, { detectorRegions: [] });

    const run = await peek(world);

    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(
      'DLQ guardduty-hub-findings-dlq: 0 messages waiting, showing 0 (none deleted, all visible again)\n',
    );
  });

  it.each(['0', '101', 'ten'])('refuses --max %s (exit 2)', async (max) => {
    const world = await arrangeWorld(endpoint, { detectorRegions: [], withoutQueues: true });

    const run = await peek(world, '--max', max);

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      `error: option '--max <n>' argument '${max}' is invalid. must be a whole number from 1 to 100`,
    );
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
    await sendMessages(
      sqsOf(world),
      world.queues.dlqUrl,
      Array.from({ length: count }, () => failedFinding('Recon:EC2/Portscan', '333333333333', 5)),
    );
    return world;
  }

  /** The CLI's SQS client: local-aws-sqs in these tests. */
  const sqsOf = (world: World) => world.clients.sqs(world.config.hub.region);

  const redrive = (world: World, flags: string[], stderrIsTTY = false) =>
    runCli(['dlq', 'redrive', '--config', world.configPath, ...flags], {
      clients: world.clients,
      sleep: quickSleep,
      stderrIsTTY,
    });

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
    expect(run.json()).toMatchObject({
      outcome: 'finished',
      task: { status: 'COMPLETED', moved: 2, toMove: 2, ratePerSecond: null },
    });
  });

  it('with --no-wait starts the move and returns; --status then lists it', async () => {
    const world = await worldWithDlq(3);

    const started = await redrive(world, ['--no-wait', '--json']);
    const listed = await redrive(world, ['--status']);

    expect(started.exitCode).toBe(0);
    expect(started.json()).toMatchObject({ outcome: 'started', task: { status: 'RUNNING', toMove: 3 } });
    expect(started.stderr).toBe('');
    expect(listed.exitCode).toBe(0);
    expect(listed.stdout).toMatch(
      /Redrive tasks from guardduty-hub-findings-dlq \(most recent first\)\n {2}status +moved +rate +started +failure\n {2}(RUNNING|COMPLETED) +\d \/ 3 +auto +\d{4}-/,
    );
  });

  it('refuses to start while another move from the DLQ is running (exit 1)', async () => {
    const world = await worldWithDlq(3);
    await redrive(world, ['--no-wait', '--rate', '1']);

    const run = await redrive(world, []);

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('a redrive is already running from the DLQ: moved ');
    expect(run.stderr).toContain(
      'guardduty-hub: another redrive is running from the DLQ; wait for it (dlq redrive --status)',
    );
  });

  it('does nothing when the DLQ is empty (exit 0)', async () => {
    const world = await worldWithDlq(0);

    const run = await redrive(world, []);

    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('nothing to redrive: DLQ guardduty-hub-findings-dlq is empty\n');
  });

  it("sends the hub rule DLQ's events to the hub queue unchanged and without attributes, deleting each once sent, and leaves a non-finding body behind (exit 1)", async () => {
    // Arrange: two findings and one event that is not a finding, as EventBridge dead-lettered them
    const world = await arrangeWorld(endpoint, { detectorRegions: [] });
    const sqs = world.aws().sqs;
    const dlqUrl = world.targetDlqUrls['hub-rule']!;
    const findings = [
      failedFinding('Recon:EC2/Portscan', '333333333333', 5),
      failedFinding('Trojan:EC2/DNSDataExfiltration', '222222222222', 8),
    ];
    const attributes = deadLetteredByEventBridge(
      `arn:aws:events:us-west-2:${world.accountId}:rule/guardduty-hub-hub/guardduty-hub-to-queue`,
      world.queues.hubArn,
      'SDK_CLIENT_ERROR',
      'Access denied',
    );
    await sendMessages(
      sqs,
      dlqUrl,
      [...findings, JSON.stringify({ source: 'aws.s3', 'detail-type': 'Object Created', detail: {} })],
      { attributes },
    );

    // Act
    const run = await redrive(world, ['--queue', 'hub-rule', '--json']);

    // Assert
    expect(run.exitCode).toBe(1);
    const result = run.json<ForwardResult>();
    expect(result).toMatchObject({
      outcome: 'forwarded',
      dlq: { id: 'hub-rule', name: 'guardduty-hub-to-queue-dlq' },
      destination: 'guardduty-hub-findings',
      toMove: 3,
      moved: 2,
      failed: 1,
    });
    expect(result.failures[0]?.reason).toMatch(/^not a GuardDuty finding event \(.+\); left in the DLQ$/);
    const delivered = await receiveAll(sqs, world.queues.hubUrl);
    expect(delivered.map((m) => m.body).sort()).toEqual([...findings].sort());
    expect(delivered.every((m) => m.attributes.length === 0)).toBe(true);
    expect(await countMessages(sqs, dlqUrl)).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
    expect(run.stderr).toContain('moved 2 / 3, 1 failed (hub-rule)\n');
    expect(run.stderr).toContain(
      'guardduty-hub: 1 event(s) in hub-rule were not sent on: not a GuardDuty finding event',
    );
  });

  it("sends a forwarder DLQ's events from their region straight to the hub queue in the hub region, at --rate, with progress", async () => {
    const world = await arrangeWorld(endpoint, { detectorRegions: [] });
    const regionSqs = world.aws('us-east-1').sqs;
    const dlqUrl = world.targetDlqUrls['forwarder-us-east-1']!;
    const bodies = Array.from({ length: 12 }, () => failedFinding('Recon:EC2/Portscan', '333333333333', 5));
    await sendMessages(regionSqs, dlqUrl, bodies);
    const slept: number[] = [];

    const run = await runCli(
      ['dlq', 'redrive', '--config', world.configPath, '--queue', 'forwarder-us-east-1', '--rate', '100'],
      {
        clients: world.clients,
        sleep: async (ms) => void slept.push(ms),
      },
    );

    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(
      'sent 12 of 12 events from guardduty-hub-forward-dlq (forwarder-us-east-1) on to guardduty-hub-findings\n',
    );
    expect(run.stderr.trimEnd().split('\n').at(-1)).toBe('moved 12 / 12 (forwarder-us-east-1)');
    expect(await countMessages(regionSqs, dlqUrl)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(await countMessages(world.aws().sqs, world.queues.hubUrl)).toEqual({ visible: 12, inFlight: 0, delayed: 0 });
    // 100 a second: a batch of n waits up to n × 10 ms, minus the time it took.
    expect(slept.length).toBeGreaterThan(0);
    expect(slept.every((ms) => ms <= 100)).toBe(true);
  });

  it('with --all moves the hub DLQ with a move task to the hub queue (records the consumer moved itself too) and sends the EventBridge DLQs on', async () => {
    // Arrange: local-aws-sqs serves every region here; one record the consumer dead-lettered itself, one event in the hub rule's DLQ
    const accountId = uniqueAccountId();
    sqsServer = await startLocalSqs({ region: 'us-west-2', accountId });
    const world = await arrangeWorld(endpoint, { accountId, sqsEndpoint: sqsServer.endpoint, detectorRegions: [] });
    const sqs = sqsOf(world);
    await sendMessages(sqs, world.queues.dlqUrl, [failedFinding('Recon:EC2/Portscan', '333333333333', 5)], {
      attributes: movedByConsumer('undelivered', 'Slack 503 on every receive', 5),
    });
    await sendMessages(sqs, world.targetDlqUrls['hub-rule']!, [
      failedFinding('Backdoor:EC2/Spambot', '222222222222', 5),
    ]);

    const run = await redrive(world, ['--all', '--json']);

    expect(run.exitCode).toBe(0);
    const { results } = run.json<{
      results: { queue: string; outcome: string; moved?: number; task?: { status: string; moved: number } }[];
    }>();
    expect(results.map((r) => [r.queue, r.outcome])).toEqual([
      ['hub', 'finished'],
      ['hub-rule', 'forwarded'],
      ['forwarder-us-east-1', 'nothing-to-redrive'],
      ['forwarder-us-west-1', 'nothing-to-redrive'],
      ['forwarder-us-west-2', 'nothing-to-redrive'],
      ['forwarder-eu-north-1', 'nothing-to-redrive'],
    ]);
    expect(results[0]?.task).toMatchObject({ status: 'COMPLETED', moved: 1 });
    expect(results[1]?.moved).toBe(1);
    expect(await countMessages(sqs, world.queues.hubUrl)).toEqual({ visible: 2, inFlight: 0, delayed: 0 });
  });

  it('refuses --status for an EventBridge DLQ, which has no move tasks (exit 2)', async () => {
    const world = await arrangeWorld(endpoint, { detectorRegions: [], withoutQueues: true });

    const run = await redrive(world, ['--queue', 'hub-rule', '--status']);

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(
      'guardduty-hub: --status lists SQS message move tasks, which only the hub DLQ has (--queue hub)\n',
    );
  });

  it('against the local AWS (moto with localaws/sqs.py move tasks), completes at once', async () => {
    const world = await arrangeWorld(endpoint, { detectorRegions: [] });
    await sendMessages(world.aws().sqs, world.queues.dlqUrl, ['{}']);

    const run = await redrive(world, []);

    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('redrive completed: moved 1 of 1 messages to guardduty-hub-findings');
  });
});
