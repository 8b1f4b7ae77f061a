import type { ValidateFunction } from 'ajv';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TeamsPayload } from '../../../destinations/teams/index.ts';
import type { HubConfig } from '../../../shared/index.ts';
import { startWorkflowSimulator, type WorkflowSimulator } from '../../../devkit/teams/workflow-simulator.ts';
import {
  atSeverity,
  forAccount,
  makeFindingEvent,
  makeHubConfig,
  makeSqsRecord,
  type DetailOverrides,
} from '../../factories/index.ts';
import { adaptiveCardValidator } from '../../support/adaptive-card-schema.ts';
import { startConsumerHarness, type ConsumerHarness } from '../../support/consumer-harness.ts';
import { FAST_SIMULATOR, linkOf } from '../repeats-handler-support.ts';
import { cardTexts, expectValidMessage } from './card-support.ts';

// A Teams destination through the real handler: its Workflows URL comes from the secret reader
// (HandlerOptions.secrets), the cards go to the project's Workflows simulator on loopback (allowed by
// delivery.allowedWebhookHosts), and the default destination stays a Slack webhook on the Slack simulator.

const TEAMS_ACCOUNT = '555555555555';
const SECRET = 'guardduty-hub/teams/secops';
const PATH = '/powerautomate/automations/direct/workflows/0a1b/triggers/manual/paths/invoke';
/** The part of the URL that grants posting: it must never show in a log, a metric or a DLQ reason. */
const SIG = 'sig-TOPSECRET-4d9f';

function teamsConfig(): HubConfig {
  return makeHubConfig({
    delivery: { messagesPerSecond: 50, burst: 10, allowedWebhookHosts: ['127.0.0.1'] },
    accounts: { [TEAMS_ACCOUNT]: { name: 'teams-account', minSeverity: 'low', destination: 'secops' } },
    destinations: {
      security: { webhookSecret: 'guardduty-hub/slack/security' },
      secops: { type: 'teams', workflowUrlSecret: SECRET },
    },
  });
}

let harness: ConsumerHarness | undefined;
let teams: WorkflowSimulator | undefined;
let validate: ValidateFunction;

beforeAll(async () => {
  validate = await adaptiveCardValidator('1.4');
});

afterEach(async () => {
  await harness?.close();
  await teams?.close();
  harness = undefined;
  teams = undefined;
});

async function start(ratePerSecond = 50): Promise<{ harness: ConsumerHarness; teams: WorkflowSimulator }> {
  teams = await startWorkflowSimulator({ ratePerSecond, burst: 10 });
  const url = `${teams.url(PATH)}?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${SIG}`;
  harness = await startConsumerHarness(teamsConfig(), FAST_SIMULATOR, {
    secrets: async (secretId) => (secretId === SECRET ? url : undefined),
  });
  return { harness, teams };
}

const teamsFinding = (...overrides: DetailOverrides[]) =>
  makeFindingEvent({ detail: Object.assign({}, forAccount(TEAMS_ACCOUNT), ...overrides) });

function everythingLogged(h: ConsumerHarness): string {
  return `${h.captured.text()}\n${JSON.stringify(h.deadLetters)}`;
}

describe('a Teams destination through the real handler', () => {
  it('receives a finding as one valid Adaptive Card linking to it', async () => {
    const { harness, teams } = await start();
    const event = teamsFinding(atSeverity(8));

    const response = await harness.invoke([makeSqsRecord(event)]);

    expect(response.batchItemFailures).toEqual([]);
    const [posted] = teams.accepted(PATH);
    const card = expectValidMessage(posted!.body as TeamsPayload, validate);
    expect(cardTexts(card).join('\n')).toContain(linkOf(event));
    expect(harness.received('security')).toEqual([]);
    expect(harness.captured.metric('FindingsDelivered')).toBe(1);
    expect(everythingLogged(harness)).not.toContain(SIG);
  });

  it('turns a storm into digest cards that name every finding', async () => {
    const { harness, teams } = await start();
    const events = Array.from({ length: 30 }, (_, i) => teamsFinding(atSeverity(1 + (i % 9))));

    const response = await harness.invoke(events.map((event) => makeSqsRecord(event)));

    expect(response.batchItemFailures).toEqual([]);
    const posted = teams.accepted(PATH).map((request) => request.body as TeamsPayload);
    expect(posted).toHaveLength(2); // maxFindingsPerMessage 20
    const texts = posted.flatMap((payload) => cardTexts(expectValidMessage(payload, validate))).join('\n');
    for (const event of events) expect(texts).toContain(linkOf(event));
    expect(harness.captured.metric('FindingsDelivered')).toBe(30);
  });

  it('fails a deleted flow over to the default destination once, with a note saying why', async () => {
    const { harness, teams } = await start();
    teams.behave(PATH, { gone: 404 });
    const event = teamsFinding();

    const response = await harness.invoke([makeSqsRecord(event)]);

    expect(response.batchItemFailures).toEqual([]);
    const security = harness.received('security');
    expect(security).toHaveLength(1);
    expect(security[0]).toContain(String(event.detail.id));
    expect(security[0]).toContain('Sent here because the Teams workflow of secops answered 404 WorkflowNotFound');
    expect(teams.requests(PATH)).toHaveLength(1);
    expect(everythingLogged(harness)).not.toContain(SIG);
  });

  it('dead-letters a card Teams refuses in every form at once, with its reason, and delivers the rest', async () => {
    const { harness, teams } = await start();
    const refused = teamsFinding();
    const fine = teamsFinding();
    teams.behave(PATH, { refuseContaining: String(refused.detail.id) });
    const records = [makeSqsRecord(refused), makeSqsRecord(fine)];

    const response = await harness.invoke(records);

    expect(response.batchItemFailures).toEqual([]);
    expect(harness.deadLetters.map((letter) => [letter.sourceMessageId, letter.kind, letter.reason])).toEqual([
      [
        records[0]!.messageId,
        'rejected',
        'secops: Teams answered 400 (TriggerInputSchemaMismatch), even as the plain card',
      ],
    ]);
    const tried = teams.requests(PATH).filter((request) => request.raw.includes(String(refused.detail.id)));
    expect(tried.map((request) => request.status)).toEqual([400, 400]); // the card, then the plain card
    expect(teams.accepted(PATH).map((request) => request.raw.includes(String(fine.detail.id)))).toEqual([true]);
    expect(everythingLogged(harness)).not.toContain(SIG);
  });

  it('honours a 429 with its Retry-After, then delivers', async () => {
    const { harness, teams } = await start();
    teams.behave(PATH, { throttleNext: 1, retryAfterSeconds: 1 });

    const response = await harness.invoke([makeSqsRecord(teamsFinding())]);

    expect(response.batchItemFailures).toEqual([]);
    const [throttled, accepted] = teams.requests(PATH);
    expect([throttled?.status, accepted?.status]).toEqual([429, 202]);
    expect(accepted!.receivedAtMs - throttled!.receivedAtMs).toBeGreaterThanOrEqual(1_000);
    expect(harness.captured.metric('SlackThrottled')).toBe(1);
  });

  it('hands a finding back while the flow answers 5xx, and never posts it elsewhere', async () => {
    const { harness, teams } = await start();
    teams.behave(PATH, { fail5xxFor: 60_000 });
    const record = makeSqsRecord(teamsFinding());

    const response = await harness.invoke([record], 1_500);

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(harness.received('security')).toEqual([]);
    expect(harness.deadLetters).toEqual([]);
  });
});

describe('a Teams Workflows URL the hub will not post to', () => {
  it('fails its findings over with a note naming the host, never the URL, and counts it', async () => {
    teams = await startWorkflowSimulator();
    const url = `https://teams.attacker.example/workflows/a/triggers/manual/paths/invoke?sig=${SIG}`;
    harness = await startConsumerHarness(teamsConfig(), FAST_SIMULATOR, {
      secrets: async (secretId) => (secretId === SECRET ? url : undefined),
    });
    const event = teamsFinding();

    const response = await harness.invoke([makeSqsRecord(event)]);

    expect(response.batchItemFailures).toEqual([]);
    const [security] = harness.received('security');
    expect(security).toContain(String(event.detail.id));
    expect(security).toContain('host teams.attacker.example is not a Teams Workflows host');
    expect(harness.captured.metric('WebhookRefused')).toBe(1);
    expect(`${everythingLogged(harness)}\n${security}`).not.toContain(SIG);
  });
});
