import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRecord } from '../../core/kinds/index.ts';
import { COVERAGE_DETAIL_TYPE_LIST } from '../../shared/index.ts';
import { SAMPLE_EVENTS_DIR } from '../../scripts/sample-events.ts';
import { sampleEventText, sampleEvents } from '../factories/sample-events.ts';
import { FAMILIES } from '../model/families.ts';

/**
 * The sample events the repository ships (`examples/events/`) are exactly what the test factories
 * make from the GuardDuty API model, and cover what the README promises: every finding family, an
 * attack sequence, a scan result and a tamper event, each one the consumer reads.
 */

const samples = sampleEvents();
const shipped = readdirSync(SAMPLE_EVENTS_DIR)
  .filter((name) => name.endsWith('.json'))
  .sort();
const REGENERATE =
  'the shipped events differ from the factories: run npx tsx scripts/sample-events.ts and commit examples/events/';

describe('examples/events', () => {
  it('holds exactly the files the factories make', () => {
    expect(shipped, REGENERATE).toEqual(samples.map((s) => s.file).sort());
  });

  it.each(samples)('$file is what the factories make', (sample) => {
    expect(readFileSync(join(SAMPLE_EVENTS_DIR, sample.file), 'utf8'), REGENERATE).toBe(sampleEventText(sample));
  });

  it('has one finding of every family, an attack sequence, a scan result and a tamper event', () => {
    const kinds = samples.map(
      (s) => `${String(s.event['detail-type'])}:${String((s.event.detail as { type?: string }).type ?? '')}`,
    );

    for (const family of FAMILIES) expect(shipped).toContain(`finding-${family.family}.json`);
    expect(kinds).toEqual(expect.arrayContaining(['GuardDuty Finding:AttackSequence:S3/CompromisedData']));
    expect(kinds.filter((k) => k.startsWith('GuardDuty Malware Protection Object Scan Result:'))).toHaveLength(1);
    expect(kinds.filter((k) => k.startsWith('AWS API Call via CloudTrail:'))).toHaveLength(1);
  });

  it('has one event of each coverage detail-type, each read as the coverage kind', () => {
    const coverage = samples.filter((s) => COVERAGE_DETAIL_TYPE_LIST.includes(String(s.event['detail-type'])));

    expect(coverage.map((s) => s.event['detail-type']).sort()).toEqual([...COVERAGE_DETAIL_TYPE_LIST].sort());
    for (const sample of coverage) {
      const result = parseRecord(sampleEventText(sample));
      expect(result.ok && result.finding.kind).toBe('coverage');
    }
  });

  it.each(samples)('$file is read by the consumer as what it is', (sample) => {
    const result = parseRecord(sampleEventText(sample));

    expect(result.ok, result.ok ? '' : result.reason).toBe(true);
  });
});
