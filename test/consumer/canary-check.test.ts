import { describe, expect, it } from 'vitest';
import { memoryCanaryStore } from '../../core/canary/index.ts';
import { canaryRound, type CanaryOptions, type PipelineReader, type SampleMaker } from '../../lambdas/drift/index.ts';
import { makeConfig } from '../factories/config.ts';

// One region's canary round on a clock the test sets, with the store in memory and GuardDuty and the
// path's reads faked at the boundary: when a sample is made, how its age is judged, and which hop a
// late canary names first.

const MINUTE = 60_000;
const REGION = 'us-east-1';
const DETECTOR = { id: 'd1', status: 'ENABLED' };
// every 60 min + FIFTEEN_MINUTES + 15 min margin: late past 90 minutes
const config = makeConfig();

/** A healthy path, with `changes` applied. */
function pipeline(changes: Partial<PipelineReader> = {}): PipelineReader {
  return {
    ruleState: async () => 'ENABLED',
    queueDepth: async () => 0,
    metric: async () => 0,
    ...changes,
  };
}

/** Samples that record what was asked of them; `refuse` makes `create` throw it. */
function samples(refuse?: Error): SampleMaker & { created: number; archived: string[] } {
  const made = {
    created: 0,
    archived: [] as string[],
    async create() {
      if (refuse) throw refuse;
      made.created += 1;
    },
    async archive(_detector: string, ids: readonly string[]) {
      made.archived.push(...ids);
    },
  };
  return made;
}

function options(path: PipelineReader = pipeline(), maker = samples()) {
  const store = memoryCanaryStore();
  const canary: CanaryOptions = { store, samples: () => maker, pipeline: path };
  const round = (minutes: number, detector: { id: string | undefined; status: string } = DETECTOR) =>
    canaryRound(canary, config, REGION, detector, minutes * MINUTE);
  const arrive = (id: string) => store.arrived([{ region: REGION, findingId: id, atMs: 0 }]);
  return { store, maker, round, arrive };
}

describe('a canary round', () => {
  it('makes a sample at once and then every interval (less half a check), and judges nothing before the first', async () => {
    const { maker, round } = options();

    const first = await round(0);
    await round(5);
    await round(55);
    await round(58);

    expect(first).toEqual({ status: 'waiting' });
    expect(maker.created).toBe(2); // at 0 and at 58 (≥ 60 − 2.5)
  });

  it('counts an arrival when the count moves, archives it, and is late only past interval + publishing + margin', async () => {
    const { maker, round, arrive, store } = options();
    await round(0);
    await arrive('sample-1');

    const seen = await round(5);
    const justInside = await round(95);
    const late = await round(96);

    expect(seen).toEqual({ status: 'arriving', ageSeconds: 0 });
    expect(maker.archived).toEqual(['sample-1']);
    expect((await store.load(REGION)).toArchive).toEqual([]);
    expect(justInside).toMatchObject({ status: 'arriving', ageSeconds: 90 * 60 });
    expect(late).toMatchObject({ status: 'late', ageSeconds: 91 * 60 });
  });

  it('names the first broken hop in path order and lists the others after it', async () => {
    const path = pipeline({
      ruleState: async (_region, bus) => (bus === 'default' ? 'DISABLED' : 'ENABLED'),
      queueDepth: async (_region, name) => (name.endsWith('-findings-dlq') ? 3 : 0),
    });
    const { round } = options(path);
    await round(0);

    const { note } = await round(100);

    expect(note).toBe(
      'Most likely broken: the forwarder rule (guardduty-hub-forward in us-east-1) is DISABLED; deploy the stack again (cdktf deploy) to restore it. ' +
        "Also seen: the hub queue's dead-letter queue (guardduty-hub-findings-dlq in us-west-2) holds 3 messages; see guardduty-hub dlq peek.",
    );
  });

  it('names the forwarder when its deliveries to the hub bus failed (FailedInvocations), with the figure', async () => {
    const path = pipeline({ metric: async (_region, metric) => (metric.name === 'FailedInvocations' ? 4 : 0) });
    const { round } = options(path);
    await round(0);

    const { note } = await round(100);

    expect(note).toBe(
      'Most likely broken: the forwarder (guardduty-hub-forward in us-east-1) could not deliver 4 events to the hub bus in the last hour; check the forwarder role and the hub bus.',
    );
  });

  it('names a disabled detector before any hop, and a region without one makes no sample', async () => {
    const { round, maker } = options();
    await round(0, { id: undefined, status: 'missing' });

    const missing = await round(100, { id: undefined, status: 'missing' });
    const disabled = await round(100, { id: 'd1', status: 'DISABLED' });

    expect(maker.created).toBe(0);
    expect(missing.note).toBe(
      'Most likely broken: the GuardDuty detector: us-east-1 has none, so no canary (and no finding) is made there.',
    );
    expect(disabled.note).toMatch(/^Most likely broken: the GuardDuty detector d1 in us-east-1 is DISABLED/);
  });

  it('says why the sample could not be made, and a read that was refused, without taking it for health', async () => {
    const path = pipeline({
      metric: async (_region, metric) => {
        if (metric.name === 'Errors') throw new Error('AccessDenied: cloudwatch:GetMetricStatistics');
        return 0;
      },
    });
    const { round } = options(path, samples(new Error('BadRequestException: The request is rejected')));
    await round(0);

    const { note } = await round(100);

    expect(note).toBe(
      'Most likely broken: the canary could not be made in us-east-1: BadRequestException: The request is rejected ' +
        'Also seen: could not be read (Error: AccessDenied: cloudwatch:GetMetricStatistics)',
    );
  });

  it('says every readable hop looks healthy when none is seen broken', async () => {
    const { round } = options();
    await round(0);

    const { status, note } = await round(100);

    expect(status).toBe('late');
    expect(note).toMatch(/^Every hop the check can read looks healthy/);
  });

  it('keeps an arrived sample to archive when GuardDuty refuses, and archives it next round', async () => {
    const maker = samples();
    let refuse = true;
    const flaky: SampleMaker = {
      create: maker.create,
      archive: async (detector, ids) => {
        if (refuse) throw new Error('ThrottlingException');
        await maker.archive(detector, ids);
      },
    };
    const { round, arrive, store } = options(pipeline(), flaky as typeof maker);
    await round(0);
    await arrive('sample-1');

    await round(5);
    const kept = (await store.load(REGION)).toArchive;
    refuse = false;
    await round(10);

    expect(kept).toEqual(['sample-1']);
    expect(maker.archived).toEqual(['sample-1']);
    expect((await store.load(REGION)).toArchive).toEqual([]);
  });
});
