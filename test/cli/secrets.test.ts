import { CreateSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { describe, expect, inject, it } from 'vitest';
import type { SecretsReport } from '../../cli/commands/secrets/index.ts';
import { runCli } from '../support/cli-run.ts';
import { FakeTerminal } from '../support/cli-tty.ts';
import { arrangeWorld, type World } from '../support/cli-world.ts';

// `secrets set` and `secrets check` against moto's Secrets Manager (all calls served by moto).

const endpoint = inject('motoEndpoint');

/** A well-formed webhook URL whose token is unique per test, so that leaks are easy to spot. */
let counter = 0;
function webhookUrl(): { url: string; token: string } {
  counter += 1;
  const token = `SeCrEtToKeN${counter}x9Qz`;
  return { url: `https://hooks.slack.com/services/T0HUB${counter}/B0CLI${counter}/${token}`, token };
}

async function worldWithSecrets(...names: string[]): Promise<World> {
  const world = await arrangeWorld(endpoint, { withoutQueues: true, detectorRegions: [] });
  // As the hub stack does: the secret exists, without a value until an operator sets one.
  for (const name of names) await world.aws().secrets.send(new CreateSecretCommand({ Name: name }));
  return world;
}

const storedValue = async (world: World, secret: string) =>
  (await world.aws().secrets.send(new GetSecretValueCommand({ SecretId: secret }))).SecretString;

const set = (world: World, args: string[], stdin: string | FakeTerminal) =>
  runCli(['secrets', 'set', ...args, '--config', world.configPath], { clients: world.clients, stdin });

describe('secrets set', () => {
  it('stores the trimmed URL from stdin in the destination secret and prints the version, never the URL', async () => {
    const world = await worldWithSecrets('guardduty-hub/slack/team-a');
    const { url, token } = webhookUrl();

    const run = await set(world, ['team-a'], `  ${url}\n`);

    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^stored webhook for team-a in guardduty-hub\/slack\/team-a \(version [\w-]+\)\n$/);
    expect(run.stdout + run.stderr).not.toContain(token);
    expect(await storedValue(world, 'guardduty-hub/slack/team-a')).toBe(url);
  });

  it.each([
    ['a GovSlack webhook', 'https://hooks.slack-gov.com/services/T0GOV/B0GOV/abcDEF123'],
    ['a workflow trigger', 'https://hooks.slack.com/triggers/T0HUB/1234567890123/0a1b2c3d4e5f'],
  ])('accepts %s', async (_kind, url) => {
    const world = await worldWithSecrets('guardduty-hub/slack/security');

    const run = await set(world, ['security', '--json'], url);

    expect(run.exitCode).toBe(0);
    expect(run.json()).toMatchObject({
      destination: 'security',
      secret: 'guardduty-hub/slack/security',
      created: false,
    });
    expect(run.stdout).not.toContain(url);
    expect(await storedValue(world, 'guardduty-hub/slack/security')).toBe(url);
  });

  it('prompts on stderr at a terminal and reads the URL with echo off', async () => {
    const world = await worldWithSecrets('guardduty-hub/slack/team-a');
    const { url, token } = webhookUrl();
    const terminal = new FakeTerminal([...url.slice(0, 10), 'X', '\u007f', url.slice(10), '\r']);

    const run = await set(world, ['team-a'], terminal);

    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe('Webhook URL for team-a (input hidden): \n');
    expect(run.stdout + run.stderr).not.toContain(token);
    expect(terminal.rawWhileTyping.every(Boolean)).toBe(true);
    expect(terminal.rawMode).toBe(false);
    expect(await storedValue(world, 'guardduty-hub/slack/team-a')).toBe(url);
  });

  it('stores nothing when Ctrl-C is typed at the prompt', async () => {
    const world = await worldWithSecrets('guardduty-hub/slack/team-a');

    const run = await set(world, ['team-a'], new FakeTerminal(['https://hoo', '\u0003']));

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('guardduty-hub: cancelled: nothing stored\n');
    await expect(storedValue(world, 'guardduty-hub/slack/team-a')).rejects.toThrow(/AWSCURRENT|can't find/i);
  });

  it('refuses an unknown destination, listing the known ones (exit 2)', async () => {
    const world = await worldWithSecrets();

    const run = await set(world, ['team-b'], webhookUrl().url);

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe('guardduty-hub: unknown destination "team-b": the config defines security, team-a\n');
  });

  it.each([
    ['not a URL', 'hooks.slack.com/services/T0/B0/SeCrEtToKeN', 'the input is not a URL'],
    ['plain http', 'http://hooks.slack.com/services/T0/B0/SeCrEtToKeN', 'the URL does not use https'],
    [
      'another host',
      'https://hooks.example.com/services/T0/B0/SeCrEtToKeN',
      "the URL's host is not hooks.slack.com or hooks.slack-gov.com",
    ],
    [
      'a Slack page, not a webhook',
      'https://hooks.slack.com/apps/SeCrEtToKeN',
      'the URL path is not /services/T…/B…/… or /triggers/T…/…/…',
    ],
    [
      'a query string',
      'https://hooks.slack.com/services/T0/B0/abc?SeCrEtToKeN=1',
      'the URL carries user info, a query or a fragment',
    ],
    [
      'two URLs',
      'https://hooks.slack.com/services/T0/B0/abc\nhttps://hooks.slack.com/services/T0/B0/SeCrEtToKeN',
      'the input contains spaces or more than one line',
    ],
    ['nothing', '\n', 'the input is empty'],
  ])('refuses %s with exit 2 and a message without the input', async (_case, input, problem) => {
    const world = await worldWithSecrets('guardduty-hub/slack/team-a');

    const run = await set(world, ['team-a'], input);

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(
      `guardduty-hub: the webhook URL for team-a is not a Slack webhook: ${problem}; expected https://hooks.slack.com/services/T…/B…/…, https://hooks.slack-gov.com/services/T…/B…/… or a workflow URL https://hooks.slack.com/triggers/T…/…/…\n`,
    );
    expect(run.stdout + run.stderr).not.toContain('SeCrEtToKeN');
  });

  it('says to deploy the hub stack (or pass --create) when the secret does not exist, and --create creates it', async () => {
    const world = await worldWithSecrets();
    const { url, token } = webhookUrl();

    const refused = await set(world, ['team-a'], url);
    const created = await set(world, ['team-a', '--create'], url);

    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toBe(
      'guardduty-hub: secret guardduty-hub/slack/team-a for destination team-a does not exist in us-west-2: deploy the hub stack first (cdktf deploy hub), or pass --create to create it\n',
    );
    expect(created.exitCode).toBe(0);
    expect(created.stdout).toMatch(
      /^stored webhook for team-a in guardduty-hub\/slack\/team-a \(version [\w-]+\), secret created\n$/,
    );
    expect(refused.stderr + created.stdout + created.stderr).not.toContain(token);
    expect(await storedValue(world, 'guardduty-hub/slack/team-a')).toBe(url);
  });
});

describe('secrets check', () => {
  const check = (world: World, ...flags: string[]) =>
    runCli(['secrets', 'check', '--config', world.configPath, ...flags], { clients: world.clients });

  it('exits 0 when every destination holds a webhook URL (plain, or JSON with url as the consumer accepts)', async () => {
    const world = await worldWithSecrets();
    const secrets = world.aws().secrets;
    const first = webhookUrl();
    const second = webhookUrl();
    await secrets.send(new CreateSecretCommand({ Name: 'guardduty-hub/slack/security', SecretString: first.url }));
    await secrets.send(
      new CreateSecretCommand({
        Name: 'guardduty-hub/slack/team-a',
        SecretString: JSON.stringify({ url: second.url }),
      }),
    );

    const run = await check(world);

    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/security +guardduty-hub\/slack\/security +present +incoming-webhook/);
    expect(run.stdout).toMatch(/team-a +guardduty-hub\/slack\/team-a +present +incoming-webhook/);
    expect(run.stdout).toContain('Every destination has a webhook URL.');
    expect(run.stdout + run.stderr).not.toContain(first.token);
    expect(run.stdout + run.stderr).not.toContain(second.token);
  });

  it('reports missing and malformed secrets without their values, exit 1', async () => {
    const world = await worldWithSecrets('guardduty-hub/slack/security');
    await world.aws().secrets.send(
      new CreateSecretCommand({
        Name: 'guardduty-hub/slack/team-a',
        SecretString: 'https://example.com/SeCrEtToKeN-not-slack',
      }),
    );

    const run = await check(world, '--json');

    expect(run.exitCode).toBe(1);
    const report = run.json<SecretsReport>();
    expect(report.destinations).toEqual([
      expect.objectContaining({
        destination: 'security',
        status: 'missing',
        detail: 'the secret has no current value',
      }),
      expect.objectContaining({
        destination: 'team-a',
        status: 'malformed',
        detail: "the URL's host is not hooks.slack.com or hooks.slack-gov.com",
      }),
    ]);
    expect(report.attention).toEqual([
      'security: secret guardduty-hub/slack/security is missing (the secret has no current value); store it with `guardduty-hub secrets set security`',
      "team-a: secret guardduty-hub/slack/team-a is malformed (the URL's host is not hooks.slack.com or hooks.slack-gov.com); store it with `guardduty-hub secrets set team-a`",
    ]);
    expect(run.stdout + run.stderr).not.toContain('SeCrEtToKeN');
  });

  it("takes a loopback http webhook (the sandbox's simulator) only when delivery.allowedWebhookHosts lists its host, as the consumer does", async () => {
    const listed = await arrangeWorld(endpoint, {
      withoutQueues: true,
      detectorRegions: [],
      config: { delivery: { allowedWebhookHosts: ['127.0.0.1'] } },
    });
    const unlisted = await worldWithSecrets();
    const local = 'http://127.0.0.1:41234/services/TSANDBOX/BSANDBOX/security';
    for (const world of [listed, unlisted]) {
      await world
        .aws()
        .secrets.send(new CreateSecretCommand({ Name: 'guardduty-hub/slack/security', SecretString: local }));
      await world
        .aws()
        .secrets.send(new CreateSecretCommand({ Name: 'guardduty-hub/slack/team-a', SecretString: webhookUrl().url }));
    }

    const accepted = await check(listed, '--json');
    const refused = await check(unlisted, '--json');

    expect(accepted.exitCode).toBe(0);
    expect(accepted.json<SecretsReport>().destinations[0]).toMatchObject({
      destination: 'security',
      status: 'present',
      detail: 'allowed-host',
    });
    expect(refused.exitCode).toBe(1);
    expect(refused.json<SecretsReport>().destinations[0]).toMatchObject({
      destination: 'security',
      status: 'malformed',
    });
  });

  it('reports a secret that does not exist at all as missing', async () => {
    const world = await worldWithSecrets();

    const run = await check(world, '--json');

    expect(run.exitCode).toBe(1);
    expect(run.json<SecretsReport>().destinations.map((d) => [d.destination, d.status, d.detail])).toEqual([
      ['security', 'missing', 'the secret does not exist'],
      ['team-a', 'missing', 'the secret does not exist'],
    ]);
  });
});

describe('secrets for an app destination (bot token)', () => {
  const APP = {
    destinations: {
      'team-a': {
        webhookSecret: undefined,
        app: { botTokenSecret: 'guardduty-hub/slack/team-a-bot', channel: 'C0TEAMA001' },
      },
    },
  };
  const botToken = () => {
    counter += 1;
    return ['xoxb', '1000000001', '2000000002', `SeCrEtBoT${counter}`].join('-');
  };

  it('stores a bot token from stdin, never echoing it, and check reports it present', async () => {
    const world = await arrangeWorld(endpoint, { withoutQueues: true, detectorRegions: [], config: APP });
    await world.aws().secrets.send(new CreateSecretCommand({ Name: 'guardduty-hub/slack/team-a-bot' }));
    const token = botToken();

    const stored = await set(world, ['team-a'], `${token}\n`);
    const checked = await runCli(['secrets', 'check', '--config', world.configPath, '--json'], {
      clients: world.clients,
    });

    expect(stored.exitCode).toBe(0);
    expect(stored.stdout).toMatch(
      /^stored bot token for team-a in guardduty-hub\/slack\/team-a-bot \(version [\w-]+\)\n$/,
    );
    expect(await storedValue(world, 'guardduty-hub/slack/team-a-bot')).toBe(token);
    expect(checked.json<SecretsReport>().destinations).toContainEqual(
      expect.objectContaining({
        destination: 'team-a',
        secret: 'guardduty-hub/slack/team-a-bot',
        status: 'present',
        detail: 'bot-token',
      }),
    );
    expect(stored.stdout + stored.stderr + checked.stdout + checked.stderr).not.toContain('SeCrEtBoT');
  });

  it('refuses a user token or a webhook URL for an app destination (exit 2), never echoing it', async () => {
    const world = await arrangeWorld(endpoint, { withoutQueues: true, detectorRegions: [], config: APP });
    const userToken = ['xoxp', '1000000001', 'SeCrEtUsEr'].join('-');

    const user = await set(world, ['team-a'], userToken);
    const url = await set(world, ['team-a'], webhookUrl().url);

    expect(user.exitCode).toBe(2);
    expect(user.stderr).toContain(
      'the bot token for team-a is not a Slack bot token: the input is a user, app-level or legacy token, not a bot token',
    );
    expect(url.exitCode).toBe(2);
    expect(url.stderr).toContain(
      'the bot token for team-a is not a Slack bot token: the input does not start with xoxb-',
    );
    expect(user.stderr + url.stderr).not.toContain('SeCrEt');
  });
});
