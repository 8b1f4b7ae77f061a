import { describe, expect, it } from 'vitest';
import { slackSignature, verifySlackSignature } from '../../../lambdas/triage/index.ts';

// Slack's worked example (docs.slack.dev, "Verifying requests from Slack"): secret, timestamp, a slash
// command body and the signature Slack published for them. An outside fact, not our own signer's echo.
const DOC_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const DOC_TIMESTAMP = '1531420618';
const DOC_BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const DOC_SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const AT_DOC_TIME_MS = Number(DOC_TIMESTAMP) * 1000;

describe('Slack request signatures', () => {
  it('signs Slack’s documented example to the documented signature', () => {
    expect(slackSignature(DOC_SECRET, DOC_TIMESTAMP, DOC_BODY)).toBe(DOC_SIGNATURE);
  });

  it('accepts the documented request within five minutes of its timestamp, either side', () => {
    const request = { timestamp: DOC_TIMESTAMP, signature: DOC_SIGNATURE, rawBody: DOC_BODY };

    expect(verifySlackSignature(request, DOC_SECRET, AT_DOC_TIME_MS + 299_000)).toEqual({ ok: true });
    expect(verifySlackSignature(request, DOC_SECRET, AT_DOC_TIME_MS - 299_000)).toEqual({ ok: true });
    expect(verifySlackSignature(request, DOC_SECRET, AT_DOC_TIME_MS + 301_000)).toEqual({
      ok: false,
      problem: 'stale-timestamp',
    });
  });

  it.each([
    ['one changed body character', { rawBody: DOC_BODY.replace('foobar', 'foobaz') }, 'bad-signature'],
    ['a v1 signature', { signature: DOC_SIGNATURE.replace('v0=', 'v1=') }, 'bad-signature'],
    ['an upper-case hex signature', { signature: DOC_SIGNATURE.toUpperCase() }, 'bad-signature'],
    ['a timestamp that is not a number', { timestamp: '1531420618.5' }, 'bad-timestamp'],
    ['no timestamp', { timestamp: undefined }, 'missing-headers'],
    ['no signature', { signature: undefined }, 'missing-headers'],
  ] as const)('refuses %s', (_name, change, problem) => {
    const request = { timestamp: DOC_TIMESTAMP, signature: DOC_SIGNATURE, rawBody: DOC_BODY, ...change };

    expect(verifySlackSignature(request, DOC_SECRET, AT_DOC_TIME_MS)).toEqual({ ok: false, problem });
  });
});
