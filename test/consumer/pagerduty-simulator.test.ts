import { afterEach, describe, expect, it } from 'vitest';
import { startPagerDutySimulator, type PagerDutySimulator } from '../../devkit/pagerduty/index.ts';

// The PagerDuty simulator answers as PagerDuty's Events API v2 documentation says: these tests hold it
// to that, so that the adapter's tests through it mean something.

const KEY = 'R0uT1nGkEy0f0nCaLl5555555555abcd';

let pager: PagerDutySimulator | undefined;
afterEach(async () => {
  await pager?.close();
  pager = undefined;
});

async function post(body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(pager?.url ?? '', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const trigger = (dedupKey: string, summary = 'disk full') => ({
  routing_key: KEY,
  event_action: 'trigger',
  dedup_key: dedupKey,
  payload: { summary, source: 'host-1', severity: 'critical' },
});

describe('the PagerDuty Events API v2 simulator', () => {
  it('answers 202 with status, message and dedup_key, and keeps the alert’s state by dedup_key', async () => {
    pager = await startPagerDutySimulator();
    pager.integration(KEY);

    const answers = [
      await post(trigger('k-1')),
      await post({ routing_key: KEY, event_action: 'acknowledge', dedup_key: 'k-1' }),
      await post(trigger('k-1')),
      await post({ routing_key: KEY, event_action: 'resolve', dedup_key: 'k-1' }),
      await post({ routing_key: KEY, event_action: 'resolve', dedup_key: 'k-1' }),
      await post(trigger('k-1')),
    ];

    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202, 202, 202, 202]);
    expect(answers[0]?.body).toEqual({ status: 'success', message: 'Event processed', dedup_key: 'k-1' });
    const [first, second] = pager.alerts.of('k-1');
    expect(first).toMatchObject({
      state: 'resolved',
      triggers: 2,
      history: ['trigger', 'acknowledge', 'trigger', 'resolve'],
    });
    expect(second).toMatchObject({ state: 'triggered', triggers: 1 });
    expect(pager.accepted().map((request) => request.applied)).toEqual([true, true, true, true, false, true]);
  });

  it('refuses invalid events with 400 and every error, and an unknown routing key as PagerDuty does', async () => {
    pager = await startPagerDutySimulator();
    pager.integration(KEY);

    const bad = await post({
      routing_key: 'short-key',
      event_action: 'trigger',
      dedup_key: 'k'.repeat(256),
      payload: { summary: 's'.repeat(1_025), severity: 'fatal' },
    });
    const notJson = await post('{');
    const unknown = await post({ ...trigger('k-2'), routing_key: 'UnknownKey0000000000000000000000' });
    const resolveWithoutKey = await post({ routing_key: KEY, event_action: 'resolve' });

    expect(bad).toEqual({
      status: 400,
      body: {
        status: 'invalid event',
        message: 'Event object is invalid',
        errors: [
          "Length of 'routing_key' is incorrect (should be 32 characters)",
          "'routing_key' cannot contain non-alphanumeric characters",
          "'dedup_key' is longer than 255 characters",
          "'payload.summary' is longer than 1024 characters",
          "'payload.source' is missing or blank",
          "'payload.severity' must be one of critical, error, warning, info",
        ],
      },
    });
    expect(notJson).toEqual({
      status: 400,
      body: {
        status: 'Unrecognized object',
        message: 'Event object format is unrecognized',
        errors: ['JSON parse error'],
      },
    });
    expect(unknown.body.errors).toEqual(['Invalid routing key']);
    expect(resolveWithoutKey.body.errors).toEqual(["'dedup_key' is required for resolve"]);
    expect(pager.alerts.all()).toEqual([]);
  });

  it('throttles a routing key past 120 events in the 60 s looking back, and takes it again as the window moves', async () => {
    let nowMs = Date.parse('2026-03-01T00:00:00Z');
    pager = await startPagerDutySimulator({ now: () => nowMs });
    pager.integration(KEY);

    const statuses: number[] = [];
    for (let i = 0; i < 121; i += 1) statuses.push((await post(trigger(`k-${i}`))).status);
    nowMs += 59_999;
    const stillThrottled = await post(trigger('late'));
    nowMs += 1;
    const again = await post(trigger('later'));

    expect(statuses.filter((status) => status === 202)).toHaveLength(120);
    expect(statuses.at(-1)).toBe(429);
    expect(stillThrottled.status).toBe(429);
    expect(again.status).toBe(202);
  });
});
