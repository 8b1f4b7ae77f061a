import { afterEach, describe, expect, it } from 'vitest';
import { memoryCanaryStore, type CanaryStore } from '../../core/canary/index.ts';
import { makeFindingEvent, makeSqsRecord } from '../factories/index.ts';
import { makeConfig } from '../factories/config.ts';
import { startConsumerHarness, type ConsumerHarness } from '../support/consumer-harness.ts';

// The canary through the real handler: a sample of the configured type is counted as arrived in its
// region and never posted; any other sample is an ordinary finding; a count that cannot be written
// hands the record back, so an arrival is never lost to a false "late".

const CANARY_TYPE = 'Recon:EC2/PortProbeUnprotectedPort';

let harness: ConsumerHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** A sample finding event (`service.additionalInfo.sample`), Low like GuardDuty's port-probe samples. */
function sample(region: string, type = CANARY_TYPE) {
  return makeFindingEvent({
    detail: { region, type, severity: 2, service: { additionalInfo: { sample: true } } },
  });
}

async function start(canaries: CanaryStore, guard: Record<string, unknown> = {}): Promise<ConsumerHarness> {
  const config = makeConfig({ defaults: { destination: 'security', minSeverity: 'low' }, guard });
  harness = await startConsumerHarness(config, {}, { canaries });
  return harness;
}

describe('the canary at the consumer', () => {
  it('counts a canary per region, archived or not, posts none, and skips it as `canary`', async () => {
    const store = memoryCanaryStore();
    const h = await start(store);
    const archived = sample('us-west-1');
    archived.detail.service.archived = true;

    const result = await h.invoke(
      [sample('us-east-1'), sample('us-east-1'), archived].map((event) => makeSqsRecord(event)),
    );

    expect(result.batchItemFailures).toEqual([]);
    expect(h.received('security')).toEqual([]);
    expect(store.records.get('us-east-1')).toMatchObject({ arrivals: 2 });
    expect(store.records.get('us-east-1')?.toArchive).toHaveLength(2);
    expect(store.records.get('us-west-1')).toMatchObject({ arrivals: 1 });
    expect(h.captured.metric('FindingsSkipped_canary')).toBe(3);
  });

  it('posts a sample of another type, and the canary type itself when the canary is off', async () => {
    const store = memoryCanaryStore();
    const h = await start(store, { canary: { enabled: false } });

    await h.invoke([
      makeSqsRecord(sample('us-east-1')),
      makeSqsRecord(sample('us-east-1', 'Backdoor:EC2/C&CActivity.B')),
    ]);

    expect(h.received('security')).toHaveLength(2);
    expect(store.records.size).toBe(0);
  });

  it('hands the canary back when its arrival cannot be written, and still delivers the rest of the batch', async () => {
    const failing: CanaryStore = {
      ...memoryCanaryStore(),
      arrived: async () => {
        throw new Error('ProvisionedThroughputExceededException');
      },
    };
    const h = await start(failing);
    const canary = makeSqsRecord(sample('us-east-1'));
    const finding = makeSqsRecord(makeFindingEvent({ detail: { severity: 8 } }));

    const result = await h.invoke([canary, finding]);

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: canary.messageId }]);
    expect(h.received('security')).toHaveLength(1);
    expect(
      h.captured
        .logs()
        .filter((line) => line.level === 'ERROR')
        .map((line) => line.message),
    ).toContain('Canary arrival not recorded');
  });
});
