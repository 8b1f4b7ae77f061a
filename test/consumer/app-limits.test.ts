import { describe, expect, it } from 'vitest';
import { WEB_API_LIMITS, WebApiLimiters, callWebApi } from '../../destinations/slack-app/index.ts';
import { SlackRateLimitedError, SlackServerError } from '../../destinations/slack-webhook/index.ts';

describe('Web API limits', () => {
  it('gives each method its own bucket per destination, at Slack’s tier, scaled by the instance share', () => {
    const limiters = new WebApiLimiters({ messagesPerSecond: 1, burst: 3 }, 0.5);

    expect(limiters.settings('chat.postMessage')).toEqual({ ratePerSecond: 0.5, capacity: 1 });
    expect(limiters.settings('chat.update')).toEqual({ ratePerSecond: (50 / 60) * 0.5, capacity: 2 });
    expect(limiters.settings('files.getUploadURLExternal')).toEqual({ ratePerSecond: (100 / 60) * 0.5, capacity: 5 });
    expect(WEB_API_LIMITS['chat.update'].perMinute).toBe(50);
    expect(limiters.bucket('a', 'chat.update', 0)).not.toBe(limiters.bucket('a', 'chat.postMessage', 0));
    expect(limiters.bucket('a', 'chat.update', 0)).toBe(limiters.bucket('a', 'chat.update', 5));
    expect(limiters.bucket('a', 'chat.update', 0)).not.toBe(limiters.bucket('b', 'chat.update', 0));
  });

  it('turns Slack’s answers into the delivery errors, never quoting the token', async () => {
    const token = ['xoxb', '1', '2', 'secretValue'].join('-');
    const answer =
      (status: number, body: string, headers: Record<string, string> = {}) =>
      async () => ({
        status,
        headers: { get: (name: string) => headers[name] ?? null },
        text: async () => body,
      });
    const call = (fetch: Parameters<typeof callWebApi>[2]['fetch']) =>
      callWebApi(
        'chat.update',
        { channel: 'C1', ts: '1.2' },
        { destination: 'alerts', baseUrl: 'http://127.0.0.1:1/api', token, fetch, timeoutMs: 1000 },
      );

    await expect(call(answer(200, '{"ok":true,"ts":"1.2"}'))).resolves.toMatchObject({ ok: true, ts: '1.2' });
    await expect(call(answer(429, '', { 'retry-after': '7' }))).rejects.toMatchObject({
      constructor: SlackRateLimitedError,
      retryAfterSeconds: 7,
    });
    await expect(call(answer(200, '{"ok":false,"error":"token_revoked"}'))).rejects.toMatchObject({
      name: 'SlackApiRefusedError',
      body: 'token_revoked',
      method: 'chat.update',
    });
    await expect(call(answer(200, '{"ok":false,"error":"message_not_found"}'))).rejects.toMatchObject({
      name: 'SlackParentGoneError',
      code: 'message_not_found',
    });
    await expect(call(answer(200, '{"ok":false,"error":"msg_too_long"}'))).rejects.toMatchObject({
      name: 'SlackApiPayloadError',
      body: 'msg_too_long',
    });
    await expect(call(answer(200, '{"ok":false,"error":"internal_error"}'))).rejects.toBeInstanceOf(SlackServerError);
    await expect(call(answer(503, 'down'))).rejects.toBeInstanceOf(SlackServerError);
    const failed = await call(async () => {
      throw new Error(`connect ECONNREFUSED with ${token}`);
    }).catch((error: Error) => error);
    expect(failed).toBeInstanceOf(SlackServerError);
    expect(`${(failed as Error).message} ${JSON.stringify(failed)}`).not.toContain('secretValue');
  });
});
