import { GetQueueAttributesCommand, SendMessageCommand, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import { describe, expect, inject, test } from 'vitest';
import { loadConfig, type HubConfig } from '../../shared/index.ts';
import { atSeverity, forAccount, makeFindingDetail, makeHubConfig } from '../factories/index.ts';
import { uniqueAccountId } from '../support/aws.ts';
import { startSlackSimulator } from '../../devkit/slack/webhook-simulator.ts';
import { deliveredIds, publishFindings, startConsumer, storeWebhooks } from '../integration/harness.ts';
import { terraformDeployment, type TerraformDeployment } from './terraform-hub.ts';

// Real `terraform init` (offline, from the provider mirror), `apply`, `plan -detailed-exitcode` and
// `destroy` of every synthesized stack, in cdktf.out/stacks/<name>, against the local AWS
// (localaws/: moto plus the handlers it lacks), with only AWS_ENDPOINT_URL, an access key of the
// stack's account and AWS_REGION. The three configs run side by side: the provider's SQS waits
// (attributes must read back unchanged 6 times, 5 s apart) dominate, not CPU. Never skipped: without
// terraform or the mirror, terraformRunner() throws and the test fails saying what to install.

const endpoint = inject('motoEndpoint');
const DEPLOY_TIMEOUT_MS = 9 * 60_000;

/** config/example.yml, in an account of its own. */
function exampleConfig(): HubConfig {
  const example = loadConfig('config/example.yml');
  return { ...example, hub: { ...example.hub, account: uniqueAccountId() } };
}

/** Four regions none of the others use, three members spread over them; a Slack app destination with triage (the function URL endpoint). */
function fourRegionConfig(): HubConfig {
  return makeHubConfig({
    hub: { account: uniqueAccountId(), region: 'eu-west-1' },
    regions: ['eu-west-1', 'ap-southeast-2', 'us-east-2', 'ca-central-1'],
    guardduty: { mode: 'invitation' },
    destinations: {
      security: { webhookSecret: 'guardduty-hub/slack/security' },
      'team-a': { webhookSecret: 'guardduty-hub/slack/team-a' },
      alerts: { app: { botTokenSecret: 'guardduty-hub/slack/alerts-bot', channel: 'C0ALERTS01' } },
    },
    triage: { signingSecret: 'guardduty-hub/slack/signing', allow: { archive: ['U0123ABCD9'] } },
    accounts: {
      '222222222222': {
        name: 'member1',
        email: 'm1@example.com',
        regions: ['ap-southeast-2', 'us-east-2'],
        destination: 'team-a',
      },
      '333333333333': { name: 'member2', email: 'm2@example.com' },
      '444444444444': { name: 'member3', email: 'm3@example.com', regions: ['ca-central-1'] },
    },
  });
}

/** Organization mode: the `org` stack in the management account, first. */
function organizationConfig(): HubConfig {
  return makeHubConfig({
    hub: { account: uniqueAccountId(), region: 'us-east-1' },
    regions: ['us-east-1', 'eu-central-1'],
    guardduty: { mode: 'organization', managementAccount: uniqueAccountId(), autoEnable: 'ALL' },
  });
}

/** Applies, checks state against the synthesized resources and an empty plan, runs `during`, destroys. */
async function deployPlanDestroy(
  deployment: TerraformDeployment,
  during: () => Promise<void> = async () => undefined,
): Promise<void> {
  try {
    await deployment.apply();
    const state = await deployment.state();
    for (const stack of deployment.stacks) expect(state[stack.name], stack.name).toHaveLength(stack.resources);

    expect(Object.keys(await deployment.plannedChanges())).toEqual([]);
    await during();

    await deployment.destroy();
    const after = await deployment.state();
    expect(Object.values(after).flat()).toEqual([]);
  } finally {
    deployment.cleanUp();
  }
}

describe.concurrent('terraform apply, plan and destroy on the local AWS', () => {
  test('the example config: every stack applies, plans empty, carries a finding to Slack and a bad record to the DLQ and back, and destroys', {
    timeout: DEPLOY_TIMEOUT_MS,
  }, async () => {
    const deployment = terraformDeployment(endpoint, exampleConfig());
    const slack = await startSlackSimulator({ ratePerSecond: 50, burst: 20 });
    try {
      await deployPlanDestroy(deployment, async () => {
        const hub = await deployment.hub();
        const paths = await storeWebhooks(hub, slack);
        const finding = makeFindingDetail(atSeverity(5), forAccount('222222222222'), { region: 'us-west-1' });

        await publishFindings(hub, 'us-west-1', [finding]);
        await hub.hub.sqs.send(new SendMessageCommand({ QueueUrl: hub.queue.url, MessageBody: '{"not":"a finding"}' }));
        // A receive visibility longer than an invocation: each record is received once (the invalid one moved once).
        await startConsumer(hub, { visibilityTimeoutSeconds: 30 }).poller.runUntilEmpty({ timeoutMs: 60_000 });

        expect(deliveredIds(slack, paths['team-a']!, [finding.id])).toEqual([finding.id]);
        expect(await depth(hub, hub.dlq.url)).toBe(1);
        // The consumer moved it itself, so there is no SQS source to return to: name the hub queue, as dlq redrive does.
        await hub.hub.sqs.send(
          new StartMessageMoveTaskCommand({ SourceArn: hub.dlq.arn, DestinationArn: hub.queue.arn }),
        );
        expect([await depth(hub, hub.dlq.url), await depth(hub, hub.queue.url)]).toEqual([0, 1]);
      });
    } finally {
      await slack.close();
    }
  });

  test('a 4-region invitation config with triage: members in every region and the triage endpoint apply, plan empty and destroy', {
    timeout: DEPLOY_TIMEOUT_MS,
  }, async () => {
    const deployment = terraformDeployment(endpoint, fourRegionConfig());
    expect(deployment.stacks.map((s) => s.name)).toEqual([
      'hub',
      'region-eu-west-1',
      'region-ap-southeast-2',
      'region-us-east-2',
      'region-ca-central-1',
    ]);

    await deployPlanDestroy(deployment, async () => {
      const hub = (await deployment.state()).hub ?? [];
      expect(hub.filter((address) => /^aws_lambda_(function_url|permission)\.Triage_/.test(address)).sort()).toEqual([
        expect.stringMatching(/^aws_lambda_function_url\.Triage_Url_/),
        expect.stringMatching(/^aws_lambda_permission\.Triage_PublicInvoke_/),
        expect.stringMatching(/^aws_lambda_permission\.Triage_PublicUrl_/),
      ]);
    });
  });

  test('organization mode: org in the management account first, then hub and regions; plans empty and destroys', {
    timeout: DEPLOY_TIMEOUT_MS,
  }, async () => {
    const config = organizationConfig();
    const deployment = terraformDeployment(endpoint, config);
    expect(deployment.stacks.find((s) => s.name === 'org')?.account).toBe(config.guardduty.managementAccount);

    await deployPlanDestroy(deployment);
  });
});

async function depth(hub: Awaited<ReturnType<TerraformDeployment['hub']>>, url: string): Promise<number> {
  const { Attributes } = await hub.hub.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}
