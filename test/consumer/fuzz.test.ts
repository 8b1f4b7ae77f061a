import type { SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  NO_METRICS,
  SILENT_LOGGER,
  createHandler,
  parseRecord,
  passThroughGate,
  renderMessages,
  routeBatch,
  staticWebhooks,
  validatePayload,
  type FetchLike,
  type SqsLike,
} from '../../lambdas/consumer/index.ts';
import { parentPayload, replyText, withFindings, type ParentChange } from '../../destinations/slack-app/index.ts';
import { SLACK_LIMITS } from '../../destinations/slack/limits.ts';
import { DEAD_LETTER_ATTRIBUTES, type HubConfig } from '../../shared/index.ts';
import {
  assumedRole,
  makeCloudTrailDetail,
  makeCloudTrailEvent,
  makeFindingEvent,
  makeHubConfig,
  makeScanResultEvent,
  makeSqsRecord,
} from '../factories/index.ts';
import { findingEnvelope, generateFamilies } from '../model/families.ts';
import { REMOVE, SQS_TEXT, withEdits } from '../support/mutate.ts';
import { triageConfig } from './triage/triage-support.ts';

/**
 * Bad input, generated: events of every family (the GuardDuty API model's shapes, a malware scan
 * result, a tamper event) with one to four parts changed at random places: a member removed, or
 * replaced by null, a number, a boolean, an array, an object, any code points (control characters
 * and lone surrogates too), Slack control text, or a string of 30,000 characters or emoji. Whatever
 * arrives, the consumer must never throw, must give every record it refuses a reason, must send
 * Slack only payloads within its limits with control text escaped and no half of a surrogate pair
 * (webhook messages, digests, living parents with triage buttons, thread replies), and with Slack
 * accepting must hand nothing back.
 */

type Json = Record<string, unknown>;

/** The control text a replacement may carry; it must never reach Slack as a mention. */
const CONTROL = '<!channel> <@U0FUZZ> & <https://evil.example|click>';

const BASES: readonly Json[] = [
  ...generateFamilies().map(({ detail }, i) => findingEnvelope(detail, i)),
  makeFindingEvent() as unknown as Json,
  makeScanResultEvent({ bucket: 'uploads', key: 'a/b.exe', threats: ['EICAR-Test-File'] }),
  makeCloudTrailEvent(
    makeCloudTrailDetail('DeleteDetector', { overrides: { userIdentity: assumedRole('111111111111', 'ops') } }),
  ),
];

const replacement: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(REMOVE),
  fc.constant(null),
  fc.boolean(),
  fc.oneof(fc.integer(), fc.double(), fc.constantFrom(-1, 0, 1e308, Number.MAX_SAFE_INTEGER)),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    CONTROL,
    `  ${CONTROL}  `,
    'x'.repeat(30_000),
    '😀'.repeat(15_000),
    `${'&'.repeat(5000)}${CONTROL}`,
    '',
    '2026-13-45T99:99:99Z',
    '8.9',
    'NaN',
  ),
  fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.constant(null), fc.constant(CONTROL)), {
    maxLength: 4,
  }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string({ maxLength: 8 }), fc.constant(CONTROL)), {
    maxKeys: 3,
  }),
);

/** One mutated event, as an SQS body. */
const mutatedBody: fc.Arbitrary<string> = fc
  .record({
    base: fc.nat(BASES.length - 1),
    edits: fc.array(fc.tuple(fc.nat(), replacement), { minLength: 1, maxLength: 4 }),
  })
  .map(({ base, edits }) => JSON.stringify(withEdits(BASES[base], edits)));

/** A lone high or low surrogate: text cut inside an emoji. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Within Slack's limits; every text Slack reads as mrkdwn (the top-level `text` and each `mrkdwn`
 * object) free of the control text; no text holding half of a surrogate pair. Plain text shows
 * `<!channel>` as it is, and a button's value is data Slack hands back, so neither needs escaping.
 */
function expectFitForSlack(payload: unknown): void {
  expect(validatePayload(payload)).toEqual([]);
  const mrkdwn = [String((payload as { text?: unknown }).text ?? ''), ...mrkdwnTexts(payload)].join('\n');
  expect(mrkdwn).not.toContain('<!channel>');
  expect(mrkdwn).not.toContain('<@U0FUZZ>');
  expect(mrkdwn).not.toContain('<https://evil.example');
  expect(allTexts(payload).filter((text) => LONE_SURROGATE.test(text))).toEqual([]);
}

function mrkdwnTexts(value: unknown): string[] {
  if (value === null || typeof value !== 'object') return [];
  const own =
    (value as { type?: unknown; text?: unknown }).type === 'mrkdwn' ? [String((value as { text?: unknown }).text)] : [];
  return [...own, ...Object.values(value).flatMap(mrkdwnTexts)];
}

function allTexts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(allTexts);
}

const single = makeHubConfig({ delivery: { digestThreshold: 100 } });
const digested = makeHubConfig({ delivery: { digestThreshold: 1, maxFindingsPerMessage: 5 } });
/**
 * Runs per property, and the seed: fixed, so that every run of `npm test` checks the same cases;
 * `FUZZ_SEED=random FUZZ_RUNS=5000 npx vitest run test/consumer/fuzz.test.ts` searches further.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = process.env.FUZZ_SEED === 'random' ? {} : { seed: Number(process.env.FUZZ_SEED ?? 20261202) };

describe('generated bad input', () => {
  it('the base events are all findings the consumer accepts (so the edits are what is tested)', () => {
    for (const base of BASES) expect(parseRecord(JSON.stringify(base))).toMatchObject({ ok: true });
  });

  it('parse never throws, and a refused record always says why', () => {
    fc.assert(
      fc.property(mutatedBody, (body) => {
        const result = parseRecord(body);
        if (!result.ok) expect(result.reason).toMatch(/\S/);
      }),
      { numRuns: RUNS * 2, ...SEED },
    );
  });

  it.each([
    ['one message per finding', single],
    ['digests', digested],
  ] as const)(
    'route and render (%s) give only payloads within Slack limits, escaped, never cut inside a character',
    (_name, config) => {
      fc.assert(
        fc.property(fc.array(mutatedBody, { minLength: 1, maxLength: 6 }), (bodies) => {
          const records = bodies.map((body, i) => ({ messageId: `m-${i}`, body }));
          const { routed, failed } = routeBatch(records, config);
          for (const f of failed) expect(f.reason).toMatch(/\S/);
          for (const message of renderMessages(routed, config)) expectFitForSlack(message.payload);
        }),
        { numRuns: RUNS, ...SEED },
      );
    },
  );

  it('living parents of app destinations, with triage buttons, stay within Slack limits, escaped and whole, and so do their thread replies', () => {
    const config = triageConfig();
    const changes: ParentChange[] = [
      { kind: 'severity-rose' },
      { kind: 'count-milestone' },
      { kind: 'region-joined', added: ['eu-west-1', CONTROL] },
      { kind: 'archived', regions: [CONTROL], active: ['eu-west-1', CONTROL], all: [CONTROL, 'eu-west-1'] },
      { kind: 'new' },
    ];
    fc.assert(
      fc.property(
        fc.array(mutatedBody, { minLength: 1, maxLength: 4 }),
        fc.constantFrom('active' as const, 'archived' as const),
        (bodies, status) => {
          const { routed } = routeBatch(
            bodies.map((body, i) => ({ messageId: `m-${i}`, body })),
            config,
          );
          // Every routed finding as a region of one issue: hostile regions, ids and links side by side.
          const parts = withFindings(
            {},
            routed.map((item) => ({ ...item.finding, archived: status === 'archived' || item.finding.archived })),
          );
          for (const item of routed) {
            expectFitForSlack(parentPayload(item, config, parts, Date.parse('2026-06-01T00:00:00Z')));
            for (const change of changes)
              expect(replyText(item, change, true).length).toBeLessThanOrEqual(SLACK_LIMITS.topLevelTextChars);
            for (const change of changes) {
              const reply = replyText(item, change);
              expect(reply.length).toBeLessThanOrEqual(SLACK_LIMITS.topLevelTextChars);
              expectFitForSlack({ text: reply, attachments: [] });
            }
          }
        },
      ),
      { numRuns: RUNS, ...SEED },
    );
  });

  it('the handler hands nothing back when Slack accepts, dead-letters exactly the refused records with their reason, and posts only valid payloads', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutatedBody, { minLength: 1, maxLength: 8 }), async (bodies) => {
        const { handler, posted, deadLettered } = handlerWorld(digested);
        const records: SQSRecord[] = bodies.map((body, i) => makeSqsRecord(body, { messageId: `m-${i}` }));
        const refused = records.filter((r) => !parseRecord(r.body).ok).map((r) => r.messageId);

        const response = await handler({ Records: records }, { getRemainingTimeInMillis: () => 60_000 });

        expect(response.batchItemFailures).toEqual([]);
        expect(deadLettered.map((d) => d.messageId).sort()).toEqual(refused.sort());
        for (const d of deadLettered) expect(d.reason).toMatch(/\S/);
        for (const payload of posted) expectFitForSlack(payload);
      }),
      { numRuns: RUNS / 2, ...SEED },
    );
  });
});

/** The real handler with Slack accepting every post and a DLQ that records what it is sent. */
function handlerWorld(config: HubConfig) {
  const posted: unknown[] = [];
  const deadLettered: { messageId: string; reason: string }[] = [];
  const fetch: FetchLike = async (_url, init) => {
    posted.push(JSON.parse(init.body));
    return { status: 200, headers: { get: () => null }, text: async () => 'ok' };
  };
  const sqs: SqsLike = {
    // SendMessageBatch as SQS answers it: an entry whose attribute holds a character SQS does not
    // allow (outside #x9, #xA, #xD, #x20–#xD7FF, #xE000–#xFFFD, #x10000–#x10FFFF) fails alone.
    send: async (command: { input?: { Entries?: readonly SendMessageBatchRequestEntry[] } }) => {
      const entries = command.input?.Entries ?? [];
      const allowed = (entry: SendMessageBatchRequestEntry) =>
        Object.values(entry.MessageAttributes ?? {}).every((a) => SQS_TEXT.test(a.StringValue ?? ''));
      for (const entry of entries.filter(allowed)) {
        const attributes = entry.MessageAttributes ?? {};
        deadLettered.push({
          messageId: attributes[DEAD_LETTER_ATTRIBUTES.sourceMessageId]?.StringValue ?? '',
          reason: attributes[DEAD_LETTER_ATTRIBUTES.reason]?.StringValue ?? '',
        });
      }
      return {
        Successful: entries.filter(allowed).map((e) => ({ Id: e.Id, MessageId: `dlq-${e.Id}`, MD5OfMessageBody: '' })),
        Failed: entries
          .filter((e) => !allowed(e))
          .map((e) => ({ Id: e.Id, Code: 'InvalidParameterValue', SenderFault: true })),
      };
    },
  } as SqsLike;
  let clock = Date.parse('2026-06-01T00:00:00Z');
  const webhooks = Object.fromEntries(
    Object.keys(config.destinations).map((name) => [name, `https://hooks.slack.com/services/T0/B0/${name}`]),
  );
  const handler = createHandler({
    config,
    fetch,
    webhooks: staticWebhooks(webhooks),
    sqs,
    queueUrl: 'https://sqs.us-east-1.amazonaws.com/111111111111/hub',
    deadLetterQueueUrl: 'https://sqs.us-east-1.amazonaws.com/111111111111/hub-dlq',
    instanceShare: 1,
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
    },
    repeats: passThroughGate(),
    logger: SILENT_LOGGER,
    metrics: NO_METRICS,
  });
  return { handler, posted, deadLettered };
}
