import { describe, expect, it } from 'vitest';
import {
  PAGERDUTY_BUDGET,
  PAGERDUTY_EVENTS_API,
  RoutingKeyError,
  cutText,
  dedupKeyOf,
  retryAfterSeconds,
  routingKeyFromSecretValue,
  secretsManagerRoutingKeys,
  staticRoutingKeys,
} from '../../destinations/pagerduty/index.ts';

const KEY = 'e93facc04764012d7bfb002500d5d1a6';

describe('PagerDuty events: keys and text', () => {
  it('keys an issue by its global identity and a finding by its id, hashing a key PagerDuty would refuse', () => {
    const finding = { id: 'f-1', type: 'Recon:IAMUser/MaliciousIPCaller', accountId: '444444444444' };
    const long = { ...finding, foldIdentity: `s3-bucket:${'b'.repeat(300)}` };

    expect(dedupKeyOf(finding)).toBe('finding#f-1');
    expect(dedupKeyOf({ ...finding, foldIdentity: 'access-key:AKIA1' })).toBe(
      'issue#Recon:IAMUser/MaliciousIPCaller#444444444444#access-key:AKIA1',
    );
    expect(dedupKeyOf(long)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(dedupKeyOf(long)).toBe(dedupKeyOf({ ...long }));
  });

  it('cuts text between code points, to the limit exactly', () => {
    const text = `${'a'.repeat(1_022)}🙂🙂🙂`;

    const cut = cutText(text, PAGERDUTY_EVENTS_API.summaryMaxChars);

    expect([...cut]).toHaveLength(1_024);
    expect(cut.endsWith('a🙂…')).toBe(true);
    expect(cutText('short', 1_024)).toBe('short');
  });

  it('keeps a budget under PagerDuty’s 120 events in any 60 s window', () => {
    expect(PAGERDUTY_BUDGET.burst + PAGERDUTY_BUDGET.messagesPerSecond * 60).toBeLessThan(
      PAGERDUTY_EVENTS_API.eventsPerWindow,
    );
  });

  it('waits for Retry-After when PagerDuty sends one, and for the documented 30 s when it does not', () => {
    expect(retryAfterSeconds('7')).toBe(7);
    expect(
      retryAfterSeconds(new Date(Date.parse('2026-03-01T00:00:20Z')).toUTCString(), Date.parse('2026-03-01T00:00:00Z')),
    ).toBe(20);
    expect(retryAfterSeconds(null)).toBe(30);
    expect(retryAfterSeconds('soon')).toBe(30);
  });
});

describe('PagerDuty routing keys', () => {
  it('reads a key as plain text or a JSON field, and refuses anything else', () => {
    expect(routingKeyFromSecretValue(` ${KEY}\n`)).toBe(KEY);
    expect(routingKeyFromSecretValue(JSON.stringify({ routingKey: KEY }))).toBe(KEY);
    expect(routingKeyFromSecretValue(JSON.stringify({ routing_key: KEY }))).toBe(KEY);
    expect(routingKeyFromSecretValue(KEY.slice(1))).toBeUndefined();
    expect(routingKeyFromSecretValue(`${KEY.slice(1)}-`)).toBeUndefined();
    expect(routingKeyFromSecretValue('https://events.pagerduty.com/v2/enqueue')).toBeUndefined();
  });

  it('reads each destination’s secret once, and names the secret, never the key, when it cannot', async () => {
    const reads: string[] = [];
    const keys = secretsManagerRoutingKeys(
      { oncall: { routingKeySecret: 'pd/oncall' }, bad: { routingKeySecret: 'pd/bad' }, slack: {} },
      async (secretId) => {
        reads.push(secretId);
        return secretId === 'pd/oncall' ? KEY : `${KEY}x`;
      },
    );

    const first = await keys.routingKey('oncall');
    await keys.routingKey('oncall');
    const bad = await keys.routingKey('bad').catch((error: unknown) => error);
    const slack = await keys.routingKey('slack').catch((error: unknown) => error);

    expect(first).toBe(KEY);
    expect(reads.filter((id) => id === 'pd/oncall')).toHaveLength(1);
    expect(bad).toBeInstanceOf(RoutingKeyError);
    expect((bad as RoutingKeyError).permanent).toBe(true);
    expect((bad as Error).message).toBe(
      'bad: cannot read the PagerDuty routing key: secret pd/bad does not hold a routing key (32 letters and digits: the Integration Key of an Events API v2 integration)',
    );
    expect((bad as Error).message).not.toContain(KEY);
    expect((slack as Error).message).toBe('slack: cannot read the PagerDuty routing key: not a PagerDuty destination');
  });

  it('refuses a malformed key given directly, as replay passes them', async () => {
    const keys = staticRoutingKeys({ oncall: KEY, typo: 'abc' });

    expect(await keys.routingKey('oncall')).toBe(KEY);
    await expect(keys.routingKey('typo')).rejects.toThrow(
      'typo: cannot read the PagerDuty routing key: the key given is not 32 letters and digits',
    );
    await expect(keys.routingKey('other')).rejects.toThrow(RoutingKeyError);
  });
});
