import { afterEach, describe, expect, it } from 'vitest';
import {
  WebhookRefusedError,
  secretsManagerWebhooks,
  staticWebhooks,
  webhookUrlRefusal,
} from '../../destinations/slack-webhook/index.ts';
import { METRIC_NAMES } from '../../shared/telemetry.ts';
import { forAccount, makeFindingEvent, makeHubConfig, makeSqsRecord } from '../factories/index.ts';
import { startConsumerHarness, webhookPath, type ConsumerHarness } from '../support/consumer-harness.ts';

// Item 9 of issue 10: a URL read from a secret is used only when it is https to Slack's webhook hosts
// or to a host delivery.allowedWebhookHosts names; a refused destination fails over to the default,
// is counted in WebhookRefused and logged by name and reason, never with its URL.

const TEAM_A = '222222222222';
const SECRET_PATH = '/services/T0LEAK/B0LEAK/secret-leak-token';

describe('which webhook URLs a secret may hold', () => {
  it.each([
    ['https://hooks.slack.com/services/T0/B0/x', [], undefined],
    ['https://hooks.slack-gov.com/services/T0/B0/x', [], undefined],
    ['https://hooks.example.com/services/T0/B0/x', ['hooks.example.com'], undefined],
    ['http://127.0.0.1:4567/services/T0/B0/x', ['127.0.0.1'], undefined],
    ['http://hooks.slack.com/services/T0/B0/x', [], /is http, not https/],
    ['http://hooks.example.com/services/T0/B0/x', ['hooks.example.com'], /is http, not https/],
    ['http://127.0.0.1:4567/services/T0/B0/x', [], /is http, not https/],
    [
      'https://attacker.example.net/services/T0/B0/x',
      [],
      /^host attacker\.example\.net is not a Slack webhook host \(hooks\.slack\.com, hooks\.slack-gov\.com\) and not listed in delivery\.allowedWebhookHosts$/,
    ],
    [
      'https://hooks.slack.com.attacker.example.net/services/x',
      [],
      /host hooks\.slack\.com\.attacker\.example\.net is not/,
    ],
    ['https://sub.hooks.example.com/services/x', ['hooks.example.com'], /host sub\.hooks\.example\.com is not/],
    ['https://hooks.slack.com@attacker.example.net/services/x', [], /user name or password/],
    ['ftp://hooks.slack.com/services/x', [], /scheme ftp: is not https/],
    ['not a url', [], /not a URL/],
  ] as const)('%s with allowed hosts %j', (url, allowed, refusal) => {
    const reason = webhookUrlRefusal(url, allowed);

    if (refusal === undefined) expect(reason).toBeUndefined();
    else expect(reason).toMatch(refusal);
    expect(reason ?? '').not.toContain('/services/');
  });

  it('refuses a secret’s URL for good, naming the destination and the secret but not the URL', async () => {
    const webhooks = secretsManagerWebhooks(
      { a: { webhookSecret: 'hub/slack/a' } },
      async () => `https://attacker.example.net${SECRET_PATH}`,
    );

    const error = await webhooks.webhookUrl('a').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(WebhookRefusedError);
    expect(error).toMatchObject({
      destination: 'a',
      permanent: true,
      reason: expect.stringContaining('attacker.example.net'),
    });
    expect((error as Error).message).toMatch(
      /^a: cannot read the webhook URL: secret hub\/slack\/a holds a URL the consumer refuses: host attacker/,
    );
    expect(JSON.stringify({ ...(error as object), message: (error as Error).message })).not.toContain(SECRET_PATH);
  });

  it('uses any URL a person gives explicitly (replay --webhook NAME=URL)', async () => {
    await expect(staticWebhooks({ a: 'http://10.0.0.7:8080/hook' }).webhookUrl('a')).resolves.toBe(
      'http://10.0.0.7:8080/hook',
    );
  });
});

describe('a destination whose secret holds a refused URL', () => {
  let harness: ConsumerHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  const config = makeHubConfig({ delivery: { messagesPerSecond: 50, burst: 20 } });

  /** The harness with webhooks read from "secrets": `values` by destination, the simulator's loopback host allowed. */
  async function withSecrets(values: (simulatorUrl: (destination: string) => string) => Record<string, string>) {
    let current: Record<string, string> = {};
    const reasons = new Map<string, string>();
    harness = await startConsumerHarness(
      config,
      { ratePerSecond: 50, burst: 20 },
      {
        webhooks: secretsManagerWebhooks(
          config.destinations,
          async (secretId) =>
            current[Object.entries(config.destinations).find(([, d]) => d.webhookSecret === secretId)![0]],
          { allowedHosts: ['127.0.0.1'] },
        ),
        onBatch: (result) => {
          for (const [id, failure] of result.failures) reasons.set(id, failure.reason);
          for (const letter of result.deadLettered) reasons.set(letter.messageId, letter.reason);
        },
      },
    );
    const simulator = harness.simulator;
    current = values((destination) => simulator.url(webhookPath(destination)));
    return { harness, reasons, setSecrets: (next: Record<string, string>) => (current = next) };
  }

  it.each([
    [
      'a foreign host',
      `https://attacker.example.net${SECRET_PATH}`,
      'host attacker.example.net is not a Slack webhook host',
    ],
    ['plain http to Slack', `http://hooks.slack.com${SECRET_PATH}`, 'the URL is http, not https'],
  ])(
    'fails over to the default destination when the secret holds %s, counted and logged without the URL',
    async (_what, refusedUrl, reason) => {
      const { harness, reasons } = await withSecrets((url) => ({ security: url('security'), 'team-a': refusedUrl }));
      const event = makeFindingEvent({ detail: forAccount(TEAM_A) });

      const response = await harness.invoke([makeSqsRecord(event)]);

      expect(response.batchItemFailures).toEqual([]);
      expect(reasons.size).toBe(0);
      const [delivered] = harness.received('security');
      expect(delivered).toContain(event.detail.id);
      expect(delivered).toContain(`Sent here because the webhook of team-a was refused: ${reason}`);
      expect(harness.captured.metric(METRIC_NAMES.webhookRefused)).toBe(1);
      expect(
        harness.captured.logs().find((l) => l.message === 'Refusing the webhook URL of a destination'),
      ).toMatchObject({
        level: 'ERROR',
        destination: 'team-a',
        reason: expect.stringContaining(reason),
      });
      expect(harness.captured.text()).not.toContain(SECRET_PATH);
      expect(harness.simulator.requests.map((r) => r.raw).join('\n')).not.toContain(SECRET_PATH);
    },
  );

  it('dead-letters the records with a URL-free reason when the default destination is refused too, and reads the secrets again next time', async () => {
    const { harness, reasons, setSecrets } = await withSecrets(() => ({
      security: `https://attacker.example.net${SECRET_PATH}`,
      'team-a': `http://hooks.slack.com${SECRET_PATH}`,
    }));
    const record = makeSqsRecord(makeFindingEvent({ detail: forAccount(TEAM_A) }));

    const refused = await harness.invoke([record]);
    setSecrets({
      security: harness.simulator.url(webhookPath('security')),
      'team-a': harness.simulator.url(webhookPath('team-a')),
    });
    const fixed = await harness.invoke([makeSqsRecord(makeFindingEvent({ detail: forAccount(TEAM_A) }))]);

    expect(refused.batchItemFailures).toEqual([]);
    expect(harness.deadLetters.map((letter) => [letter.sourceMessageId, letter.kind])).toEqual([
      [record.messageId, 'rejected'],
    ]);
    expect(reasons.get(record.messageId)).toMatch(
      /^security: cannot read the webhook URL: secret guardduty-hub\/slack\/security holds a URL the consumer refuses: host attacker\.example\.net/,
    );
    expect([...reasons.values()].join('\n')).not.toContain(SECRET_PATH);
    expect(harness.captured.emf()[0]).toMatchObject({ [METRIC_NAMES.webhookRefused]: 2 });
    expect(harness.captured.text()).not.toContain(SECRET_PATH);
    expect(fixed.batchItemFailures).toEqual([]);
    expect(harness.received('team-a')).toHaveLength(1);
  });
});
