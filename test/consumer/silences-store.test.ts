import { describe, expect, it } from 'vitest';
import {
  EMPTY_TALLY,
  MemorySilenceStore,
  TALLY_LATEST,
  TALLY_MAX_KEYS,
  TALLY_TEXT_CHARS,
  addToTally,
  talliedFinding,
  type TalliedFinding,
} from '../../core/silences/index.ts';
import type { Finding } from '../../core/types.ts';
import { makeRoutedFinding } from '../factories/index.ts';
import { describeSilenceStoreContract } from './silences-store-contract.ts';

describeSilenceStoreContract('MemorySilenceStore', () => {
  const store = new MemorySilenceStore();
  return { stores: [store, store] };
});

describe('a tally at its bounds', () => {
  it('stays a few tens of KiB, far below DynamoDB’s 400 KB item limit, however much a silence held', () => {
    const long = (n: number, c: string) => `${n}${c.repeat(TALLY_TEXT_CHARS + 50)}`;
    const finding = (n: number): TalliedFinding => ({
      id: long(n, 'i'),
      type: long(n, 't'),
      accountId: String(100_000_000_000 + n),
      region: 'ap-southeast-5',
      severity: 5.5,
      band: 'medium',
      title: long(n, 'x'),
      atMs: n,
    });
    let tally = EMPTY_TALLY;
    for (let batch = 0; batch < 20; batch += 1) {
      const findings = Array.from({ length: 100 }, (_, i) => talliedFinding(asFinding(finding(batch * 100 + i)), i));
      tally = addToTally(tally, { held: findings, worse: findings });
    }

    const bytes = Buffer.byteLength(JSON.stringify(tally), 'utf8');
    expect(Object.keys(tally.byType)).toHaveLength(TALLY_MAX_KEYS + 1);
    expect(tally.latest).toHaveLength(TALLY_LATEST);
    expect(bytes).toBeLessThan(40 * 1024);
    expect(bytes).toBeGreaterThan(10 * 1024); // the bound is reached, not avoided
  });
});

/** A tallied finding as the parts of a `Finding` that `talliedFinding` reads. */
function asFinding(f: TalliedFinding): Finding {
  return { ...makeRoutedFinding('security').finding, ...f } as Finding;
}
