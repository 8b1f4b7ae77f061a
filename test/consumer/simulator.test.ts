import { afterEach, describe, expect, it } from 'vitest';
import { startSlackSimulator, type SlackSimulator } from '../../devkit/slack/webhook-simulator.ts';

const PATH = '/services/T0/B0/simulated';
const VALID = {
  text: 'hello',
  attachments: [{ color: '#F2C744', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }] }],
};

let simulator: SlackSimulator | undefined;
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

const post = (body: unknown) =>
  fetch(simulator!.url(PATH), { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) }).then(
    async (r) => ({
      status: r.status,
      text: await r.text(),
      retryAfter: r.headers.get('retry-after'),
    }),
  );

describe('Slack simulator', () => {
  it('accepts a burst, then answers 429 with a whole-second Retry-After', async () => {
    let nowMs = 0;
    simulator = await startSlackSimulator({ ratePerSecond: 1, burst: 2, now: () => nowMs });

    const answers = [await post(VALID), await post(VALID), await post(VALID)];
    nowMs = 1_000;
    const later = await post(VALID);

    expect(answers.map((a) => a.status)).toEqual([200, 200, 429]);
    expect(answers[2]!.retryAfter).toBe('1');
    expect(later.status).toBe(200);
    expect(simulator.accepted(PATH)).toHaveLength(3);
  });

  it('answers 400 invalid_payload to non-JSON and invalid_blocks to a payload over Slack limits', async () => {
    simulator = await startSlackSimulator({ ratePerSecond: 100, burst: 10 });
    const tooManyBlocks = {
      text: 'x',
      attachments: [{ color: '#000000', blocks: Array.from({ length: 51 }, () => VALID.attachments[0]!.blocks[0]) }],
    };

    expect(await post('not json')).toMatchObject({ status: 400, text: 'invalid_payload' });
    expect(await post(tooManyBlocks)).toMatchObject({ status: 400, text: 'invalid_blocks' });
  });

  it('fails 5xx for a while, then recovers; a gone channel stays gone', async () => {
    let nowMs = 0;
    simulator = await startSlackSimulator({ ratePerSecond: 100, burst: 10, now: () => nowMs });
    simulator.setBehaviour(PATH, { fail5xxFor: 500 });

    const failing = await post(VALID);
    nowMs = 600;
    const recovered = await post(VALID);
    simulator.setBehaviour(PATH, { gone: 410, body: 'channel_is_archived' });
    const gone = await post(VALID);

    expect(failing.status).toBe(500);
    expect(recovered.status).toBe(200);
    expect(gone).toMatchObject({ status: 410, text: 'channel_is_archived' });
  });

  it('answers no_service for a revoked webhook and delays answers on request', async () => {
    simulator = await startSlackSimulator({ ratePerSecond: 100, burst: 10 });
    simulator.setBehaviour(PATH, { noService: true, delayMs: 50 });

    const started = Date.now();
    const answer = await post(VALID);

    expect(answer).toMatchObject({ status: 404, text: 'no_service' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });
});
