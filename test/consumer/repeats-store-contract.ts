import { describe, expect, it } from 'vitest';
import { createRepeatGate, type Claim, type NotifiedState, type StateStore } from '../../core/repeats/index.ts';
import { DEFAULT_REPEATS, MINUTE_MS, T0_MS, makeRouted } from './repeats-fixtures.ts';

/** Two handles on one backing store, as two consumer instances sharing one table see it. */
export interface StoreHarness {
  readonly stores: readonly [StateStore, StateStore];
}

const EXPIRES_AT_SECONDS = Math.floor(T0_MS / 1000) + 8 * 86_400;

let keySequence = 0;

/** A key no other test uses, so a shared table needs no cleanup between tests. */
function freshKey(): string {
  keySequence += 1;
  return `finding#contract-${process.pid}-${Date.now()}-${keySequence}`;
}

function claimOf(token: string, overrides: Partial<Claim> = {}): Claim {
  return { token, untilMs: T0_MS + 5 * MINUTE_MS, band: 'medium', severity: 5, count: 1, ...overrides };
}

function stateOf(overrides: Partial<NotifiedState> = {}): NotifiedState {
  return {
    notifiedAtMs: T0_MS,
    band: 'high',
    severity: 7.5,
    count: 12,
    destination: 'security',
    regions: ['us-east-1'],
    ...overrides,
  };
}

const fresh = { version: 0, nowMs: T0_MS };

/**
 * The behaviour every {@link StateStore} must have, run against the stores `makeHarness` returns:
 * the memory store in unit tests, the DynamoDB store on moto in integration tests.
 */
export function describeStateStoreContract(
  name: string,
  makeHarness: () => StoreHarness | Promise<StoreHarness>,
): void {
  describe(`${name} (state store contract)`, () => {
    it('reads nothing for keys never written', async () => {
      const { stores } = await makeHarness();
      expect((await stores[0].read([freshKey(), freshKey()])).size).toBe(0);
    });

    it('claims an absent key and shows the claim, without a notified state', async () => {
      const { stores } = await makeHarness();
      const key = freshKey();
      const outcome = await stores[0].claim(key, claimOf('a', { count: 3 }), fresh, EXPIRES_AT_SECONDS);
      const record = (await stores[1].read([key])).get(key);
      expect(outcome).toEqual({ ok: true });
      expect(record).toMatchObject({ key, version: 0, notified: undefined, expiresAtSeconds: EXPIRES_AT_SECONDS });
      expect(record?.claim).toEqual(claimOf('a', { count: 3 }));
    });

    it('refuses a second claim while the first is live and returns the holder', async () => {
      const { stores } = await makeHarness();
      const key = freshKey();
      await stores[0].claim(key, claimOf('a'), fresh, EXPIRES_AT_SECONDS);
      const outcome = await stores[1].claim(key, claimOf('b'), fresh, EXPIRES_AT_SECONDS);
      expect(outcome.ok).toBe(false);
      expect(outcome.ok ? undefined : outcome.current?.claim?.token).toBe('a');
    });

    it('lets a claim be taken over once it has expired', async () => {
      const { stores } = await makeHarness();
      const key = freshKey();
      await stores[0].claim(key, claimOf('a', { untilMs: T0_MS + 1000 }), fresh, EXPIRES_AT_SECONDS);
      const outcome = await stores[1].claim(key, claimOf('b'), { version: 0, nowMs: T0_MS + 1000 }, EXPIRES_AT_SECONDS);
      expect(outcome).toEqual({ ok: true });
      expect((await stores[0].read([key])).get(key)?.claim?.token).toBe('b');
    });

    it('finalizes with the holding token: stores the state, bumps the version, drops the claim', async () => {
      const { stores } = await makeHarness();
      const key = freshKey();
      await stores[0].claim(key, claimOf('a'), fresh, EXPIRES_AT_SECONDS);
      const ok = await stores[0].finalize(key, stateOf(), 'a', EXPIRES_AT_SECONDS + 60);
      const record = (await stores[1].read([key])).get(key);
      expect(ok).toBe(true);
      expect(record).toEqual({
        key,
        notified: stateOf(),
        version: 1,
        claim: undefined,
        expiresAtSeconds: EXPIRES_AT_SECONDS + 60,
      });
    });

    it('refuses to finalize with a token that does not hold the claim', async () => {
      const { stores } = await makeHarness();
      const key = freshKey();
      await stores[0].claim(key, claimOf('a'), fresh, EXPIRES_AT_SECONDS);
      const ok = await stores[1].finalize(key, stateOf(), 'b', EXPIRES_AT_SECONDS);
      const record = (await stores[0].read([key])).get(key);
      expect(ok).toBe(false);
      expect(record?.notified).toBeUndefined();
      expect(record?.claim?.token).toBe('a');
    });

    it('refuses a claim based on a stale read, and keeps the notified state on a fresh one', async () => {
      const { stores } = await makeHarness();
      const key = freshKey();
      await stores[0].claim(key, claimOf('a'), fresh, EXPIRES_AT_SECONDS);
      await stores[0].finalize(key, stateOf(), 'a', EXPIRES_AT_SECONDS);
      const stale = await stores[1].claim(key, claimOf('b'), fresh, EXPIRES_AT_SECONDS);
      const current = await stores[1].claim(key, claimOf('c'), { version: 1, nowMs: T0_MS }, EXPIRES_AT_SECONDS);
      const record = (await stores[0].read([key])).get(key);
      expect(stale.ok).toBe(false);
      expect(current).toEqual({ ok: true });
      expect(record).toMatchObject({ notified: stateOf(), version: 1, claim: claimOf('c') });
    });

    it('records a folded state under a version guard and refuses a stale or claimed one', async () => {
      const { stores } = await makeHarness();
      const [key, claimedKey] = [freshKey(), freshKey()];
      const first = await stores[0].record(key, stateOf(), fresh, EXPIRES_AT_SECONDS);
      const stale = await stores[1].record(key, stateOf({ count: 99 }), fresh, EXPIRES_AT_SECONDS);
      await stores[0].claim(claimedKey, claimOf('a'), fresh, EXPIRES_AT_SECONDS);
      const claimed = await stores[1].record(claimedKey, stateOf(), fresh, EXPIRES_AT_SECONDS);
      const records = await stores[0].read([key, claimedKey]);
      expect([first, stale, claimed]).toEqual([true, false, false]);
      expect(records.get(key)).toMatchObject({ notified: stateOf(), version: 1 });
      expect(records.get(claimedKey)?.notified).toBeUndefined();
    });

    it('adds regions to the record of the same notification only, without duplicates', async () => {
      const { stores } = await makeHarness();
      const key = freshKey();
      await stores[0].record(key, stateOf({ regions: ['us-east-1'] }), fresh, EXPIRES_AT_SECONDS);
      const same = await stores[1].addRegions(key, ['us-west-2', 'us-east-1'], T0_MS);
      const other = await stores[1].addRegions(key, ['eu-north-1'], T0_MS - 1);
      const absent = await stores[1].addRegions(freshKey(), ['eu-north-1'], T0_MS);
      expect([same, other, absent]).toEqual([true, false, false]);
      expect((await stores[0].read([key])).get(key)?.notified?.regions).toEqual(['us-east-1', 'us-west-2']);
    });

    it('releases a never-notified claim by deleting the record', async () => {
      const { stores } = await makeHarness();
      const key = freshKey();
      await stores[0].claim(key, claimOf('a'), fresh, EXPIRES_AT_SECONDS);
      await stores[0].release(key, 'a');
      expect((await stores[1].read([key])).has(key)).toBe(false);
    });

    it('releases a claim on a notified record and keeps what was notified', async () => {
      const { stores } = await makeHarness();
      const key = freshKey();
      await stores[0].record(key, stateOf(), fresh, EXPIRES_AT_SECONDS);
      await stores[0].claim(key, claimOf('a'), { version: 1, nowMs: T0_MS }, EXPIRES_AT_SECONDS);
      await stores[0].release(key, 'a');
      expect((await stores[1].read([key])).get(key)).toMatchObject({
        notified: stateOf(),
        version: 1,
        claim: undefined,
      });
    });

    it('ignores a release by a token that does not hold the claim', async () => {
      const { stores } = await makeHarness();
      const key = freshKey();
      await stores[0].claim(key, claimOf('a'), fresh, EXPIRES_AT_SECONDS);
      await stores[1].release(key, 'b');
      expect((await stores[0].read([key])).get(key)?.claim?.token).toBe('a');
    });

    it('keeps a parent message on a record through claim, finalize and release, and replaces it when set again', async () => {
      const { stores } = await makeHarness();
      const key = freshKey();
      const first = { destination: 'alerts', channel: 'C0123ABCD', ts: '1700000000.000100' };
      await stores[0].claim(key, claimOf('a'), fresh, EXPIRES_AT_SECONDS);
      await stores[0].setMessage(key, first, EXPIRES_AT_SECONDS);
      await stores[0].finalize(key, stateOf(), 'a', EXPIRES_AT_SECONDS);
      const afterFinalize = (await stores[1].read([key])).get(key);
      await stores[1].claim(key, claimOf('b'), { version: 1, nowMs: T0_MS }, EXPIRES_AT_SECONDS);
      await stores[1].release(key, 'b');
      const afterRelease = (await stores[0].read([key])).get(key);
      await stores[1].setMessage(
        key,
        { ...first, ts: '1700000001.000200', archived: true, summary: '{"total":3}' },
        EXPIRES_AT_SECONDS,
      );
      const replaced = (await stores[0].read([key])).get(key);

      expect(afterFinalize).toMatchObject({ version: 1, message: first, notified: stateOf() });
      expect(afterRelease?.message).toEqual(first);
      expect(replaced?.message).toEqual({ ...first, ts: '1700000001.000200', archived: true, summary: '{"total":3}' });
      expect(replaced?.version).toBe(1);
    });

    it('stores a parent message on an absent key as a record with no notified state, which a release keeps', async () => {
      const { stores } = await makeHarness();
      const key = freshKey();
      const message = { destination: 'alerts', channel: 'C0123ABCD', ts: '1700000000.000300' };
      await stores[0].setMessage(key, message, EXPIRES_AT_SECONDS);
      await stores[0].claim(key, claimOf('a'), fresh, EXPIRES_AT_SECONDS);
      await stores[0].release(key, 'a');
      const record = (await stores[1].read([key])).get(key);

      expect(record).toMatchObject({
        key,
        notified: undefined,
        version: 0,
        message,
        expiresAtSeconds: EXPIRES_AT_SECONDS,
      });
      expect(record?.claim).toBeUndefined();
    });

    it('reads more keys than one batch request holds', async () => {
      const { stores } = await makeHarness();
      const keys = Array.from({ length: 130 }, () => freshKey());
      const written = [keys[0]!, keys[129]!];
      for (const key of written) await stores[0].record(key, stateOf(), fresh, EXPIRES_AT_SECONDS);
      expect([...(await stores[1].read(keys)).keys()].sort()).toEqual([...written].sort());
    });

    it('grants exactly one of many simultaneous claims across both handles', async () => {
      const { stores } = await makeHarness();
      const key = freshKey();
      const outcomes = await Promise.all(
        Array.from({ length: 8 }, (_, i) => stores[i % 2]!.claim(key, claimOf(`t${i}`), fresh, EXPIRES_AT_SECONDS)),
      );
      expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    });

    it('lets exactly one of two gates racing on one finding notify it, the other handing its copy back', async () => {
      const { stores } = await makeHarness();
      const [gateA, gateB] = stores.map((store) => createRepeatGate({ settings: DEFAULT_REPEATS, store }));
      const routed = makeRouted({ id: `race-${freshKey()}` });
      const [a, b] = await Promise.all([gateA!.filter([routed], T0_MS), gateB!.filter([routed], T0_MS)]);
      const winner = a.notify.length === 1 ? gateA! : gateB!;
      await winner.commit([...a.notify, ...b.notify], T0_MS + 2000);
      const later = await gateB!.filter([routed], T0_MS + 15 * MINUTE_MS);
      expect(a.notify.length + b.notify.length).toBe(1);
      expect(a.deferred.length + b.deferred.length).toBe(1);
      expect(later.repeats).toEqual([routed]);
    });
  });
}
