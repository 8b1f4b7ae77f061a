import {
  ListMessageMoveTasksCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import type { PeekReport } from '../../cli/commands/dlq/index.ts';
import { DEAD_LETTER_ATTRIBUTES } from '../../shared/index.ts';
import { atSeverity, makeFindingDetail, type FindingDetail } from '../factories/index.ts';
import { awsClients, type AwsClients } from '../support/aws.ts';
import { cliClients } from '../support/cli-aws.ts';
import { runCli, writeConfigFile } from '../support/cli-run.ts';
import { startLocalSqs, type LocalSqs } from '../support/local-sqs.ts';
import { provision } from '../support/provision.ts';
import {
  MEMBER_REGION,
  deliveredIds,
  findingIdsOf,
  peekAll,
  publishFindings,
  receiveAll,
  startConsumer,
  storeWebhooks,
  useDeployedHub,
} from './harness.ts';

// When a destination keeps failing, its records end in the DLQ after `queue.maxReceiveCount`
// receives, and a DLQ redrive brings them back once it recovers.
//
// Which implementation serves what:
// - moto 5.2.5: EventBridge (buses, rules, cross-region targets), Secrets Manager, and SQS up to the
//   DLQ (its redrive policy moves a message on the receive after the last allowed one).
// - the local AWS (localaws/sqs.py) serves StartMessageMoveTask, moving everything at once (checked
//   below; test/deploy/ redrives on what Terraform created).
// - local-aws-sqs 2.0.2: SQS for the paced redrive with delivery, which moves at
//   MaxNumberOfMessagesPerSecond as AWS does. Its queues are created from the same synthesized hub
//   stack, and it moves a message to the DLQ when its last allowed visibility timeout expires.

const ctx = useDeployedHub();
let paths: Record<string, string>;

beforeEach(async () => {
  paths = await storeWebhooks(ctx.deployed, ctx.slack);
});

const ONE_HOUR_MS = 3_600_000;

/** High findings of an unlisted account: they go to `security`. */
function highFindings(count: number): FindingDetail[] {
  return Array.from({ length: count }, () => makeFindingDetail(atSeverity(8), { region: MEMBER_REGION }));
}

const idsOf = (findings: readonly FindingDetail[]): string[] => findings.map((f) => f.id).sort();

describe('a destination that keeps failing', () => {
  it('moves its records to the DLQ with the reason on their last allowed receive (moto)', async () => {
    const findings = highFindings(3);
    await publishFindings(ctx.deployed, MEMBER_REGION, findings);
    ctx.slack.setBehaviour(paths.security!, { fail5xxFor: ONE_HOUR_MS });
    const { poller } = startConsumer(ctx.deployed);

    await poller.runUntilEmpty({ timeoutMs: 30_000 });

    const receiveCounts = poller.invocations.flatMap((i) =>
      i.event.Records.map((r) => Number(r.attributes.ApproximateReceiveCount)),
    );
    expect(Math.max(...receiveCounts)).toBe(ctx.config.queue.maxReceiveCount);
    const dead = await receiveAll(ctx.deployed.hub.sqs, ctx.deployed.dlq.url);
    expect(findingIdsOf(dead)).toEqual(idsOf(findings));
    for (const message of dead) {
      expect(message.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.kind]?.StringValue).toBe('undelivered');
      expect(message.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.reason]?.StringValue).toMatch(/security/);
    }
    expect(ctx.slack.accepted()).toEqual([]);
  });

  it('moves a finding Slack refuses even as plain text at its first receive, with the reason dlq peek shows', async () => {
    const findings = highFindings(3);
    await publishFindings(ctx.deployed, MEMBER_REGION, findings);
    ctx.slack.setBehaviour(paths.security!, { refuseContaining: findings[1]!.id, refuseBody: 'invalid_blocks' });
    const { poller } = startConsumer(ctx.deployed);

    await poller.runUntilEmpty({ timeoutMs: 30_000 });
    const clients = cliClients(inject('motoEndpoint'), { accountId: ctx.config.hub.account });
    const peek = await runCli(
      ['dlq', 'peek', '--json', '--config', writeConfigFile(ctx.config as unknown as Record<string, unknown>)],
      { clients },
    );

    // The refused record is received once (others may come back on a loaded machine if their turn passed its visibility).
    const receivesOfRefused = poller.invocations.flatMap((i) =>
      i.event.Records.filter((r) => r.body.includes(findings[1]!.id)),
    );
    expect(receivesOfRefused.map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['1']);
    expect(deliveredIds(ctx.slack, paths.security!, idsOf(findings))).toEqual(idsOf([findings[0]!, findings[2]!]));
    const hubDlq = peek.json<PeekReport>();
    expect(hubDlq.messages.map((m) => [m.findingId, m.cause])).toEqual([
      [
        findings[1]!.id,
        expect.objectContaining({
          movedBy: 'consumer',
          kind: 'rejected',
          receiveCount: 1,
          reason: 'security: Slack answered 400 invalid_blocks, even as plain text',
        }),
      ],
    ]);
  });

  it('is moved back to the hub queue by a message move task on the local AWS (localaws/sqs.py)', async () => {
    const { sqs } = ctx.deployed.hub;
    await sqs.send(new SendMessageCommand({ QueueUrl: ctx.deployed.dlq.url, MessageBody: '{"dead":"letter"}' }));

    await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: ctx.deployed.dlq.arn }));

    expect((await receiveAll(sqs, ctx.deployed.queue.url)).map((m) => m.Body)).toEqual(['{"dead":"letter"}']);
    expect(await receiveAll(sqs, ctx.deployed.dlq.url)).toEqual([]);
  });
});

describe('a DLQ redrive (local-aws-sqs)', () => {
  let localSqs: LocalSqs;
  let local: AwsClients;

  beforeEach(async () => {
    localSqs = await startLocalSqs({ accountId: ctx.config.hub.account, region: ctx.config.hub.region });
    local = awsClients(localSqs.endpoint, ctx.config.hub.region);
  });
  afterEach(async () => {
    local.destroy();
    await localSqs.close();
  });

  /** The hub's queues from the synthesized hub stack, created in local-aws-sqs. */
  async function localQueues(): Promise<{ queue: { url: string; arn: string }; dlq: { url: string; arn: string } }> {
    const sqsTypes = ['aws_sqs_queue', 'aws_sqs_queue_redrive_allow_policy'];
    const created = await provision(
      ctx.stacks.filter((s) => s.name === 'hub'),
      { endpoint: localSqs.endpoint, accountId: ctx.config.hub.account, types: sqsTypes },
    );
    const outputs = created.outputs('hub');
    created.destroy();
    return {
      queue: { url: outputs.hub_queue_url!, arn: outputs.hub_queue_arn! },
      dlq: { url: outputs.dlq_url!, arn: outputs.dlq_arn! },
    };
  }

  /** Copies what EventBridge delivered to moto's hub queue into another queue, bodies unchanged. */
  async function forwardHubQueue(sqs: SQSClient, queueUrl: string): Promise<void> {
    const messages = await receiveAll(ctx.deployed.hub.sqs, ctx.deployed.queue.url);
    const entries = messages.map((message, i) => ({ Id: String(i), MessageBody: message.Body! }));
    for (let i = 0; i < entries.length; i += 10)
      await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries.slice(i, i + 10) }));
  }

  async function waitForMoveTask(sourceArn: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { Results = [] } = await local.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn }));
      if (Results[0]?.Status === 'COMPLETED') return;
      if (Date.now() > deadline)
        throw new Error(`move task not completed after ${timeoutMs} ms: ${JSON.stringify(Results)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('brings the dead-lettered records back, and they are delivered once the destination recovers', async () => {
    const { queue, dlq } = await localQueues();
    const findings = highFindings(3);
    await publishFindings(ctx.deployed, MEMBER_REGION, findings);
    await forwardHubQueue(local.sqs, queue.url);
    ctx.slack.setBehaviour(paths.security!, { fail5xxFor: ONE_HOUR_MS });
    const { poller } = startConsumer(ctx.deployed, { queue, dlqUrl: dlq.url, sqs: local.sqs });
    await poller.runUntilEmpty({ timeoutMs: 30_000 });
    expect(findingIdsOf(await peekAll(local.sqs, dlq.url))).toEqual(idsOf(findings));
    expect(deliveredIds(ctx.slack, paths.security!, idsOf(findings))).toEqual([]);

    ctx.slack.setBehaviour(paths.security!, {});
    // The consumer sent them to the DLQ itself, so they have no SQS source to go back to: name the hub queue.
    await local.sqs.send(
      new StartMessageMoveTaskCommand({
        SourceArn: dlq.arn,
        DestinationArn: queue.arn,
        MaxNumberOfMessagesPerSecond: 100,
      }),
    );
    await waitForMoveTask(dlq.arn, 15_000);
    await poller.runUntilEmpty({ timeoutMs: 15_000 });

    expect(deliveredIds(ctx.slack, paths.security!, idsOf(findings))).toEqual(idsOf(findings));
  });
});
