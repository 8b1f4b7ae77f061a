import { afterEach, describe, expect, it } from 'vitest';
import type { SlackPayload } from '../../destinations/slack/render/types.ts';
import { makeCloudTrailDetail, makeCloudTrailEvent, makeHubConfig, makeSqsRecord } from '../factories/index.ts';
import { startConsumerHarness, type ConsumerHarness } from '../support/consumer-harness.ts';

// A caller controls most of a CloudTrail record: the user agent, the names in its identity, the
// request parameters, even the source "IP" (a service name when AWS calls). Every such field must
// reach Slack as plain text: no mention or link, and no bold, italics, strike or code either.

/** One of each Slack mrkdwn emphasis and code form. */
const HOSTILE = '*bold* _it_ ~strike~ `code`';

const ZERO_WIDTH_SPACE = /\u200B/g;

/**
 * Emphasis or code Slack would apply: a marker that opens (no letter, digit or zero-width space
 * before it, no space after) and the same marker that closes (no space before, no letter, digit or
 * zero-width space after), on one line.
 */
const LIVE_FORMATTING = /(?<![\p{L}\p{N}\u200B])([*_~`])(?![\s\u200B]).*?(?<![\s\u200B])\1(?![\p{L}\p{N}\u200B])/u;

/** What a reader sees of escaped mrkdwn text: zero-width spaces are invisible, entities show as their character. */
const shownText = (mrkdwn: string) =>
  mrkdwn.replace(ZERO_WIDTH_SPACE, '').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');

let harness: ConsumerHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** A CreateFilter call with the hostile text in every field a caller can set. */
function hostileCall() {
  return makeCloudTrailDetail('CreateFilter', {
    requestParameters: { detectorId: 'd1', name: HOSTILE, action: 'ARCHIVE', [HOSTILE]: 'value' },
    overrides: {
      userAgent: `aws-cli/2.15.0 ${HOSTILE}`,
      sourceIPAddress: `${HOSTILE} guardduty.amazonaws.com`,
      userIdentity: {
        type: `AssumedRole ${HOSTILE}`,
        arn: `arn:aws:sts::111111111111:assumed-role/${HOSTILE}/session`,
        sessionContext: { sessionIssuer: { arn: `arn:aws:iam::111111111111:role/${HOSTILE}` } },
      },
      errorCode: `AccessDenied ${HOSTILE}`,
    },
  });
}

/** Every mrkdwn text object's text under `value`, in order. */
function mrkdwnTexts(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(mrkdwnTexts);
  if (typeof value !== 'object' || value === null) return [];
  const inner = Object.values(value).flatMap(mrkdwnTexts);
  const isMrkdwn = 'type' in value && value.type === 'mrkdwn';
  return isMrkdwn && 'text' in value && typeof value.text === 'string' ? [value.text, ...inner] : inner;
}

/** The section fields of the alert as `[label, value]`, and the lines of its request parameters. */
function partsOf(payload: SlackPayload) {
  const texts = mrkdwnTexts(payload.attachments);
  const isRequest = (text: string) => text.startsWith('*Request*\n');
  const fields = texts
    .filter((text) => /^\*[A-Z][A-Za-z ]+\*\n/.test(text) && !isRequest(text))
    .map((text) => [text.slice(1, text.indexOf('*', 1)), text.slice(text.indexOf('\n') + 1)] as const);
  const parameters = texts.filter(isRequest).flatMap((text) => text.split('\n').slice(1));
  return { fields, parameters };
}

describe('a GuardDuty change with hostile text in every field, through the consumer handler', () => {
  it('shows each field as plain text: the characters as themselves, no emphasis, strike or code', async () => {
    harness = await startConsumerHarness(makeHubConfig());
    const detail = hostileCall();

    const response = await harness.invoke([makeSqsRecord(makeCloudTrailEvent(detail))]);

    expect(response.batchItemFailures).toEqual([]);
    const [raw] = harness.received('security');
    const payload: SlackPayload = JSON.parse(raw ?? '{}');
    const { fields } = partsOf(payload);
    const shown = Object.fromEntries(fields.map(([label, value]) => [label, shownText(value)]));
    expect(shown).toMatchObject({
      Who: detail.userIdentity.arn,
      Role: `arn:aws:iam::111111111111:role/${HOSTILE}`,
      'Source IP': detail.sourceIPAddress,
      'User agent': detail.userAgent,
      Result: `failed: ${detail.errorCode}`,
    });
    for (const [label, value] of fields) expect(value, label).not.toMatch(LIVE_FORMATTING);
    expect(payload.text).not.toMatch(LIVE_FORMATTING);
    expect(shownText(payload.text)).toContain(detail.userIdentity.arn);
  });

  it('shows request parameter names as plain text and values as code spans that nothing ends early', async () => {
    harness = await startConsumerHarness(makeHubConfig());

    await harness.invoke([makeSqsRecord(makeCloudTrailEvent(hostileCall()))]);

    const { parameters } = partsOf(JSON.parse(harness.received('security')[0] ?? '{}'));
    const line = (name: string) => parameters.find((text) => shownText(text).startsWith(`• ${name}: `));
    const nameLine = line('name');
    expect(nameLine).toBe('• name: `*bold* _it_ ~strike~ \u02CBcode\u02CB`');
    const hostileName = line(HOSTILE);
    expect(hostileName).toBeDefined();
    const [name] = (hostileName ?? '').split(': `');
    expect(name).not.toMatch(LIVE_FORMATTING);
    expect(hostileName).toMatch(/: `value`$/);
  });
});
