import { describe, expect, it } from 'vitest';
import { benchConfig, formatTable, measureSynth, type SynthSample } from '../../bench/synth.ts';
import { membersInRegion } from '../../shared/index.ts';

const sample = (synthMs: number, peakRssMiB: number): SynthSample => ({
  buildMs: 100,
  synthMs,
  bundleMs: 10,
  peakRssMiB,
  stacks: 2,
  resources: 40,
});

describe('synth benchmark', () => {
  it('generates a valid config of the requested size, with the hub region first', () => {
    const config = benchConfig({ regions: 17, accounts: 500 });

    expect(config.regions).toHaveLength(17);
    expect(config.regions[0]).toBe(config.hub.region);
    expect(Object.keys(config.accounts)).toHaveLength(500);
    expect(membersInRegion(config, config.regions[16]!).length).toBeLessThan(500);
  });

  it('reports the median of the runs of each case', () => {
    const samples = [sample(300, 200), sample(100, 220), sample(200, 210)];

    const [result] = measureSynth([{ regions: 1, accounts: 10 }], { runs: 3, sample: () => samples.shift()! });

    expect(result).toMatchObject({ regions: 1, accounts: 10, runs: 3, synthMs: 200, peakRssMiB: 210, totalMs: 300 });
    expect(formatTable([result!]).split('\n')).toHaveLength(3);
  });
});
