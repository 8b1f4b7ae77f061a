import { afterEach, describe, expect, it } from 'vitest';
import { EMPTY_TALLY, MemorySilenceStore, silenceSource, type SilenceStore } from '../../core/silences/index.ts';
import { configSilences, validateConfig, type Silence } from '../../shared/index.ts';
import {
  atSeverity,
  baseRawConfig,
  deepMerge,
  forAccount,
  makeCloudTrailDetail,
  makeCloudTrailEvent,
  makeFindingEvent,
  makeSqsRecord,
} from '../factories/index.ts';
import { startConsumerHarness, type ConsumerHarness } from '../support/consumer-harness.ts';
import { FAST_SIMULATOR, linkOf } from './repeats-handler-support.ts';

// Silences through the real handler: what a silence matches is skipped and counted (per silence, in
// its store, and as FindingsSkipped_silenced); the rest is delivered; nothing is asked of GuardDuty.
// The config's silences may hold critical findings; tamper alerts are never silenced.

const MEMBER = '222222222222'; // → team-a in the factories' config
const HOUR = 3_600_000;

let harness: ConsumerHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function configWith(silences: unknown[]) {
  return validateConfig(deepMerge(baseRawConfig(), { silences }), 'test config');
}

async function start(silences: unknown[], options: { store?: SilenceStore; extra?: Silence[] } = {}) {
  const config = configWith(silences);
  const store = options.store ?? new MemorySilenceStore();
  for (const silence of options.extra ?? []) await store.add(silence);
  harness = await startConsumerHarness(config, FAST_SIMULATOR, {
    silences: silenceSource({ config: configSilences(config.silences), store, logger: { warn: () => undefined } }),
  });
  return { harness, store, config };
}

const inHours = (hours: number) => new Date(Date.now() + hours * HOUR).toISOString();
const delivered = (h: ConsumerHarness, event: ReturnType<typeof makeFindingEvent>) =>
  h.received('team-a').filter((text) => text.includes(linkOf(event))).length;

describe('silences in the consumer', () => {
  it('skips what a config silence matches, counts it for the silence, and delivers the rest', async () => {
    const {
      harness: h,
      store,
      config,
    } = await start([
      { type: 'Recon:*', accounts: [MEMBER], author: 'alice', reason: 'scanner under test', until: inHours(24) },
    ]);
    const recon = makeFindingEvent({
      detail: { ...forAccount(MEMBER), ...atSeverity(5), type: 'Recon:EC2/PortProbeUnprotectedPort' },
    });
    const critical = makeFindingEvent({
      detail: { ...forAccount(MEMBER), ...atSeverity(9.5), type: 'Recon:EC2/Portscan' },
    });
    const other = makeFindingEvent({
      detail: { ...forAccount(MEMBER), ...atSeverity(5), type: 'UnauthorizedAccess:EC2/SSHBruteForce' },
    });

    const response = await h.invoke([
      makeSqsRecord(recon),
      makeSqsRecord(recon),
      makeSqsRecord(critical),
      makeSqsRecord(other),
    ]);

    expect(response.batchItemFailures).toEqual([]);
    expect(delivered(h, recon)).toBe(0);
    expect(delivered(h, critical)).toBe(0); // the config may silence critical findings
    expect(delivered(h, other)).toBe(1);
    expect(h.captured.metric('FindingsSkipped_silenced')).toBe(3);
    const [silence] = configSilences(config.silences);
    expect((await store.list()).held.get(silence!.id)).toBe(2);
  });

  it('lets findings through once a silence has ended, and before a CLI silence starts', async () => {
    const later: Silence = {
      id: 'sil-later00001',
      matchers: { accounts: [MEMBER] },
      author: 'bob',
      reason: 'maintenance tomorrow',
      startsAtMs: Date.now() + 24 * HOUR,
      endsAtMs: Date.now() + 48 * HOUR,
      origin: 'cli',
    };
    const { harness: h } = await start(
      [{ accounts: [MEMBER], author: 'alice', reason: 'over', until: new Date(Date.now() - HOUR).toISOString() }],
      { extra: [later] },
    );
    const finding = makeFindingEvent({ detail: { ...forAccount(MEMBER), ...atSeverity(5) } });

    await h.invoke([makeSqsRecord(finding)]);

    expect(delivered(h, finding)).toBe(1);
  });

  it('skips what a silence kept in the store matches and counts it there', async () => {
    const kept: Silence = {
      id: 'sil-0a1b2c3d4e',
      matchers: { below: 'high', regions: ['us-east-1'] },
      author: 'bob',
      reason: 'noisy region during migration',
      startsAtMs: Date.now() - HOUR,
      endsAtMs: Date.now() + HOUR,
      origin: 'cli',
    };
    const { harness: h, store } = await start([], { extra: [kept] });
    const low = makeFindingEvent({ detail: { ...forAccount(MEMBER), ...atSeverity(5), region: 'us-east-1' } });
    const high = makeFindingEvent({ detail: { ...forAccount(MEMBER), ...atSeverity(8), region: 'us-east-1' } });

    await h.invoke([makeSqsRecord(low), makeSqsRecord(high)]);

    expect(delivered(h, low)).toBe(0);
    expect(delivered(h, high)).toBe(1);
    expect((await store.list()).silences).toEqual([expect.objectContaining({ id: kept.id, held: 1 })]);
  });

  it('holds a tamper alert only by a silence of the config; one made with the CLI holds findings only', async () => {
    const cli: Silence = {
      id: 'sil-everything1',
      matchers: { accounts: [MEMBER] },
      author: 'bob',
      reason: 'everything from this account',
      startsAtMs: Date.now() - HOUR,
      endsAtMs: Date.now() + HOUR,
      origin: 'cli',
    };
    const fromCli = await start([], { extra: [cli] });
    const deleted = makeCloudTrailEvent(
      makeCloudTrailDetail('DeleteDetector', { accountId: MEMBER, region: 'us-east-1' }),
    );

    await fromCli.harness.invoke([makeSqsRecord(deleted)]);

    const all = [...fromCli.harness.received('team-a'), ...fromCli.harness.received('security')];
    expect(all.some((text) => text.includes('DeleteDetector'))).toBe(true);
    expect(fromCli.harness.captured.metric('FindingsSkipped_silenced')).toBe(0);
    await fromCli.harness.close();

    const fromConfig = await start([
      {
        type: 'GuardDutyHub:Tamper/UpdateDetector',
        accounts: [MEMBER],
        author: 'alice',
        reason: 'the detector rollout changes settings all week',
        until: inHours(1),
      },
    ]);
    const updated = makeCloudTrailEvent(
      makeCloudTrailDetail('UpdateDetector', { accountId: MEMBER, region: 'us-east-1' }),
    );

    await fromConfig.harness.invoke([makeSqsRecord(updated), makeSqsRecord(deleted)]);

    const texts = [...fromConfig.harness.received('team-a'), ...fromConfig.harness.received('security')];
    expect(texts.some((text) => text.includes('UpdateDetector'))).toBe(false);
    expect(texts.some((text) => text.includes('DeleteDetector'))).toBe(true);
    expect(fromConfig.harness.captured.metric('FindingsSkipped_silenced')).toBe(1);
  });

  it('lets findings through when the silences cannot be read, and still delivers when counts cannot be written', async () => {
    const broken: SilenceStore = {
      list: async () => {
        throw new Error('AccessDeniedException');
      },
      add: async () => undefined,
      expire: async () => undefined,
      addHeld: async () => {
        throw new Error('ProvisionedThroughputExceededException');
      },
      tally: async () => ({ tally: EMPTY_TALLY }),
      addTallies: async () => {
        throw new Error('ProvisionedThroughputExceededException');
      },
      claimRecap: async () => false,
      recapSent: async () => undefined,
      releaseRecap: async () => undefined,
    };
    const { harness: h } = await start([{ type: 'Recon:*', author: 'alice', reason: 'scanner', until: inHours(1) }], {
      store: broken,
    });
    const kept = makeFindingEvent({ detail: { ...forAccount(MEMBER), ...atSeverity(5) } });
    const recon = makeFindingEvent({ detail: { ...forAccount(MEMBER), ...atSeverity(5), type: 'Recon:EC2/Portscan' } });

    const response = await h.invoke([makeSqsRecord(kept), makeSqsRecord(recon)]);

    expect(response.batchItemFailures).toEqual([]);
    expect(delivered(h, kept)).toBe(1);
    expect(delivered(h, recon)).toBe(0); // the config's silence holds without the store
  });
});
