import { afterEach, describe, expect, it } from 'vitest';
import { MAX_CALL_MS, slackForTriage } from '../../../destinations/slack-app/triage/slack.ts';
import { startSlackWebSimulator, type SlackWebSimulator } from '../../../devkit/slack/web-api-simulator.ts';

const TOKEN = 'xoxb-triage-test';
const CHANNEL = 'C0ALERTS01';

let slack: SlackWebSimulator | undefined;
afterEach(async () => {
  await slack?.close();
  slack = undefined;
});

/** The worker's Slack client over the Web API simulator, with the pauses it asks for recorded instead of waited. */
async function triageSlack() {
  slack = await startSlackWebSimulator({ tokens: [TOKEN], channels: [CHANNEL] });
  const pauses: number[] = [];
  const client = slackForTriage({
    apiUrl: slack.apiUrl,
    fetch: globalThis.fetch,
    sleep: async (ms) => void pauses.push(ms),
  });
  const parent = await client.call('chat.postMessage', TOKEN, { channel: CHANNEL, text: 'a finding' });
  return { sim: slack, client, pauses, ts: String(parent.ts) };
}

const callsOf = (sim: SlackWebSimulator, method: string) =>
  sim.calls.filter((call) => call.method === method).map((call) => call.status);

describe('the triage worker’s Slack calls', () => {
  it('edits the parent after a 429, waiting the Retry-After Slack sent', async () => {
    const { sim, client, pauses, ts } = await triageSlack();
    sim.failNext('chat.update', 'ratelimited', 1, 3);

    await client.call('chat.update', TOKEN, { channel: CHANNEL, ts, text: 'Archived by <@U0ALICE001>' });

    expect(pauses).toEqual([3000]);
    expect(callsOf(sim, 'chat.update')).toEqual([429, 200]);
    expect(sim.parents(CHANNEL)[0]!.text).toBe('Archived by <@U0ALICE001>');
  });

  it('edits the parent again after Slack-side failures, 1 s then 2 s apart', async () => {
    const { sim, client, pauses, ts } = await triageSlack();
    sim.failNext('chat.update', 'internal_error', 2);

    await client.call('chat.update', TOKEN, { channel: CHANNEL, ts, text: 'Acknowledged' });

    expect(pauses).toEqual([1000, 2000]);
    expect(sim.succeeded('chat.update')).toHaveLength(1);
  });

  it('gives up after three attempts with Slack’s error', async () => {
    const { sim, client, pauses, ts } = await triageSlack();
    sim.failNext('chat.update', 'internal_error', 5);

    await expect(client.call('chat.update', TOKEN, { channel: CHANNEL, ts, text: 'x' })).rejects.toMatchObject({
      name: 'SlackServerError',
    });

    expect(pauses).toEqual([1000, 2000]);
    expect(callsOf(sim, 'chat.update')).toHaveLength(3);
  });

  it('does not wait for a Retry-After after which the call could not end within its time', async () => {
    const { sim, client, pauses, ts } = await triageSlack();
    // The wait plus the request's 5 s timeout would pass the call's time.
    sim.failNext('chat.update', 'ratelimited', 1, MAX_CALL_MS / 1000 - 4);

    await expect(client.call('chat.update', TOKEN, { channel: CHANNEL, ts, text: 'x' })).rejects.toMatchObject({
      name: 'SlackRateLimitedError',
    });

    expect(pauses).toEqual([]);
    expect(callsOf(sim, 'chat.update')).toEqual([429]);
  });

  it('posts the thread reply again only after a 429, never after a failure that may have posted it', async () => {
    const { sim, client, pauses, ts } = await triageSlack();
    sim.failNext('chat.postMessage', 'ratelimited', 1, 1);
    await client.call('chat.postMessage', TOKEN, { channel: CHANNEL, thread_ts: ts, text: 'first reply' });
    sim.failNext('chat.postMessage', 'internal_error', 1);

    await expect(
      client.call('chat.postMessage', TOKEN, { channel: CHANNEL, thread_ts: ts, text: 'second reply' }),
    ).rejects.toMatchObject({
      name: 'SlackServerError',
    });

    expect(pauses).toEqual([1000]);
    expect(sim.replies(CHANNEL, ts).map((reply) => reply.text)).toEqual(['first reply']);
  });

  it('makes a refused call once', async () => {
    const { sim, client, pauses } = await triageSlack();

    await expect(client.call('chat.update', TOKEN, { channel: 'C0ELSEWHERE', ts: '1.1', text: 'x' })).rejects.toThrow(
      /channel_not_found/,
    );

    expect(pauses).toEqual([]);
    expect(callsOf(sim, 'chat.update')).toHaveLength(1);
  });
});
