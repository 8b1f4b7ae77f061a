import { expect } from 'vitest';
import { claimSecondsFor, createRepeatGate, type RepeatGate, type StateStore } from '../../core/repeats/index.ts';
import type { SlackPayload } from '../../destinations/slack/render/types.ts';
import { findingConsoleUrl, type HubConfig } from '../../shared/index.ts';
import {
  BASE_TIME,
  accessKey,
  makeFindingEvent,
  makeHubConfig,
  makeSqsRecord,
  type FindingEvent,
} from '../factories/index.ts';
import { startConsumerHarness, type ConsumerHarness } from '../support/consumer-harness.ts';

/** Helpers for the tests that drive the repeat gate through the real handler and the Slack simulator. */

/** Fast limits: the handler and the simulator agree on 50 messages/s, burst 10. */
export const FAST = { delivery: { messagesPerSecond: 50, burst: 10 } } as const;
export const FAST_SIMULATOR = { ratePerSecond: 50, burst: 10 } as const;

/** A test config with fast delivery; `overrides` as for `makeHubConfig`. */
export function repeatsConfig(overrides: Record<string, unknown> = {}): HubConfig {
  return makeHubConfig({ ...FAST, ...overrides });
}

/** The Lambda's gate over `store`, as `runtime.ts` builds it. */
export function gateOver(config: HubConfig, store: StateStore): RepeatGate {
  return createRepeatGate({ settings: config.repeats, store, claimSeconds: claimSecondsFor(config) });
}

/** A clock that runs with real time (so rate limiters and deadlines work) and can be moved ahead. */
export function movableClock(): { readonly now: () => number; advance(ms: number): void } {
  let offsetMs = 0;
  return {
    now: () => Date.now() + offsetMs,
    advance: (ms) => {
      offsetMs += ms;
    },
  };
}

/** The same finding re-published by GuardDuty: same id and resource, `service.count` and `updatedAt` grown. */
export function republish(
  first: FindingEvent,
  count: number,
  severity: number = Number(first.detail.severity),
): FindingEvent {
  const updatedAt = new Date(Date.parse(BASE_TIME) + count * 60_000).toISOString();
  return makeFindingEvent({
    detail: {
      ...first.detail,
      severity,
      updatedAt,
      service: { ...first.detail.service, count, eventLastSeen: updatedAt },
    },
  });
}

/** One issue (same type, account and IAM access key) as each region's detector reports it: its own id per region. */
export function sameIssueIn(regions: readonly string[]): FindingEvent[] {
  return regions.map((region) =>
    makeFindingEvent({
      detail: { region, type: 'UnauthorizedAccess:IAMUser/MaliciousIPCaller', ...accessKey({ userName: 'alice' }) },
    }),
  );
}

/** The console link of an event's finding. */
export function linkOf(event: FindingEvent): string {
  return findingConsoleUrl(event.detail.region, event.detail.id);
}

/** What a single-finding Slack message shows: its fields by name (Count, Severity, Region or Regions, …). */
export function fieldsShown(raw: string): Record<string, string> {
  const payload = JSON.parse(raw) as SlackPayload;
  const texts = payload.attachments
    .flatMap((attachment) => attachment.blocks)
    .flatMap((block) => (Array.isArray(block.fields) ? (block.fields as { text: string }[]) : []))
    .map((field) => field.text);
  return Object.fromEntries(
    texts.map((text) => {
      const match = /^\*([^*]+)\*\n([\s\S]*)$/.exec(text);
      return match === null ? [text, ''] : [match[1]!, match[2]!];
    }),
  );
}

/**
 * Two consumer instances (two handlers, each with its own gate over `stores[0]` and `stores[1]`, one
 * table behind them) receive the same finding in two SQS messages at once. Exactly one Slack message
 * may result. The other instance either finds the winner's committed message (a repeat) or, while the
 * winner's claim is live, hands its record back ("in flight", never "done") and, received again once
 * the claim has expired, skips it as a repeat. The store never fails (a
 * failing store would fail open and let both notify).
 */
export async function expectOneMessageFromRacingInstances(stores: readonly [StateStore, StateStore]): Promise<void> {
  const config = repeatsConfig();
  const clock = movableClock();
  const harness: ConsumerHarness = await startConsumerHarness(config, FAST_SIMULATOR, {
    repeats: gateOver(config, stores[0]),
    now: clock.now,
  });
  try {
    const other = harness.instance({ repeats: gateOver(config, stores[1]) });
    const event = makeFindingEvent();
    const copies = [makeSqsRecord(event), makeSqsRecord(event)] as const;

    const responses = await Promise.all([harness.invoke([copies[0]]), other.invoke([copies[1]])]);
    const handedBack = responses.flatMap((response) =>
      response.batchItemFailures.map((failure) => failure.itemIdentifier),
    );
    clock.advance((claimSecondsFor(config) + 1) * 1000);
    const loser = handedBack[0] === copies[0].messageId ? harness : other;
    const redelivered =
      handedBack.length === 0
        ? undefined
        : await loser.invoke([handedBack[0] === copies[0].messageId ? copies[0] : copies[1]]);

    expect(handedBack.length).toBeLessThanOrEqual(1);
    expect(redelivered?.batchItemFailures ?? []).toEqual([]);
    expect(harness.received('security')).toHaveLength(1);
    expect(harness.received('security')[0]).toContain(linkOf(event));
    expect(harness.captured.metric('RepeatsDeferred') + other.captured.metric('RepeatsDeferred')).toBe(
      handedBack.length,
    );
    expect(harness.captured.metric('FindingsSkipped_repeat') + other.captured.metric('FindingsSkipped_repeat')).toBe(1);
    expect(harness.captured.metric('RepeatStoreErrors') + other.captured.metric('RepeatStoreErrors')).toBe(0);
  } finally {
    await harness.close();
  }
}
