import type { ValidateFunction } from 'ajv';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseRecord, recapDestinations, type SilenceRecap } from '../../core/kinds/index.ts';
import { EMPTY_TALLY, MemorySilenceStore, silenceSource } from '../../core/silences/index.ts';
import type { RoutedFinding } from '../../core/types.ts';
import { renderFindingCard } from '../../destinations/teams/index.ts';
import { recapBody, recapEndedSilences } from '../../lambdas/drift/index.ts';
import { configSilences, validateConfig, type HubConfig, type Silence } from '../../shared/index.ts';
import {
  atSeverity,
  baseRawConfig,
  deepMerge,
  forAccount,
  makeFindingEvent,
  makeSqsRecord,
} from '../factories/index.ts';
import { adaptiveCardValidator } from '../support/adaptive-card-schema.ts';
import { startConsumerHarness, type ConsumerHarness } from '../support/consumer-harness.ts';
import { FAST_SIMULATOR } from './repeats-handler-support.ts';
import { expectValidMessage } from './teams/card-support.ts';

// Where a recap goes and how it reads outside the app: the Slack webhook (through the real handler,
// a silence of the config: no Renew, the config named instead), a Teams card valid against the 1.4
// schema, and never a PagerDuty incident.

const MEMBER = '222222222222'; // → team-a in the factories' config
const HOUR = 3_600_000;

let harness: ConsumerHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function configWith(extra: Record<string, unknown>): HubConfig {
  return validateConfig(deepMerge(baseRawConfig(), extra), 'test config');
}

function cliSilence(matchers: Silence['matchers'], overrides: Partial<Silence> = {}): Silence {
  return {
    id: 'sil-route00001',
    matchers,
    author: 'bob@example.com',
    reason: 'migration',
    startsAtMs: 0,
    endsAtMs: HOUR,
    origin: 'cli',
    ...overrides,
  };
}

const recapOf = (silence: Silence): SilenceRecap => ({ silence, held: 0, tally: EMPTY_TALLY, renewable: true });

describe('where a recap goes', () => {
  const config = configWith({
    destinations: { pager: { type: 'pagerduty', routingKeySecret: 'guardduty-hub/pagerduty/key' } },
    accounts: { '333333333333': { name: 'paged', destinations: ['pager', 'team-a'] } },
  });

  it('goes to the app destination a Slack silence was made in, while the config has it', () => {
    const slack = cliSilence({ accounts: [MEMBER] }, { origin: 'slack', destination: 'security' });
    expect(recapDestinations(recapOf(slack), config)).toEqual(['security']);
    const gone = cliSilence({ accounts: [MEMBER] }, { origin: 'slack', destination: 'removed' });
    expect(recapDestinations(recapOf(gone), config)).toEqual(['team-a']);
  });

  it('goes to the chat destinations of the accounts it names, never PagerDuty, else the default', () => {
    expect(recapDestinations(recapOf(cliSilence({ accounts: ['333333333333'] })), config)).toEqual(['team-a']);
    expect(recapDestinations(recapOf(cliSilence({ type: 'Recon:*' })), config)).toEqual([config.defaults.destination]);
  });
});

describe('which silences get a recap', () => {
  it('none for a silence still holding, one that ended before it started, or one that ended over 7 days ago', async () => {
    const store = new MemorySilenceStore();
    const nowMs = 30 * 86_400_000;
    const ids = ['sil-holding001', 'sil-neverheld1', 'sil-longgone01', 'sil-justended1'];
    const spans: [number, number][] = [
      [nowMs - HOUR, nowMs + HOUR],
      [nowMs - HOUR, nowMs - 2 * HOUR],
      [nowMs - 9 * 86_400_000, nowMs - 8 * 86_400_000],
      [nowMs - 2 * HOUR, nowMs - HOUR],
    ];
    for (const [i, id] of ids.entries())
      await store.add(cliSilence({ type: 'Recon:*' }, { id, startsAtMs: spans[i]![0], endsAtMs: spans[i]![1] }));

    const report = await recapEndedSilences({
      config: configWith({}),
      store,
      send: async () => undefined,
      now: () => nowMs,
    });

    expect(report).toEqual({ recapped: ['sil-justended1'], failed: [] });
  });
});

describe('a recap outside the app', () => {
  let validate: ValidateFunction;
  beforeAll(async () => {
    validate = await adaptiveCardValidator('1.4');
  });

  it('reaches the webhook of the accounts a config silence named, once, naming the config instead of Renew', async () => {
    const until = new Date(Date.now() + HOUR).toISOString();
    const config = configWith({
      silences: [{ type: 'Recon:*', accounts: [MEMBER], author: 'alice@example.com', reason: 'scanner', until }],
    });
    const store = new MemorySilenceStore();
    harness = await startConsumerHarness(config, FAST_SIMULATOR, {
      silences: silenceSource({ config: configSilences(config.silences), store, logger: { warn: () => undefined } }),
    });
    const recon = makeFindingEvent({ detail: { ...forAccount(MEMBER), ...atSeverity(5), type: 'Recon:EC2/Portscan' } });
    await harness.invoke([makeSqsRecord(recon)]);
    const sent: string[] = [];
    const step = (atMs: number) =>
      recapEndedSilences({ config, store, send: async (bodies) => void sent.push(...bodies), now: () => atMs });

    await step(Date.parse(until) + 60_000);
    await step(Date.parse(until) + 120_000);
    await harness.invoke(sent.map((body) => makeSqsRecord(body)));

    const recaps = harness.received('team-a').filter((text) => text.includes('Silence ended'));
    expect(sent).toHaveLength(1);
    expect(recaps).toHaveLength(1);
    expect(recaps[0]).toContain('Recon:EC2/Portscan: 1');
    expect(recaps[0]).toContain('comes from the config');
    expect(recaps[0]).not.toContain('gdh-triage-renew');
  });

  it('is a valid Teams card that names the silence and what it held', () => {
    const silence = cliSilence({ accounts: [MEMBER], below: 'high' }, { reason: '**bold** [x](https://evil.example)' });
    const tally = {
      ...EMPTY_TALLY,
      byType: { 'Recon:EC2/Portscan': 4 },
      worse: { count: 0, latest: [] },
    };
    const parsed = parseRecord(
      recapBody({ silence, held: 4, tally, renewable: true }, { account: '111111111111', region: 'us-west-2' }, HOUR),
    );
    if (!parsed.ok) throw new Error(parsed.reason);
    const routed: RoutedFinding = { finding: parsed.finding, destination: 'teams', messageIds: ['m-1'] };

    const card = expectValidMessage(renderFindingCard(routed, configWith({})), validate);

    const text = JSON.stringify(card);
    expect(text).toContain('sil-route00001');
    expect(text).toContain('Recon:EC2/Portscan: 4');
    expect(text).not.toMatch(/(?<!\\\\)\]\(https:\/\/evil/); // escaped: `\](`, no link forms
  });

  it('refuses a recap event without its silence (to the DLQ, like any unreadable record)', () => {
    const body = JSON.stringify({
      source: 'guardduty-hub',
      'detail-type': 'GuardDuty Hub Silence Ended',
      account: '111111111111',
      region: 'us-west-2',
      detail: { held: 3 },
    });
    expect(parseRecord(body)).toEqual({
      ok: false,
      reason: 'a silence recap needs detail.silence, region and account',
    });
  });
});
