import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { describe, expect, inject, it } from 'vitest';
import { uniqueAccountId } from '../support/aws.ts';
import { ProvisionError, provision, type StackDocument } from '../support/provision.ts';

// provision.ts refuses what it cannot create faithfully, so that the integration tests never check
// less than the synthesized stacks describe.

const endpoint = inject('motoEndpoint');
const REGION = 'us-west-2';

function stack(resource: Record<string, Record<string, Record<string, unknown>>>): StackDocument {
  return { name: 'test', json: { provider: { aws: [{ region: REGION }] }, resource } };
}

describe('provision', () => {
  it('refuses a resource argument it does not know how to create', async () => {
    const document = stack({ aws_sqs_queue: { Q: { name: 'q', fifo_throughput_limit: 'perQueue' } } });

    const attempt = provision([document], { endpoint, accountId: uniqueAccountId() });

    await expect(attempt).rejects.toThrow(/aws_sqs_queue\.Q sets fifo_throughput_limit/);
  });

  it('refuses a reference to an attribute nobody knows', async () => {
    const document = stack({
      aws_sqs_queue: { Q: { name: 'q', policy: '${aws_kms_key.K.arn}' } },
      aws_kms_key: { K: { description: 'k' } },
    });

    const attempt = provision([document], { endpoint, accountId: uniqueAccountId() });

    await expect(attempt).rejects.toBeInstanceOf(ProvisionError);
    await expect(attempt).rejects.toThrow(/cannot resolve \$\{aws_kms_key\.K\.arn\}/);
  });

  it('creates a resource after the ones it references, whatever their order in the JSON', async () => {
    const document = stack({
      aws_sqs_queue: {
        A_Main: {
          name: 'main',
          redrive_policy: '{"deadLetterTargetArn":"${aws_sqs_queue.Z_Dlq.arn}","maxReceiveCount":3}',
        },
        Z_Dlq: { name: 'dlq' },
      },
    });

    const created = await provision([document], { endpoint, accountId: uniqueAccountId() });

    const main = created.named('test', 'aws_sqs_queue', 'main');
    const { Attributes = {} } = await created
      .clients(REGION)
      .sqs.send(new GetQueueAttributesCommand({ QueueUrl: main.attributes.url, AttributeNames: ['RedrivePolicy'] }));
    expect(JSON.parse(Attributes.RedrivePolicy!)).toEqual({
      deadLetterTargetArn: created.named('test', 'aws_sqs_queue', 'dlq').attributes.arn,
      maxReceiveCount: 3,
    });
    created.destroy();
  });
});
