import { afterEach, describe, expect, it } from 'vitest';
import type { DriftAlert } from '../../core/kinds/drift/types.ts';
import { driftAlertBody } from '../../lambdas/drift/index.ts';
import {
  DEFAULT_ACCOUNT_ID,
  WEAKENING_REQUESTS,
  makeCloudTrailDetail,
  makeCloudTrailEvent,
  makeSqsRecord,
} from '../factories/index.ts';
import { ALERTS_CHANNEL, appConfig, startAppWorld, type AppWorld } from './app-support.ts';

// One incident, not three (issue 28): a region's detector disabled shows as a tamper alert on the call,
// the drift check's detector alert and, later, the canary late. At an app destination the first opens a
// thread and the others, and their recoveries, reply in it; a later incident (over a day on) opens its
// own. Through the real handler and the Slack Web API simulator, on a clock the test moves.

const HOUR = 3_600_000;
const REGION = 'us-east-1';
let world: AppWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

function drift(subject: 'detector' | 'canary', kind: 'drifted' | 'recovered', nowMs: number): string {
  const alert: DriftAlert =
    subject === 'detector'
      ? {
          kind,
          region: REGION,
          subject,
          accountId: DEFAULT_ACCOUNT_ID,
          from: 'ENABLED',
          to: 'DISABLED',
          expected: 'ENABLED',
        }
      : {
          kind,
          region: REGION,
          subject,
          accountId: DEFAULT_ACCOUNT_ID,
          from: 'arriving',
          to: 'late',
          expected: 'arriving',
        };
  return driftAlertBody(kind === 'drifted' ? alert : { ...alert, from: alert.to, to: alert.expected }, nowMs);
}

function detectorDisabled(): Record<string, unknown> {
  return makeCloudTrailEvent(
    makeCloudTrailDetail('UpdateDetector', {
      accountId: DEFAULT_ACCOUNT_ID,
      region: REGION,
      requestParameters: WEAKENING_REQUESTS.UpdateDetector,
    }),
  );
}

describe('a detector incident at an app destination', () => {
  it('is one thread: the tamper alert opens it, the drift and canary alerts and their recoveries reply in it', async () => {
    let now = Date.parse('2026-12-06T10:00:00Z');
    world = await startAppWorld(appConfig(), { now: () => now, web: { now: () => now } });
    const send = async (body: object | string) => {
      const result = await world!.harness.invoke([makeSqsRecord(body)]);
      expect(result.batchItemFailures).toEqual([]);
    };

    await send(detectorDisabled());
    now += 5 * 60_000;
    await send(drift('detector', 'drifted', now));
    now += 90 * 60_000;
    await send(drift('canary', 'drifted', now));
    now += HOUR;
    await send(drift('detector', 'recovered', now));
    await send(drift('canary', 'recovered', now));

    const parents = world.slack.parents(ALERTS_CHANNEL);
    expect(parents).toHaveLength(1);
    expect(JSON.stringify(parents[0]!.attachments)).toContain('UpdateDetector');
    const replies = world.slack.replies(ALERTS_CHANNEL, parents[0]!.ts).map((reply) => JSON.stringify(reply));
    expect(replies).toHaveLength(4);
    expect(replies[0]).toContain(`GuardDuty detector is DISABLED in ${REGION}`);
    expect(replies[1]).toContain(`Findings from ${REGION} are not reaching the hub`);
    expect(replies[2]).toContain(`GuardDuty detector is ENABLED again in ${REGION}`);
    expect(replies[3]).toContain(`Findings from ${REGION} reach the hub again`);
  });

  it('opens a thread of its own a day after the last incident opened', async () => {
    let now = Date.parse('2026-12-06T10:00:00Z');
    world = await startAppWorld(appConfig(), { now: () => now, web: { now: () => now } });

    await world.harness.invoke([makeSqsRecord(drift('detector', 'drifted', now))]);
    now += 25 * HOUR;
    await world.harness.invoke([makeSqsRecord(drift('canary', 'drifted', now))]);

    expect(world.slack.parents(ALERTS_CHANNEL)).toHaveLength(2);
  });
});
