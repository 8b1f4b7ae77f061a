import { CreateSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { randomBytes } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import type { SecretsReport } from '../../cli/commands/secrets/index.ts';
import { runCli } from '../support/cli-run.ts';
import { FakeTerminal } from '../support/cli-tty.ts';
import { arrangeWorld, type World } from '../support/cli-world.ts';

// `secrets set --signing-secret` and `secrets check` for the triage signing secret, against moto's Secrets Manager.

const endpoint = inject('motoEndpoint');
const SIGNING = 'guardduty-hub/slack/signing';
const BOT = 'guardduty-hub/slack/alerts-bot';
const TRIAGE = {
  destinations: { alerts: { app: { botTokenSecret: BOT, channel: 'C0ALERTS01' } } },
  triage: { signingSecret: SIGNING, allow: { archive: ['U0123ABCD9'] } },
};

/** A signing secret as Slack shows one: 32 hex characters, unique per call so that a leak is easy to spot. */
const signingSecret = (): string => randomBytes(16).toString('hex');

async function triageWorld(...existing: string[]): Promise<World> {
  const world = await arrangeWorld(endpoint, { withoutQueues: true, detectorRegions: [], config: TRIAGE });
  for (const name of existing) await world.aws().secrets.send(new CreateSecretCommand({ Name: name }));
  return world;
}

const storedValue = async (world: World, secret: string) =>
  (await world.aws().secrets.send(new GetSecretValueCommand({ SecretId: secret }))).SecretString;
const set = (world: World, args: string[], stdin: string | FakeTerminal) =>
  runCli(['secrets', 'set', ...args, '--config', world.configPath], { clients: world.clients, stdin });
const check = (world: World) =>
  runCli(['secrets', 'check', '--config', world.configPath, '--json'], { clients: world.clients });

describe('secrets set --signing-secret', () => {
  it('stores the trimmed signing secret from stdin in triage.signingSecret and never prints it', async () => {
    const world = await triageWorld(SIGNING);
    const value = signingSecret();

    const run = await set(world, ['--signing-secret'], ` ${value}\n`);

    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^stored signing secret in guardduty-hub\/slack\/signing \(version [\w-]+\)\n$/);
    expect(run.stdout + run.stderr).not.toContain(value);
    expect(await storedValue(world, SIGNING)).toBe(value);
  });

  it('prompts at a terminal with echo off, and --json says what was stored without the value', async () => {
    const world = await triageWorld(SIGNING);
    const value = signingSecret();
    const terminal = new FakeTerminal([value, '\r']);

    const run = await set(world, ['--signing-secret', '--json'], terminal);

    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe(`Slack signing secret for ${SIGNING} (input hidden): \n`);
    expect(terminal.rawWhileTyping.every(Boolean)).toBe(true);
    expect(run.json()).toEqual({
      secret: SIGNING,
      versionId: expect.any(String),
      created: false,
      kind: 'signing-secret',
    });
    expect(run.stdout + run.stderr).not.toContain(value);
  });

  it.each([
    [
      'a bot token',
      ['xoxb', '1000000001', '2000000002', 'SeCrEtBoT'].join('-'),
      'the input has characters other than 0-9 and a-f',
    ],
    ['too short', 'abcdef0123456789', 'the input has 16 characters, not 32'],
    ['two lines', `${'a'.repeat(32)}\n${'b'.repeat(32)}`, 'the input contains spaces or more than one line'],
    ['nothing', '\n', 'the input is empty'],
  ])('refuses %s with exit 2 and a message without the input', async (_case, input, problem) => {
    const world = await triageWorld(SIGNING);

    const run = await set(world, ['--signing-secret'], input);

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(
      `guardduty-hub: the input is not a Slack signing secret: ${problem}; expected 32 hexadecimal characters (Slack app → Basic Information → App Credentials → Signing Secret)\n`,
    );
    expect(run.stderr).not.toContain('SeCrEt');
  });

  it('refuses without a triage section, and with a destination as well (exit 2)', async () => {
    const plain = await arrangeWorld(endpoint, { withoutQueues: true, detectorRegions: [] });
    const world = await triageWorld(SIGNING);

    const noTriage = await set(plain, ['--signing-secret'], signingSecret());
    const both = await set(world, ['alerts', '--signing-secret'], signingSecret());
    const neither = await set(world, [], signingSecret());

    expect([noTriage.exitCode, both.exitCode, neither.exitCode]).toEqual([2, 2, 2]);
    expect(noTriage.stderr).toContain(
      'the config has no triage section, so there is no signing secret to store: add triage.signingSecret',
    );
    expect(both.stderr).toBe('guardduty-hub: give either a destination or --signing-secret, not both\n');
    expect(neither.stderr).toBe(
      'guardduty-hub: name a destination (guardduty-hub secrets set DESTINATION), or pass --signing-secret for triage\n',
    );
  });

  it('says to deploy the hub stack (or pass --create) when the secret does not exist, and --create creates it', async () => {
    const world = await triageWorld();
    const value = signingSecret();

    const refused = await set(world, ['--signing-secret'], value);
    const created = await set(world, ['--signing-secret', '--create'], value);

    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toBe(
      `guardduty-hub: secret ${SIGNING} for triage does not exist in us-west-2: deploy the hub stack first (cdktf deploy hub), or pass --create to create it\n`,
    );
    expect(created.exitCode).toBe(0);
    expect(created.stdout).toContain(', secret created');
    expect(await storedValue(world, SIGNING)).toBe(value);
  });
});

describe('secrets check with triage', () => {
  it('reports the signing secret present once stored, with nothing about it to attend to', async () => {
    const world = await triageWorld(SIGNING, BOT);
    const value = signingSecret();
    await set(world, ['--signing-secret'], value);
    await set(world, ['alerts'], ['xoxb', '1000000001', '2000000002', 'SeCrEtBoT1'].join('-'));

    const run = await check(world);

    const report = run.json<SecretsReport>();
    expect(report.signingSecret).toEqual({
      secret: SIGNING,
      status: 'present',
      detail: 'signing-secret',
      lastChangedAt: expect.any(String),
    });
    expect(report.destinations.find((d) => d.destination === 'alerts')).toMatchObject({ status: 'present' });
    expect(report.attention.filter((line) => line.startsWith('triage'))).toEqual([]);
    expect(run.stdout).not.toContain(value);
  });

  it('reports a missing or malformed signing secret with the command that fixes it, exit 1', async () => {
    const empty = await triageWorld(SIGNING, BOT);
    const wrong = await triageWorld(BOT);
    await wrong.aws().secrets.send(new CreateSecretCommand({ Name: SIGNING, SecretString: 'SeCrEt-not-hex' }));

    const [missing, malformed] = [await check(empty), await check(wrong)];

    expect([missing.exitCode, malformed.exitCode]).toEqual([1, 1]);
    expect(missing.json<SecretsReport>().attention).toContain(
      `triage: signing secret ${SIGNING} is missing (the secret has no current value); store it with \`guardduty-hub secrets set --signing-secret\``,
    );
    expect(malformed.json<SecretsReport>().signingSecret).toMatchObject({
      status: 'malformed',
      detail: 'the input has characters other than 0-9 and a-f',
    });
    expect(malformed.stdout).not.toContain('SeCrEt');
  });

  it('has no signing secret entry without triage', async () => {
    const world = await arrangeWorld(endpoint, { withoutQueues: true, detectorRegions: [] });

    expect((await check(world)).json<SecretsReport>().signingSecret).toBeUndefined();
  });
});
