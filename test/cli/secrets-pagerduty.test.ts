import { CreateSecretCommand, GetSecretValueCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { randomBytes } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import type { SecretsReport } from '../../cli/commands/secrets/index.ts';
import { runCli } from '../support/cli-run.ts';
import { FakeTerminal } from '../support/cli-tty.ts';
import { arrangeWorld, type World } from '../support/cli-world.ts';

// `secrets set` and `secrets check` for a PagerDuty destination's routing key, against moto's Secrets Manager.

const endpoint = inject('motoEndpoint');
const ONCALL = 'guardduty-hub/pagerduty/oncall';
const JSON_SECRET = 'guardduty-hub/pagerduty/json';
const PAGER = {
  destinations: {
    oncall: { type: 'pagerduty', routingKeySecret: ONCALL },
    json: { type: 'pagerduty', routingKeySecret: JSON_SECRET },
  },
};

/** A routing key as PagerDuty shows one: 32 letters and digits, unique per call so that a leak is easy to spot. */
const routingKey = (): string => randomBytes(16).toString('hex');

async function pagerWorld(...existing: string[]): Promise<World> {
  const world = await arrangeWorld(endpoint, { withoutQueues: true, detectorRegions: [], config: PAGER });
  for (const name of existing) await world.aws().secrets.send(new CreateSecretCommand({ Name: name }));
  return world;
}

const set = (world: World, args: string[], stdin: string | FakeTerminal) =>
  runCli(['secrets', 'set', ...args, '--config', world.configPath], { clients: world.clients, stdin });
const check = (world: World) =>
  runCli(['secrets', 'check', '--config', world.configPath, '--json'], { clients: world.clients });

describe('secrets set and check for a PagerDuty destination', () => {
  it('stores the routing key from stdin, never echoing it, and check reports it present', async () => {
    const world = await pagerWorld(ONCALL);
    const key = routingKey();

    const stored = await set(world, ['oncall'], `  ${key}\n`);
    const checked = await check(world);

    expect(stored.exitCode).toBe(0);
    expect(stored.stdout).toMatch(
      /^stored routing key for oncall in guardduty-hub\/pagerduty\/oncall \(version [\w-]+\)\n$/,
    );
    expect((await world.aws().secrets.send(new GetSecretValueCommand({ SecretId: ONCALL }))).SecretString).toBe(key);
    expect(checked.json<SecretsReport>().destinations).toContainEqual(
      expect.objectContaining({ destination: 'oncall', secret: ONCALL, status: 'present', detail: 'routing-key' }),
    );
    expect(stored.stdout + stored.stderr + checked.stdout + checked.stderr).not.toContain(key);
  });

  it('prompts for a routing key at a terminal, with echo off', async () => {
    const world = await pagerWorld(ONCALL);
    const key = routingKey();
    const terminal = new FakeTerminal([...key, '\r']);

    const run = await set(world, ['oncall'], terminal);

    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe('PagerDuty routing key (32 characters) for oncall (input hidden): \n');
    expect(terminal.rawWhileTyping.every(Boolean)).toBe(true);
  });

  it.each([
    ['too short', 'abc123', 'the input has 6 characters, not 32'],
    ['a URL', 'https://events.pagerduty.com/v2/enqueue', 'the input is a URL, not a routing key'],
    ['not letters and digits', `${'a'.repeat(31)}-`, 'the input has characters other than letters and digits'],
  ])('refuses a key that is %s (exit 2), never echoing it', async (_, input, problem) => {
    const world = await pagerWorld(ONCALL);

    const run = await set(world, ['oncall'], input);

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`the routing key for oncall is not a PagerDuty routing key: ${problem}`);
    expect(run.stderr).not.toContain(input);
  });

  it('reports a malformed or empty routing key with the command that fixes it (exit 1), and takes one in JSON', async () => {
    const world = await pagerWorld(ONCALL, JSON_SECRET);
    const { secrets } = world.aws();
    await secrets.send(new PutSecretValueCommand({ SecretId: ONCALL, SecretString: 'SeCrEt-not-a-key' }));
    await secrets.send(
      new PutSecretValueCommand({ SecretId: JSON_SECRET, SecretString: JSON.stringify({ routingKey: routingKey() }) }),
    );

    const run = await check(world);

    expect(run.exitCode).toBe(1);
    const report = run.json<SecretsReport>();
    expect(report.destinations).toContainEqual(
      expect.objectContaining({
        destination: 'oncall',
        status: 'malformed',
        detail: 'the input has characters other than letters and digits',
      }),
    );
    expect(report.destinations).toContainEqual(expect.objectContaining({ destination: 'json', status: 'present' }));
    expect(report.attention).toContain(
      'oncall: secret guardduty-hub/pagerduty/oncall is malformed (the input has characters other than letters and digits); store it with `guardduty-hub secrets set oncall`',
    );
    expect(run.stdout + run.stderr).not.toContain('SeCrEt');
  });
});
