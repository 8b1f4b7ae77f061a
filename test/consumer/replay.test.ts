import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { createClients, withCommandContext, type AwsClients } from '../../cli/aws/index.ts';
import { main } from '../../cli/main.ts';
import {
  ReplayInputError,
  parseEventFile,
  readReplayEvents,
  runReplay,
  type ReplayEvent,
} from '../../cli/replay/index.ts';
import { staticWebhooks } from '../../destinations/slack-webhook/index.ts';
import { findingConsoleUrl } from '../../shared/index.ts';
import {
  accessKey,
  forAccount,
  makeFindingEvent,
  makeHubConfig,
  nextFindingId,
  type FindingEvent,
} from '../factories/index.ts';
import { startSlackSimulator, type SlackSimulator } from '../../devkit/slack/webhook-simulator.ts';
import { startSlackWebSimulator } from '../../devkit/slack/web-api-simulator.ts';
import { webhookPath } from '../support/consumer-harness.ts';

const FAST = { delivery: { messagesPerSecond: 50, burst: 10 } };
const TEAM_A = '222222222222';

const asEvents = (events: readonly (FindingEvent | string)[]): ReplayEvent[] =>
  events.map((event, i) => ({ body: typeof event === 'string' ? event : JSON.stringify(event), source: `event ${i}` }));
const linkOf = (event: FindingEvent) => findingConsoleUrl(event.detail.region, event.detail.id);

let simulator: SlackSimulator;
let dir: string;
beforeEach(async () => {
  simulator = await startSlackSimulator({ ratePerSecond: 50, burst: 10 });
  dir = mkdtempSync(join(tmpdir(), 'replay-test-'));
});
afterEach(async () => {
  await simulator.close();
  rmSync(dir, { recursive: true, force: true });
});

const webhooks = () =>
  staticWebhooks({ security: simulator.url(webhookPath('security')), 'team-a': simulator.url(webhookPath('team-a')) });

describe('replay inputs', () => {
  it('reads one event, a JSON array, or NDJSON from a file', () => {
    const one = JSON.stringify(makeFindingEvent());
    const array = JSON.stringify([makeFindingEvent(), makeFindingEvent()]);
    const ndjson = `${JSON.stringify(makeFindingEvent())}\n\n${JSON.stringify(makeFindingEvent())}\n`;

    expect(parseEventFile('one.json', one)).toEqual([{ body: one, source: 'one.json', parsed: JSON.parse(one) }]);
    expect(parseEventFile('array.json', array).map((e) => e.source)).toEqual(['array.json[0]', 'array.json[1]']);
    expect(parseEventFile('events.ndjson', ndjson).map((e) => e.source)).toEqual([
      'events.ndjson:1',
      'events.ndjson:3',
    ]);
  });

  it('keeps what it parsed beside the text of single events and NDJSON lines, not beside re-serialized array elements', () => {
    const ndjson = `${JSON.stringify(makeFindingEvent())}\n${JSON.stringify(makeFindingEvent())}`;
    const array = JSON.stringify([makeFindingEvent()]);

    const lines = parseEventFile('events.ndjson', ndjson);
    const elements = parseEventFile('array.json', array);

    for (const event of lines) expect(event.parsed).toEqual(JSON.parse(event.body));
    expect(elements.map((e) => e.parsed)).toEqual([undefined]);
  });

  it('names the file and line of input that is not JSON', () => {
    expect(() => parseEventFile('bad.ndjson', '{"a":1}\nnot json\n')).toThrow(ReplayInputError);
    expect(() => parseEventFile('bad.ndjson', '{"a":1}\nnot json\n')).toThrow(/^bad\.ndjson:2: /);
  });

  it('reads folders recursively, only event files', async () => {
    mkdirSync(join(dir, 'nested'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify(makeFindingEvent()));
    writeFileSync(join(dir, 'nested', 'b.jsonl'), `${JSON.stringify(makeFindingEvent())}\n`);
    writeFileSync(join(dir, 'notes.txt'), 'ignored');

    const events = await readReplayEvents([dir]);

    expect(events.map((e) => e.source.slice(dir.length + 1))).toEqual(['a.json', 'nested/b.jsonl:1']);
  });
});

describe('runReplay', () => {
  it('delivers every finding, counts skips, and dead-letters a poison record after one receive, with its reason', async () => {
    const config = makeHubConfig(FAST);
    const delivered = [makeFindingEvent(), makeFindingEvent({ detail: forAccount(TEAM_A) })];
    const archived = makeFindingEvent({ detail: { service: { archived: true } } });

    const summary = await runReplay({
      config,
      events: asEvents([...delivered, archived, 'poison']),
      webhooks: webhooks(),
      batchSize: 2,
      defaultVisibilityMs: 10,
    });

    expect(summary).toMatchObject({
      records: 4,
      delivered: 2,
      skipped: { archived: 1 },
      invalid: 1,
      deadLettered: 1,
      deadLetteredSources: ['event 3'],
      slackMessages: 2,
      slackThrottled: 0,
    });
    expect(summary.batches).toBe(2);
    expect(summary.deadLetteredReasons).toEqual([expect.stringMatching(/^invalid record: /)]);
    const all = simulator
      .accepted()
      .map((r) => r.raw)
      .join('\n');
    for (const event of delivered) expect(all).toContain(linkOf(event));
  });

  it('offers deferred records again after the visibility they asked for, and loses nothing', async () => {
    simulator.setBehaviour(webhookPath('security'), { fail5xxFor: 1_200 });
    const events = [makeFindingEvent(), makeFindingEvent()];

    const summary = await runReplay({
      config: makeHubConfig(FAST),
      events: asEvents(events),
      webhooks: webhooks(),
      invocationTimeoutMs: 700,
      safetyMarginMs: 100,
      minVisibilitySeconds: 1,
    });

    expect(summary.deadLettered).toBe(0);
    expect(summary.delivered).toBe(2);
    expect(summary.visibilityChanges).toBeGreaterThan(0);
    expect(summary.batches).toBeGreaterThan(1);
  });
});

describe('runReplay with repeats', () => {
  /** One finding published three times (counts 1, 2, 3), then the same issue from two more regions. */
  function republished(): FindingEvent[] {
    const first = makeFindingEvent();
    const again = (count: number) =>
      makeFindingEvent({ detail: { ...first.detail, service: { ...first.detail.service, count } } });
    return [first, again(2), again(3)];
  }

  it('skips re-publications with nothing new and counts them as skipped.repeat', async () => {
    const summary = await runReplay({
      config: makeHubConfig(FAST),
      events: asEvents(republished()),
      webhooks: webhooks(),
      batchSize: 1,
    });

    expect(summary).toMatchObject({
      records: 3,
      delivered: 1,
      slackMessages: 1,
      skipped: { repeat: 2 },
      repeatsEnabled: true,
      deadLettered: 0,
    });
    expect(simulator.accepted()).toHaveLength(1);
  });

  it('delivers every re-publication with repeats: false', async () => {
    const summary = await runReplay({
      config: makeHubConfig(FAST),
      events: asEvents(republished()),
      webhooks: webhooks(),
      batchSize: 1,
      repeats: false,
    });

    expect(summary).toMatchObject({ records: 3, delivered: 3, slackMessages: 3, repeatsEnabled: false });
    expect(summary.skipped.repeat).toBeUndefined();
  });

  it('sends one issue seen in three regions as one message naming them', async () => {
    const base = makeFindingEvent({ detail: accessKey({ userName: 'alice' }) });
    const events = ['us-east-1', 'us-west-2', 'eu-north-1'].map((region) =>
      makeFindingEvent({ detail: { ...base.detail, id: nextFindingId(), arn: undefined, region } }),
    );

    const summary = await runReplay({ config: makeHubConfig(FAST), events: asEvents(events), webhooks: webhooks() });

    expect(summary).toMatchObject({ delivered: 3, slackMessages: 1, deadLettered: 0 });
    expect(simulator.accepted()[0]!.raw).toContain('eu-north-1, us-east-1, us-west-2');
  });
});

describe('the replay summary', () => {
  it('counts as delivered exactly the findings the accepted Slack messages name', async () => {
    // Two finding ids of one issue from one region (GuardDuty's two issues), one from another region,
    // and an instance finding in three regions (regional: never folded).
    const key = accessKey({ userName: 'alice', accessKeyId: 'AKIAREPLAYCOUNT1' });
    const sameRegionTwice = [
      makeFindingEvent({ detail: { ...key, region: 'us-east-1' } }),
      makeFindingEvent({ detail: { ...key, region: 'us-east-1' } }),
    ];
    const otherRegion = makeFindingEvent({ detail: { ...key, region: 'eu-north-1' } });
    const instances = ['us-east-1', 'us-west-2', 'eu-north-1'].map((region) =>
      makeFindingEvent({ detail: { region } }),
    );
    const events = [...sameRegionTwice, otherRegion, ...instances];

    const summary = await runReplay({ config: makeHubConfig(FAST), events: asEvents(events), webhooks: webhooks() });

    // A message names a finding by its console link, or a copy folded into it by its region in `Regions:`.
    const messages = simulator.accepted().map((request) => request.raw);
    const linked = events.filter((event) => messages.some((raw) => raw.includes(linkOf(event))));
    const foldedCopies = messages.filter((raw) => /Regions\*?(\\n|: )eu-north-1, us-east-1/.test(raw)).length;
    expect(linked).toHaveLength(events.length - 1);
    expect(foldedCopies).toBe(1);
    expect(summary.delivered).toBe(linked.length + foldedCopies);
    // The two same-region ids never share a message.
    const sharing = simulator
      .accepted()
      .filter((request) => sameRegionTwice.every((event) => request.raw.includes(linkOf(event))));
    expect(sharing).toEqual([]);
  });
});

describe('guardduty-hub replay', () => {
  const HUB_DOC = {
    hub: { account: '111111111111', region: 'us-west-2' },
    regions: ['us-east-1', 'us-west-2'],
    defaults: { destination: 'security', minSeverity: 'medium' },
    accounts: {
      [TEAM_A]: { name: 'member1', email: 'member1@example.com', minSeverity: 'low', destination: 'team-a' },
    },
    destinations: {
      security: { webhookSecret: 'hub/slack/security' },
      'team-a': { webhookSecret: 'hub/slack/team-a' },
    },
    delivery: { messagesPerSecond: 50, burst: 10 },
  };

  /** Writes the config: {@link HUB_DOC} with top-level sections replaced by `sections`. */
  function writeConfig(sections: Record<string, unknown> = {}, file = 'hub.yml'): string {
    const path = join(dir, file);
    writeFileSync(path, stringify({ ...HUB_DOC, ...sections }));
    return path;
  }

  async function run(args: string[], env: NodeJS.ProcessEnv = {}, clients?: AwsClients) {
    let stdout = '';
    let stderr = '';
    const io = {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text), isTTY: false },
      stdin: (async function* () {})(),
    };
    // main() reports errors on the process's stderr.
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((text) => {
      stderr += String(text);
      return true;
    });
    try {
      const code = await withCommandContext({ io, env, ...(clients ? { clients } : {}) }, () =>
        main(['node', 'guardduty-hub', 'replay', ...args]),
      );
      return { code, stdout, stderr };
    } finally {
      spy.mockRestore();
    }
  }

  it('prints a JSON summary and exits 0 when nothing is dead-lettered', async () => {
    const events = join(dir, 'events.ndjson');
    writeFileSync(
      events,
      [makeFindingEvent(), makeFindingEvent({ detail: forAccount(TEAM_A) })].map((e) => JSON.stringify(e)).join('\n'),
    );

    const result = await run([
      '--config',
      writeConfig(),
      '--webhook',
      `security=${simulator.url(webhookPath('security'))}`,
      '--webhook',
      `team-a=${simulator.url(webhookPath('team-a'))}`,
      '--json',
      events,
    ]);

    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({
      records: 2,
      delivered: 2,
      skipped: {},
      deadLettered: 0,
      slackMessages: 2,
      slackThrottled: 0,
      invalid: 0,
      batches: 1,
    });
    expect(summary.elapsedMs).toEqual(expect.any(Number));
    expect(result.stderr).toBe('');
  });

  it('skips repeats by default and says how many; --no-repeats delivers every event', async () => {
    const first = makeFindingEvent();
    const again = makeFindingEvent({ detail: { ...first.detail, service: { ...first.detail.service, count: 2 } } });
    const events = join(dir, 'events.ndjson');
    writeFileSync(events, [first, again].map((e) => JSON.stringify(e)).join('\n'));
    const args = [
      '--config',
      writeConfig(),
      '--webhook',
      `security=${simulator.url(webhookPath('security'))}`,
      '--batch-size',
      '1',
    ];

    const withRepeats = await run([...args, events]);
    const withoutRepeats = await run([...args, '--no-repeats', '--json', events]);

    expect(withRepeats.code).toBe(0);
    expect(withRepeats.stdout).toContain('repeats        1 skipped');
    expect(withoutRepeats.code).toBe(0);
    expect(JSON.parse(withoutRepeats.stdout)).toMatchObject({ delivered: 2, slackMessages: 2, repeatsEnabled: false });
    expect(simulator.accepted()).toHaveLength(3);
  });

  it('exits 1 and lists the record when something is dead-lettered', async () => {
    const events = join(dir, 'events.json');
    writeFileSync(events, JSON.stringify([makeFindingEvent(), { source: 'not guardduty' }]));

    const result = await run([
      '--config',
      writeConfig(),
      '--webhook',
      `security=${simulator.url(webhookPath('security'))}`,
      '--visibility-timeout',
      '0',
      events,
    ]);

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('dead-lettered  1');
    expect(result.stdout).toContain(`${events}[1]`);
  });

  it('reads the webhook URL of a destination without --webhook from Secrets Manager, with AWS credentials', async () => {
    const clients = createClients({
      endpoint: inject('motoEndpoint'),
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      maxAttempts: 1,
    });
    const secretName = `replay-test/${Date.now()}/team-a`;
    await clients
      .secrets('us-west-2')
      .send(new CreateSecretCommand({ Name: secretName, SecretString: simulator.url(webhookPath('team-a')) }));
    const events = join(dir, 'events.json');
    writeFileSync(events, JSON.stringify(makeFindingEvent({ detail: forAccount(TEAM_A) })));
    const config = writeConfig({
      destinations: { security: HUB_DOC.destinations.security, 'team-a': { webhookSecret: secretName } },
      delivery: { ...HUB_DOC.delivery, allowedWebhookHosts: ['127.0.0.1'] },
    });

    const result = await run(
      ['--config', config, '--webhook', `security=${simulator.url(webhookPath('security'))}`, '--json', events],
      { AWS_ACCESS_KEY_ID: 'testing' },
      clients,
    );

    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`reading the webhook URL of team-a from Secrets Manager (${secretName})`);
    expect(simulator.accepted(webhookPath('team-a'))).toHaveLength(1);
  });

  it('exits 2 naming a destination the events need but no --webhook gives, without AWS credentials', async () => {
    const events = join(dir, 'events.json');
    writeFileSync(events, JSON.stringify(makeFindingEvent({ detail: forAccount(TEAM_A) })));

    const result = await run([
      '--config',
      writeConfig(),
      '--webhook',
      `security=${simulator.url(webhookPath('security'))}`,
      events,
    ]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no webhook URL for destination team-a');
    expect(simulator.requests).toHaveLength(0);
  });

  it('exits 2 for a --webhook without NAME= and never echoes the URL it was given', async () => {
    const events = join(dir, 'events.json');
    writeFileSync(events, JSON.stringify(makeFindingEvent()));
    const secretUrl = 'https://hooks.example.test/services/T000/B000/very-secret';

    const bare = await run(['--config', writeConfig(), '--webhook', secretUrl, events]);
    const noName = await run(['--config', writeConfig(), '--webhook', `=${secretUrl}`, events]);

    for (const result of [bare, noName]) {
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('--webhook must be NAME=URL');
      expect(result.stderr).not.toContain('very-secret');
    }
  });

  const writeAppConfig = () =>
    writeConfig(
      {
        defaults: { destination: 'alerts', minSeverity: 'medium' },
        accounts: {},
        destinations: { alerts: { app: { botTokenSecret: 'hub/slack/alerts-bot', channel: 'C0ALERTS01' } } },
      },
      'hub-app.yml',
    );

  it('replays to an app destination with --token and --slack-api-url, one parent per finding, never printing the token', async () => {
    const token = ['xoxb', '1000000001', '2000000002', 'replayToken'].join('-');
    const web = await startSlackWebSimulator({
      tokens: [token],
      channels: ['C0ALERTS01'],
      limits: { 'chat.postMessage': { perSecond: 50, burst: 10 } },
    });
    try {
      const events = join(dir, 'events.ndjson');
      writeFileSync(events, [makeFindingEvent(), makeFindingEvent()].map((e) => JSON.stringify(e)).join('\n'));

      const result = await run([
        '--config',
        writeAppConfig(),
        '--token',
        `alerts=${token}`,
        '--slack-api-url',
        `${web.apiUrl}/`,
        '--json',
        events,
      ]);

      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({
        records: 2,
        delivered: 2,
        deadLettered: 0,
        slackMessages: 2,
        webApiCalls: 2,
      });
      expect(web.parents('C0ALERTS01')).toHaveLength(2);
      expect(result.stdout + result.stderr).not.toContain(token);
    } finally {
      await web.close();
    }
  });

  it('exits 2 for a --token that is not a bot token or names no app destination, never echoing it', async () => {
    const events = join(dir, 'events.json');
    writeFileSync(events, JSON.stringify(makeFindingEvent()));
    const userToken = ['xoxp', '1000000001', 'secretUserToken'].join('-');

    const notBot = await run(['--config', writeAppConfig(), '--token', `alerts=${userToken}`, events]);
    const notApp = await run(['--config', writeConfig(), '--token', `security=${userToken}`, events]);
    const missing = await run(['--config', writeAppConfig(), events]);

    expect(notBot).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--token alerts: the value is not a Slack bot token (xoxb-…)'),
    });
    expect(notApp).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--token security: not an app destination in the config'),
    });
    expect(missing).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('no bot token for app destination alerts: pass --token alerts=xoxb-…'),
    });
    for (const result of [notBot, notApp]) expect(result.stderr).not.toContain('secretUserToken');
  });

  it('exits 2 for a --webhook naming an unknown destination', async () => {
    const events = join(dir, 'events.json');
    writeFileSync(events, JSON.stringify(makeFindingEvent()));

    const result = await run(['--config', writeConfig(), '--webhook', 'nowhere=https://hooks.example.test/x', events]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--webhook nowhere: not a destination');
  });
});
