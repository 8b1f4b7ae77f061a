import { afterEach, describe, expect, it } from 'vitest';
import { DESTINATION_TYPES, type DestinationType } from '../../lambdas/consumer/destination-types.ts';
import type { Destination } from '../../core/port/destination.ts';
import type { FailureClass, MessageOutcome, OutgoingMessage } from '../../core/port/outcome.ts';
import type { RoutedFinding } from '../../core/types.ts';
import type { HubConfig } from '../../shared/index.ts';
import { forAccount, makeFindingEvent, makeSqsRecord } from '../factories/index.ts';
import { startConsumerHarness, type ConsumerHarness } from '../support/consumer-harness.ts';
import { FAST_SIMULATOR, repeatsConfig } from './repeats-handler-support.ts';

// A destination type is its adapter and one registry entry: this file defines a type of its own
// (`recorder`, which keeps what it is given and answers as the test says), registers it beside the
// shipped ones, and sends findings to it through the real handler. Nothing in the core knows it.

const PAGER_ACCOUNT = '555555555555';

/** The recorder's messages and the failure class it answers with (none: delivered). */
interface Recorder {
  readonly received: RoutedFinding[];
  failWith: FailureClass | undefined;
}

/** The recorder destination type: one registry entry whose adapter records every group. */
function recorderType(recorder: Recorder): DestinationType {
  const answer = (message: OutgoingMessage): MessageOutcome =>
    recorder.failWith === undefined
      ? { status: 'delivered', message }
      : {
          status: 'failed',
          message,
          failure: {
            class: recorder.failWith,
            reason: `pager: answered ${recorder.failWith}`,
            note: 'Sent here because pager is gone',
          },
        };
  const adapter: Destination = {
    type: 'recorder',
    deliver: async (groups) => {
      recorder.received.push(...groups);
      return groups.map((group) =>
        answer({ destination: group.destination, kind: 'single', payload: group.finding.id, findings: [group] }),
      );
    },
    deliverRerouted: async (rerouted) =>
      rerouted.flatMap(({ findings }) =>
        findings.map((routed) =>
          answer({ destination: routed.destination, kind: 'single', payload: routed.finding.id, findings: [routed] }),
        ),
      ),
  };
  return { type: 'recorder', create: () => adapter };
}

/** Findings of PAGER_ACCOUNT go to `pager`, a destination of type `recorder`; the rest to the `security` webhook. */
function pagerConfig(): HubConfig {
  // The schema knows only the shipped types, so the test's destination is added after validation.
  const config = repeatsConfig({ accounts: { [PAGER_ACCOUNT]: { name: 'pager', minSeverity: 'low' } } });
  const pager = { type: 'recorder' } as unknown as HubConfig['destinations'][string];
  return {
    ...config,
    accounts: {
      ...config.accounts,
      [PAGER_ACCOUNT]: { ...config.accounts[PAGER_ACCOUNT], name: 'pager', destination: 'pager' },
    },
    destinations: { ...config.destinations, pager },
  };
}

let harness: ConsumerHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('a destination type of the test’s own, registered beside the shipped ones', () => {
  it('receives the finding routed to it through the real handler', async () => {
    const recorder: Recorder = { received: [], failWith: undefined };
    harness = await startConsumerHarness(pagerConfig(), FAST_SIMULATOR, {
      destinationTypes: [...DESTINATION_TYPES, recorderType(recorder)],
    });
    const event = makeFindingEvent({ detail: forAccount(PAGER_ACCOUNT) });

    const response = await harness.invoke([makeSqsRecord(event)]);

    expect(response.batchItemFailures).toEqual([]);
    expect(recorder.received.map((routed) => [routed.destination, routed.finding.id])).toEqual([
      ['pager', event.detail.id],
    ]);
    expect(harness.received('security')).toEqual([]);
    expect(harness.captured.metric('FindingsDelivered')).toBe(1);
  });

  it('is failed over, dead-lettered or retried by the core from the failure class alone', async () => {
    const recorder: Recorder = { received: [], failWith: 'gone' };
    harness = await startConsumerHarness(pagerConfig(), FAST_SIMULATOR, {
      destinationTypes: [...DESTINATION_TYPES, recorderType(recorder)],
    });
    const [gone, refused, later] = [1, 2, 3].map(() => makeFindingEvent({ detail: forAccount(PAGER_ACCOUNT) }));
    const records = [gone, refused, later].map((event) => makeSqsRecord(event!));

    const afterGone = await harness.invoke([records[0]!]);
    recorder.failWith = 'refused';
    const afterRefused = await harness.invoke([records[1]!]);
    recorder.failWith = 'transient';
    const afterTransient = await harness.invoke([records[2]!]);

    expect(afterGone.batchItemFailures).toEqual([]);
    expect(harness.received('security').join('\n')).toContain(String(gone!.detail.id));
    expect(harness.received('security').join('\n')).toContain('Sent here because pager is gone');
    expect(afterRefused.batchItemFailures).toEqual([]);
    expect(harness.deadLetters.map((letter) => [letter.sourceMessageId, letter.kind, letter.reason])).toEqual([
      [records[1]!.messageId, 'rejected', 'pager: answered refused'],
    ]);
    expect(afterTransient.batchItemFailures).toEqual([{ itemIdentifier: records[2]!.messageId }]);
  });
});
