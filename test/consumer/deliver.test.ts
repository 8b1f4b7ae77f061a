import pLimit from 'p-limit';
import { describe, expect, it } from 'vitest';
import {
  RateLimiters,
  SlackPayloadRejectedError,
  SlackPermanentError,
  SlackRateLimitedError,
  SlackServerError,
  TokenBucket,
  WebhookSecretError,
  backoffDelayMs,
  deliverMessages,
  emptyStats,
  parseRetryAfterSeconds,
  postWebhook,
  queueUrlFromArn,
  requestVisibility,
  secretsManagerWebhooks,
  staticWebhooks,
  visibilitySeconds,
  webhookFromSecretValue,
  type DeliveryEnvironment,
  type FetchLike,
} from '../../destinations/slack-webhook/index.ts';
import type { SlackMessage } from '../../destinations/slack/render/types.ts';
import type { MessageOutcome } from '../../core/port/outcome.ts';

const URL_A = 'https://hooks.slack.com/services/T000/B000/secret-a';

/** A fetch that answers from a script and records the calls. */
/** What became of a message: delivered, or the class of its failure (the port's vocabulary). */
const fateOf = (outcome: MessageOutcome): string =>
  outcome.status === 'delivered' ? 'delivered' : outcome.failure.class;

function scriptedFetch(answers: ({ status: number; body?: string; headers?: Record<string, string> } | Error)[]) {
  const calls: { url: string; body: string }[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, body: init.body });
    const answer = answers.shift() ?? { status: 200, body: 'ok' };
    if (answer instanceof Error) throw answer;
    return {
      status: answer.status,
      headers: { get: (name: string) => answer.headers?.[name.toLowerCase()] ?? null },
      text: async () => answer.body ?? '',
    };
  };
  return { fetch, calls };
}

/** A clock whose `sleep` moves time forward at once. */
function fakeClock(startMs = 1_000_000) {
  let nowMs = startMs;
  const sleeps: number[] = [];
  return {
    now: () => nowMs,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      nowMs += ms;
    },
    advance: (ms: number) => {
      nowMs += ms;
    },
    sleeps,
  };
}

function message(destination: string, text = 'hello'): SlackMessage {
  return { destination, kind: 'single', payload: { text, attachments: [] }, findings: [] };
}

const silentLogger = { warn: () => undefined, error: () => undefined, debug: () => undefined };

function environment(
  fetch: FetchLike,
  clock: ReturnType<typeof fakeClock>,
  limits = { messagesPerSecond: 1, burst: 1 },
): DeliveryEnvironment {
  return {
    fetch,
    webhooks: staticWebhooks({ a: URL_A, b: 'https://hooks.example.test/services/T000/B000/secret-b' }),
    limiters: new RateLimiters(limits, 1),
    now: clock.now,
    sleep: clock.sleep,
    postLimit: pLimit(4),
    requestTimeoutMs: 5_000,
    random: () => 0.5,
    logger: silentLogger,
  };
}

describe('TokenBucket', () => {
  it('lets a burst through, then one message per 1/rate seconds', () => {
    const bucket = new TokenBucket({ ratePerSecond: 2, capacity: 2 }, 0);

    bucket.take(0);
    bucket.take(0);

    expect(bucket.waitMs(0)).toBe(500);
    expect(bucket.waitMs(500)).toBe(0);
  });

  it('sends nothing before a 429 pause ends, and one message right after it', () => {
    const bucket = new TokenBucket({ ratePerSecond: 1, capacity: 3 }, 0);

    bucket.pauseUntil(5_000, 100);

    expect(bucket.waitMs(4_999)).toBe(1);
    expect(bucket.waitMs(5_000)).toBe(0);
    bucket.take(5_000);
    expect(bucket.waitMs(5_000)).toBe(1_000);
  });

  it('scales rate and burst by the instance share, keeping at least one token', () => {
    const limiters = new RateLimiters({ messagesPerSecond: 1, burst: 3 }, 1 / 4);

    expect(limiters.settings).toEqual({ ratePerSecond: 0.25, capacity: 1 });
  });
});

describe('postWebhook', () => {
  const payload = { text: 'x', attachments: [] };
  const post = (answer: Parameters<typeof scriptedFetch>[0][number]) =>
    postWebhook(URL_A, payload, { destination: 'a', fetch: scriptedFetch([answer]).fetch, timeoutMs: 1_000 });

  it('resolves on 200', async () => {
    await expect(post({ status: 200, body: 'ok' })).resolves.toBeUndefined();
  });

  it('turns 429 into SlackRateLimitedError with the Retry-After seconds', async () => {
    const error = await post({ status: 429, headers: { 'retry-after': '7' } }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SlackRateLimitedError);
    expect((error as SlackRateLimitedError).retryAfterSeconds).toBe(7);
  });

  it('turns 5xx and network errors into SlackServerError without the URL', async () => {
    const server = await post({ status: 503, body: 'unavailable' }).catch((e: unknown) => e);
    const network = await post(
      Object.assign(new TypeError(`fetch failed ${URL_A}`), { cause: { code: 'ECONNREFUSED' } }),
    ).catch((e: unknown) => e);

    expect(server).toBeInstanceOf(SlackServerError);
    expect((server as SlackServerError).status).toBe(503);
    expect(network).toBeInstanceOf(SlackServerError);
    expect((network as Error).message).toContain('ECONNREFUSED');
    expect(JSON.stringify([String(server), String(network), (network as Error).cause])).not.toContain('secret-a');
  });

  it('turns 400 invalid_blocks into SlackPayloadRejectedError and other 4xx into SlackPermanentError', async () => {
    const invalid = await post({ status: 400, body: 'invalid_blocks' }).catch((e: unknown) => e);
    const gone = await post({ status: 410, body: 'channel_is_archived' }).catch((e: unknown) => e);

    expect(invalid).toBeInstanceOf(SlackPayloadRejectedError);
    expect(gone).toBeInstanceOf(SlackPermanentError);
    expect(gone).not.toBeInstanceOf(SlackPayloadRejectedError);
    expect(gone).toMatchObject({ destination: 'a', status: 410, body: 'channel_is_archived' });
  });

  it('reads Retry-After as whole seconds, defaulting to 1', () => {
    expect(parseRetryAfterSeconds('2')).toBe(2);
    expect(parseRetryAfterSeconds('1.2')).toBe(2);
    expect(parseRetryAfterSeconds(null)).toBe(1);
    expect(parseRetryAfterSeconds(new Date(10_000).toUTCString(), 5_000)).toBe(5);
  });

  it('pauses at least 1 s after a 429, even when Retry-After says 0 or a past date', () => {
    expect(parseRetryAfterSeconds('0')).toBe(1);
    expect(parseRetryAfterSeconds('-3')).toBe(1);
    expect(parseRetryAfterSeconds(new Date(1_000).toUTCString(), 5_000)).toBe(1);
  });
});

describe('backoffDelayMs', () => {
  it('grows exponentially within equal jitter and stops at the cap', () => {
    expect(backoffDelayMs(1, () => 0)).toBe(125);
    expect(backoffDelayMs(1, () => 0.999)).toBeLessThanOrEqual(250);
    expect(backoffDelayMs(3, () => 0)).toBe(500);
    expect(backoffDelayMs(20, () => 0.999)).toBeLessThanOrEqual(8_000);
  });
});

describe('webhook secrets', () => {
  const destinations = { a: { webhookSecret: 'hub/slack/a' } };

  it('reads each secret once per instance', async () => {
    const reads: string[] = [];
    const webhooks = secretsManagerWebhooks(destinations, async (id) => {
      reads.push(id);
      return URL_A;
    });

    await webhooks.webhookUrl('a');
    await webhooks.webhookUrl('a');

    expect(reads).toEqual(['hub/slack/a']);
  });

  it('reads again after a failure, and calls a missing secret permanent', async () => {
    let attempt = 0;
    const webhooks = secretsManagerWebhooks(destinations, async () => {
      attempt += 1;
      if (attempt === 1) throw Object.assign(new Error('no'), { name: 'ResourceNotFoundException' });
      return URL_A;
    });

    const first = await webhooks.webhookUrl('a').catch((e: unknown) => e);
    await Promise.resolve();

    expect(first).toBeInstanceOf(WebhookSecretError);
    expect((first as WebhookSecretError).permanent).toBe(true);
    await expect(webhooks.webhookUrl('a')).resolves.toBe(URL_A);
  });

  it('accepts a plain URL or a JSON object with url, nothing else', () => {
    expect(webhookFromSecretValue(` ${URL_A} `)).toBe(URL_A);
    expect(webhookFromSecretValue(JSON.stringify({ url: URL_A }))).toBe(URL_A);
    expect(webhookFromSecretValue('not a url')).toBeUndefined();
    expect(webhookFromSecretValue('')).toBeUndefined();
  });
});

describe('visibility', () => {
  it('keeps the visibility between a few seconds and 12 hours', () => {
    expect(visibilitySeconds(1_000, 0)).toBe(5);
    expect(visibilitySeconds(30_500, 0)).toBe(31);
    expect(visibilitySeconds(100_000_000, 0)).toBe(43_200);
  });

  it('derives the queue URL from the record ARN', () => {
    expect(queueUrlFromArn('arn:aws:sqs:us-west-2:111111111111:hub-queue')).toBe(
      'https://sqs.us-west-2.amazonaws.com/111111111111/hub-queue',
    );
    expect(queueUrlFromArn('nonsense')).toBeUndefined();
  });

  it('logs a failed ChangeMessageVisibility and carries on', async () => {
    const warnings: unknown[] = [];
    const sqs = { send: async () => Promise.reject(new Error('AccessDenied')) };

    const done = await requestVisibility(
      sqs,
      'https://queue',
      [{ messageId: 'm1', receiptHandle: 'r1', seconds: 30 }],
      {
        warn: (...args: unknown[]) => void warnings.push(args),
      },
    );

    expect(done).toBe(0);
    expect(JSON.stringify(warnings)).toContain('m1');
  });
});

describe('deliverMessages', () => {
  it('does not post to a destination again before its Retry-After has passed', async () => {
    const clock = fakeClock();
    const { fetch, calls } = scriptedFetch([
      { status: 200 },
      { status: 429, headers: { 'retry-after': '3' } },
      { status: 200 },
    ]);
    const times: number[] = [];
    const timed: FetchLike = async (url, init) => {
      times.push(clock.now());
      return fetch(url, init);
    };
    const stats = emptyStats();

    const outcomes = await deliverMessages(
      [message('a', '1'), message('a', '2')],
      environment(timed, clock, { messagesPerSecond: 10, burst: 5 }),
      clock.now() + 60_000,
      stats,
    );

    expect(outcomes.map(fateOf)).toEqual(['delivered', 'delivered']);
    expect(calls).toHaveLength(3);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(3_000);
    expect(stats).toMatchObject({ slackMessages: 2, slackThrottled: 1 });
  });

  it('retries 5xx with backoff and defers what does not fit before the deadline', async () => {
    const clock = fakeClock();
    const { fetch } = scriptedFetch([
      { status: 500 },
      { status: 500 },
      { status: 500 },
      { status: 500 },
      { status: 500 },
    ]);

    const outcomes = await deliverMessages(
      [message('a', '1'), message('a', '2')],
      environment(fetch, clock),
      clock.now() + 1_000,
      emptyStats(),
    );

    expect(outcomes.map(fateOf)).toEqual(['retry-after', 'retry-after']);
    expect(clock.sleeps.length).toBeGreaterThan(0);
    expect(outcomes[0]).toMatchObject({ failure: { retryAtMs: expect.any(Number) } });
  });

  it('defers messages whose turn under the rate limit comes after the deadline', async () => {
    const clock = fakeClock();
    const { fetch, calls } = scriptedFetch([]);

    const outcomes = await deliverMessages(
      [message('a', '1'), message('a', '2'), message('a', '3')],
      environment(fetch, clock, { messagesPerSecond: 1, burst: 1 }),
      clock.now() + 1_500,
      emptyStats(),
    );

    expect(outcomes.map(fateOf)).toEqual(['delivered', 'delivered', 'retry-after']);
    expect(calls).toHaveLength(2);
  });

  it('starts no post after the deadline, however long it waited for a free post slot', async () => {
    const clock = fakeClock();
    const posted: string[] = [];
    const fetch: FetchLike = async (url) => {
      posted.push(url.includes('secret-a') ? 'a' : 'b');
      if (url.includes('secret-a')) clock.advance(4_900); // a slow answer holds the only slot
      return { status: 200, headers: { get: () => null }, text: async () => 'ok' };
    };
    const env = { ...environment(fetch, clock), postLimit: pLimit(1) };

    const outcomes = await deliverMessages(
      [message('a', '1'), message('b', '2')],
      env,
      clock.now() + 5_000,
      emptyStats(),
    );

    expect(outcomes.map(fateOf)).toEqual(['delivered', 'retry-after']);
    expect(posted).toEqual(['a']);
  });

  it('stops a destination that refuses for good and keeps delivering to the others', async () => {
    const clock = fakeClock();
    const answers: Record<string, { status: number; body: string }> = {
      'secret-a': { status: 404, body: 'channel_not_found' },
    };
    const fetch: FetchLike = async (url) => {
      const answer = Object.entries(answers).find(([key]) => url.includes(key))?.[1] ?? { status: 200, body: 'ok' };
      return { status: answer.status, headers: { get: () => null }, text: async () => answer.body };
    };

    const outcomes = await deliverMessages(
      [message('a', '1'), message('b', '2'), message('a', '3')],
      environment(fetch, clock, { messagesPerSecond: 10, burst: 5 }),
      clock.now() + 60_000,
      emptyStats(),
    );

    expect(outcomes.map(fateOf)).toEqual(['gone', 'delivered', 'gone']);
  });

  it('rejects every message of a destination without a webhook URL', async () => {
    const clock = fakeClock();
    const { fetch, calls } = scriptedFetch([]);

    const outcomes = await deliverMessages(
      [message('nowhere')],
      environment(fetch, clock),
      clock.now() + 60_000,
      emptyStats(),
    );

    expect(outcomes[0]).toMatchObject({
      status: 'failed',
      failure: { class: 'credential', error: expect.any(WebhookSecretError) },
    });
    expect(calls).toHaveLength(0);
  });
});
