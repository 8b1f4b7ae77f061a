import { CreateSecretCommand, GetSecretValueCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import type { SecretsReport } from '../../cli/commands/secrets/index.ts';
import { TEAMS_ARGUMENT, parseGivenSecrets, replayGivenSecrets } from '../../cli/replay/index.ts';
import { validateConfig } from '../../shared/index.ts';
import { baseRawConfig, deepMerge, forAccount, makeFindingEvent } from '../factories/index.ts';
import { runCli } from '../support/cli-run.ts';
import { arrangeWorld, type World } from '../support/cli-world.ts';

// The CLI's part of Teams destinations: `secrets set NAME` checks and stores a Workflows URL,
// `secrets check` judges it, `replay --teams NAME=URL` hands it to the consumer as that destination's
// secret, and `preview` prints the Workflows message with its Adaptive Card. The URL is never printed.

const endpoint = inject('motoEndpoint');
const SECRET = 'guardduty-hub/teams/secops';
const SIG = 'sIg0TeAmS9x';
const GOOD = `https://prod-27.westus.logic.azure.com:443/workflows/0a1b/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${SIG}`;
const TEAMS_CONFIG = {
  accounts: {
    '555555555555': {
      name: 'teams-account',
      email: 'aws+teams@example.com',
      minSeverity: 'low',
      destination: 'secops',
    },
  },
  destinations: { secops: { type: 'teams', workflowUrlSecret: SECRET } },
};

async function world(): Promise<World> {
  const w = await arrangeWorld(endpoint, { withoutQueues: true, detectorRegions: [], config: TEAMS_CONFIG });
  await w.aws().secrets.send(new CreateSecretCommand({ Name: SECRET }));
  return w;
}

const run = (w: World, args: string[], stdin = '') =>
  runCli([...args, '--config', w.configPath], { clients: w.clients, stdin });

describe('secrets set and check for a Teams destination', () => {
  it('stores a Workflows URL from stdin and says so, never printing it', async () => {
    const w = await world();

    const set = await run(w, ['secrets', 'set', 'secops'], `${GOOD}\n`);

    expect(set.exitCode).toBe(0);
    expect(set.stdout).toMatch(
      /^stored Workflows URL for secops in guardduty-hub\/teams\/secops \(version [\w-]+\)\n$/,
    );
    expect(set.stdout + set.stderr).not.toContain(SIG);
    const stored = await w.aws().secrets.send(new GetSecretValueCommand({ SecretId: SECRET }));
    expect(stored.SecretString).toBe(GOOD);
  });

  it.each([
    ['plain http', GOOD.replace('https:', 'http:'), 'the URL is http, not https'],
    [
      'another host',
      `https://hooks.slack.com/services/T/B/${SIG}`,
      'host hooks.slack.com is not a Teams Workflows host',
    ],
    ['no sig', GOOD.replace(`&sig=${SIG}`, ''), 'the URL has no sig= parameter'],
  ])('refuses %s with what is wrong, storing nothing', async (_what, url, problem) => {
    const w = await world();

    const set = await run(w, ['secrets', 'set', 'secops'], url);

    expect(set.exitCode).toBe(2);
    expect(set.stderr).toContain(problem);
    expect(set.stdout + set.stderr).not.toContain(SIG);
  });

  it('judges the stored value: present, or malformed naming why', async () => {
    const w = await world();
    await w.aws().secrets.send(new PutSecretValueCommand({ SecretId: SECRET, SecretString: GOOD }));
    const present = await run(w, ['secrets', 'check', '--json']);
    await w
      .aws()
      .secrets.send(
        new PutSecretValueCommand({ SecretId: SECRET, SecretString: `https://teams.example.net/x?sig=${SIG}` }),
      );
    const malformed = await run(w, ['secrets', 'check', '--json']);

    const secops = (r: typeof present) =>
      (r.json() as SecretsReport).destinations.find((d) => d.destination === 'secops');
    expect(secops(present)).toMatchObject({ status: 'present', detail: 'teams-workflow' });
    expect(secops(malformed)).toMatchObject({ status: 'malformed' });
    expect(secops(malformed)?.detail).toContain('host teams.example.net is not a Teams Workflows host');
    expect(present.stdout + malformed.stdout + malformed.stderr).not.toContain(SIG);
  });
});

describe('replay --teams NAME=URL', () => {
  const config = validateConfig(deepMerge(baseRawConfig(), TEAMS_CONFIG), 'test config');

  it('takes a Workflows URL for a Teams destination and gives it to the consumer as that destination’s secret', async () => {
    const given = parseGivenSecrets([`secops=${GOOD}`], TEAMS_ARGUMENT, config);

    const { secrets, note } = replayGivenSecrets([[TEAMS_ARGUMENT, given]], ['secops'], config, {}, async () => {
      throw new Error('no Secrets Manager in this test');
    });

    expect(note).toBeUndefined();
    expect(await secrets(SECRET)).toBe(GOOD);
  });

  it('refuses a name that is not a Teams destination, a URL the consumer would refuse, and a missing one', () => {
    expect(() => parseGivenSecrets([`security=${GOOD}`], TEAMS_ARGUMENT, config)).toThrow(
      /--teams security: not a Teams destination in the config \(Teams destinations: secops\)/,
    );
    expect(() => parseGivenSecrets([`secops=https://evil.example/x?sig=${SIG}`], TEAMS_ARGUMENT, config)).toThrow(
      /--teams secops: host evil\.example is not a Teams Workflows host/,
    );
    expect(() =>
      replayGivenSecrets([[TEAMS_ARGUMENT, new Map()]], ['secops'], config, {}, async () => ({}) as never),
    ).toThrow(/no Workflows URL for Teams destination secops: pass --teams secops=URL/);
    try {
      parseGivenSecrets([`secops=https://evil.example/x?sig=${SIG}`], TEAMS_ARGUMENT, config);
    } catch (error) {
      expect(String(error)).not.toContain(SIG);
    }
  });
});

describe('preview for a Teams destination', () => {
  it('prints the Workflows message with its Adaptive Card', async () => {
    const w = await world();
    const dir = mkdtempSync(join(tmpdir(), 'teams-preview-'));
    const file = join(dir, 'finding.json');
    writeFileSync(file, JSON.stringify(makeFindingEvent({ detail: forAccount('555555555555') })));

    const preview = await runCli(['preview', file, '--config', w.configPath], { clients: w.clients });

    expect(preview.exitCode).toBe(0);
    expect(preview.stderr).toContain('→ secops (single, Teams card, 1 finding)');
    const payload = JSON.parse(preview.stdout) as { type: string; attachments: { content: { version: string } }[] };
    expect(payload.type).toBe('message');
    expect(payload.attachments[0]?.content.version).toBe('1.4');
  });
});
