import { describe, expect, it } from 'vitest';
import {
  OTHER_KEY,
  RECAP_CLAIM_MS,
  TALLY_LATEST,
  TALLY_MAX_KEYS,
  type SilenceStore,
  type TalliedFinding,
} from '../../core/silences/index.ts';
import type { Silence } from '../../shared/index.ts';

/** Two handles on one backing store, as two consumer instances (or a consumer and the drift check) see it. */
export interface SilenceStoreHarness {
  readonly stores: readonly [SilenceStore, SilenceStore];
}

const T0_MS = Date.UTC(2026, 0, 15, 10);
let sequence = 0;

/** A silence id no other test uses, so a shared table needs no cleanup between tests. */
function freshId(): string {
  sequence += 1;
  return `sil-contract-${process.pid}-${Date.now()}-${sequence}`;
}

function tallied(n: number, overrides: Partial<TalliedFinding> = {}): TalliedFinding {
  return {
    id: `f-${n}`,
    type: 'Recon:EC2/PortProbeUnprotectedPort',
    accountId: '222222222222',
    region: 'us-east-1',
    severity: 2,
    band: 'low',
    title: `Probe ${n}`,
    atMs: T0_MS + n,
    ...overrides,
  };
}

/**
 * The behaviour every {@link SilenceStore} must have, run against the stores `makeHarness` returns: the
 * memory store in unit tests, the DynamoDB store on moto in integration tests.
 */
export function describeSilenceStoreContract(
  name: string,
  makeHarness: () => SilenceStoreHarness | Promise<SilenceStoreHarness>,
): void {
  describe(`${name} (silence store contract)`, () => {
    it('keeps a silence with where it came from, and counts what it held', async () => {
      const { stores } = await makeHarness();
      const silence: Silence = {
        id: freshId(),
        matchers: { accounts: ['222222222222'], below: 'high' },
        author: 'U0ALICE',
        reason: 'pen test',
        startsAtMs: T0_MS,
        endsAtMs: T0_MS + 3_600_000,
        origin: 'slack',
        destination: 'team-a-app',
      };
      await stores[0].add(silence);
      await stores[0].addHeld(new Map([[silence.id, 2]]));
      await stores[1].addHeld(new Map([[silence.id, 3]]));

      const kept = (await stores[1].list()).silences.find((s) => s.id === silence.id);
      expect(kept).toEqual({ ...silence, held: 5 });
    });

    it('tallies by type, account and band, keeps the latest few, and counts the worse apart', async () => {
      const { stores } = await makeHarness();
      const id = freshId();
      const held = Array.from({ length: 7 }, (_, n) => tallied(n, n % 2 === 0 ? {} : { accountId: '333333333333' }));
      await stores[0].addTallies(new Map([[id, { held: held.slice(0, 4), worse: [] }]]));
      await stores[1].addTallies(
        new Map([[id, { held: held.slice(4), worse: [tallied(99, { severity: 8, band: 'high' })] }]]),
      );

      const { tally, recappedAtMs } = await stores[0].tally(id);
      expect(recappedAtMs).toBeUndefined();
      expect(tally.byType).toEqual({ 'Recon:EC2/PortProbeUnprotectedPort': 7 });
      expect(tally.byAccount).toEqual({ '222222222222': 4, '333333333333': 3 });
      expect(tally.byBand).toEqual({ low: 7 });
      expect(tally.latest.map((f) => f.id)).toEqual(['f-6', 'f-5', 'f-4', 'f-3', 'f-2'].slice(0, TALLY_LATEST));
      expect(tally.worse).toEqual({ count: 1, latest: [tallied(99, { severity: 8, band: 'high' })] });
    });

    it('loses no batch when two writers add at once', async () => {
      const { stores } = await makeHarness();
      const id = freshId();
      await Promise.all(
        Array.from({ length: 4 }, (_, n) =>
          stores[(n % 2) as 0 | 1].addTallies(new Map([[id, { held: [tallied(n)], worse: [] }]])),
        ),
      );
      expect((await stores[0].tally(id)).tally.byBand).toEqual({ low: 4 });
    });

    it(`keeps at most ${TALLY_MAX_KEYS} types and counts the rest as ${OTHER_KEY}`, async () => {
      const { stores } = await makeHarness();
      const id = freshId();
      const many = Array.from({ length: TALLY_MAX_KEYS + 3 }, (_, n) => tallied(n, { type: `Type:${n}` }));
      await stores[0].addTallies(new Map([[id, { held: many, worse: [] }]]));
      const { byType } = (await stores[1].tally(id)).tally;
      expect(Object.keys(byType)).toHaveLength(TALLY_MAX_KEYS + 1);
      expect(byType[OTHER_KEY]).toBe(3);
    });

    it('claims a recap once, and a released claim can be made again', async () => {
      const { stores } = await makeHarness();
      const id = freshId();
      await stores[0].addTallies(new Map([[id, { held: [tallied(1)], worse: [] }]]));

      expect(await stores[0].claimRecap(id, T0_MS)).toBe(true);
      expect(await stores[1].claimRecap(id, T0_MS + 1)).toBe(false);
      expect((await stores[1].tally(id)).recappedAtMs).toBe(T0_MS);
      await stores[1].releaseRecap(id, T0_MS + 1); // not its claim: nothing changes
      expect((await stores[0].tally(id)).recappedAtMs).toBe(T0_MS);
      await stores[0].releaseRecap(id, T0_MS);
      expect(await stores[1].claimRecap(id, T0_MS + 2)).toBe(true);
      expect((await stores[0].tally(id)).tally.byBand).toEqual({ low: 1 });
    });

    it('gives a claim left by a run that stopped before sending to a run after RECAP_CLAIM_MS, and none once the recap was sent', async () => {
      const { stores } = await makeHarness();
      const id = freshId();

      expect(await stores[0].claimRecap(id, T0_MS)).toBe(true); // this run stops here
      expect(await stores[1].claimRecap(id, T0_MS + RECAP_CLAIM_MS - 1)).toBe(false);
      expect(await stores[1].claimRecap(id, T0_MS + RECAP_CLAIM_MS)).toBe(true);
      await stores[1].recapSent(id, T0_MS + RECAP_CLAIM_MS);

      expect(await stores[0].claimRecap(id, T0_MS + 10 * RECAP_CLAIM_MS)).toBe(false);
      expect(await stores[0].tally(id)).toMatchObject({ recapSentAtMs: T0_MS + RECAP_CLAIM_MS });
    });

    it('claims the recap of a silence that held nothing', async () => {
      const { stores } = await makeHarness();
      const id = freshId();
      expect(await stores[0].claimRecap(id, T0_MS)).toBe(true);
      expect(await stores[1].claimRecap(id, T0_MS)).toBe(false);
      expect((await stores[0].tally(id)).tally.latest).toEqual([]);
    });
  });
}
