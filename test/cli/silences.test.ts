import { describe, expect, inject, it } from 'vitest';
import type { SilencesReport } from '../../cli/commands/silences/silences.ts';
import type { StatusReport } from '../../cli/commands/status/index.ts';
import { DynamoSilenceStore, type KeptSilence } from '../../lambdas/consumer/index.ts';
import { configSilences, stateTableName, type Silence } from '../../shared/index.ts';
import { ensureStateTable } from '../integration/repeats-table.ts';
import { runCli } from '../support/cli-run.ts';
import { arrangeWorld, type World } from '../support/cli-world.ts';

// `silences add | list | expire` and the silences block of `status`, against the state table on moto
// (shaped as the hub stack makes it). The consumer's side is test/consumer/silences.test.ts.

const endpoint = inject('motoEndpoint');
const DAY = 86_400_000;
const NOW = new Date('2026-12-06T12:00:00Z');

async function world(config: Record<string, unknown> = {}): Promise<World> {
  const w = await arrangeWorld(endpoint, { config });
  await ensureStateTable(w.aws().dynamodb, stateTableName(w.config));
  return w;
}

const cli = (w: World, args: string[], now = NOW) =>
  runCli([...args, '--config', w.configPath], { clients: w.clients, now: () => now, env: { USER: 'alice' } });

describe('silences', () => {
  it('adds a silence with its matchers, author, reason and end, lists it, and expires it', async () => {
    const w = await world();

    const added = await cli(w, [
      'silences',
      'add',
      '--type',
      'Recon:*',
      '--account',
      '222222222222',
      '--for',
      '7d',
      '--reason',
      'scanner under test',
      '--json',
    ]);
    const silence = added.json<Silence>();
    const listed = await cli(w, ['silences', 'list', '--json']);
    const text = await cli(w, ['silences', 'list']);
    const expired = await cli(w, ['silences', 'expire', silence.id, '--json'], new Date(NOW.getTime() + DAY));
    const afterwards = await cli(w, ['silences', 'list', '--json'], new Date(NOW.getTime() + 2 * DAY));
    const all = await cli(w, ['silences', 'list', '--all', '--json'], new Date(NOW.getTime() + 2 * DAY));

    expect(added.exitCode).toBe(0);
    expect(silence).toMatchObject({
      id: expect.stringMatching(/^sil-[0-9a-f]{10}$/),
      matchers: { type: 'Recon:*', accounts: ['222222222222'] },
      author: 'alice',
      reason: 'scanner under test',
      startsAtMs: NOW.getTime(),
      endsAtMs: NOW.getTime() + 7 * DAY,
      origin: 'cli',
    });
    expect(listed.json<SilencesReport>().silences).toEqual([
      expect.objectContaining({ id: silence.id, state: 'active', held: 0 }),
    ]);
    expect(text.stdout).toMatch(/sil-[0-9a-f]{10}\s+active\s+type Recon:\* · accounts 222222222222\s+/);
    expect(expired.json<KeptSilence>()).toMatchObject({ id: silence.id, endsAtMs: NOW.getTime() + DAY });
    expect(afterwards.json<SilencesReport>().silences).toEqual([]);
    expect(all.json<SilencesReport>().silences).toEqual([
      expect.objectContaining({ id: silence.id, state: 'expired' }),
    ]);
  });

  it('refuses a silence without criteria, reason or end, one past 90 days, and expiring an unknown or config silence', async () => {
    const until = new Date(NOW.getTime() + 10 * DAY).toISOString();
    const w = await world({
      silences: [{ type: 'Recon:*', author: 'bob', reason: 'in the config', until }],
    });
    const configId = configSilences(w.config.silences)[0]!.id;

    // One at a time: each run takes the CLI's process-wide context.
    const runs = [];
    for (const args of [
      ['silences', 'add', '--for', '1d', '--reason', 'why'],
      ['silences', 'add', '--below', 'high', '--for', '1d'],
      ['silences', 'add', '--below', 'high', '--reason', 'why'],
      ['silences', 'add', '--below', 'high', '--reason', 'why', '--for', '91d'],
      ['silences', 'add', '--below', 'urgent', '--reason', 'why', '--for', '1d'],
      ['silences', 'expire', 'sil-0000000000'],
      ['silences', 'expire', configId],
    ])
      runs.push(await cli(w, args));

    expect(runs.map((run) => run.exitCode)).toEqual([2, 2, 2, 2, 2, 2, 2]);
    expect(runs.map((run) => run.stderr)).toEqual([
      expect.stringContaining('at least one of --type, --account, --region or --below'),
      expect.stringContaining('--reason TEXT'),
      expect.stringContaining('--for DURATION (30m, 12h, 7d) or --until TIME'),
      expect.stringContaining('at most 90 days'),
      expect.stringContaining('--below urgent'),
      expect.stringContaining('no silence sil-0000000000'),
      expect.stringContaining('is a silence of the config'),
    ]);
  });

  it('shows the config’s and the kept silences in list and status, each with what it held', async () => {
    const until = new Date(NOW.getTime() + 10 * DAY).toISOString();
    const w = await world({ silences: [{ type: 'Recon:*', author: 'bob', reason: 'in the config', until }] });
    const configId = configSilences(w.config.silences)[0]!.id;
    const added = (
      await cli(w, ['silences', 'add', '--below', 'medium', '--for', '12h', '--reason', 'noise', '--json'])
    ).json<Silence>();
    // What consumer instances count, two at once
    const store = new DynamoSilenceStore({ client: w.aws().dynamodb, tableName: stateTableName(w.config) });
    await Promise.all([
      store.addHeld(new Map([[configId, 3]])),
      store.addHeld(
        new Map([
          [configId, 2],
          [added.id, 1],
        ]),
      ),
    ]);

    const listed = (await cli(w, ['silences', 'list', '--json'])).json<SilencesReport>();
    const status = await cli(w, ['status', '--json']);
    const statusText = await cli(w, ['status']);

    expect(listed.silences.map(({ id, held, origin }) => ({ id, held, origin }))).toEqual([
      { id: configId, held: 5, origin: 'config' },
      { id: added.id, held: 1, origin: 'cli' },
    ]);
    expect(status.json<StatusReport>().silences).toEqual([
      expect.objectContaining({ id: configId, held: 5 }),
      expect.objectContaining({ id: added.id, held: 1 }),
    ]);
    expect(statusText.stdout).toContain('Silences (findings skipped by the hub; GuardDuty keeps them)');
  });
});
