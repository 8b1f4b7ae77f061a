import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Silence, SilenceMatchers } from '../../../shared/silences.ts';
import type { Block } from '../../slack/render/types.ts';
import { escapeSlack, truncatePlain } from '../../slack/render/escape.ts';
import { TriagePayloadError } from './errors.ts';
import { mention } from './state.ts';
import { buttonValue, decodeTarget, type TriageTarget } from './target.ts';

/**
 * The Silence… modal: what it shows (scope, duration, a required reason), the finding it is about
 * carried in `private_metadata` under the front's seal, and the `view_submission` that comes back.
 * Slack's documented limits on a modal view: title, submit and close at most 24 characters,
 * `callback_id` 255, `private_metadata` 3,000, at most 100 blocks; a view with input blocks needs a
 * `submit` (https://docs.slack.dev/reference/views/modal-views).
 */

/** `callback_id` of the modal: the front answers view submissions carrying it. */
export const SILENCE_CALLBACK_ID = 'gdh-triage-silence';

/** `block_id`s of the modal's inputs (each input's `action_id` is the same). */
export const SILENCE_BLOCK_IDS = {
  scope: 'gdh-silence-scope',
  duration: 'gdh-silence-duration',
  reason: 'gdh-silence-reason',
} as const;

/** How long a silence made from Slack lasts: the modal's choices, their labels and lengths in ms. */
export const SILENCE_DURATIONS = {
  '1h': { label: '1 hour', ms: 3_600_000 },
  '1d': { label: '1 day', ms: 86_400_000 },
  '7d': { label: '7 days', ms: 7 * 86_400_000 },
  '30d': { label: '30 days', ms: 30 * 86_400_000 },
} as const;

/** One of {@link SILENCE_DURATIONS}. */
export type SilenceDuration = keyof typeof SILENCE_DURATIONS;

/** True for a key of {@link SILENCE_DURATIONS}. */
const isSilenceDuration = (value: string): value is SilenceDuration => Object.hasOwn(SILENCE_DURATIONS, value);

/** What a silence from Slack holds: this finding (its resource, type, account and region) or findings like this (type and account). */
export const SILENCE_SCOPES = ['finding', 'like-this'] as const;
/** One of {@link SILENCE_SCOPES}. */
export type SilenceScope = (typeof SILENCE_SCOPES)[number];

/** Slack's limit on `private_metadata`, in characters. */
export const PRIVATE_METADATA_MAX_CHARS = 3000;
/** Longest reason the modal takes, in characters (Slack allows 3,000 in a plain_text_input). */
export const SILENCE_REASON_MAX_CHARS = 500;
/** Slack's limit on an option's text, in characters. */
const OPTION_TEXT_MAX_CHARS = 75;

/** What the modal is about: the finding, and the parent whose thread hears of the silence. */
export interface SilenceSubject {
  readonly target: TriageTarget;
  readonly channel: string;
  /** The parent message's `ts`. */
  readonly parentTs: string;
}

/** HMAC-SHA256 (hex) with the signing secret over `gdh-silence:v1:<subject JSON>`. */
function subjectSeal(signingSecret: string, subject: string): string {
  return createHmac('sha256', signingSecret).update(`gdh-silence:v1:${subject}`).digest('hex');
}

/**
 * The modal's `private_metadata`: the subject and the front's seal on it, so a submission can only
 * silence what a signed click on one of the hub's parents showed. Undefined when it passes Slack's limit.
 */
export function sealSubject(subject: SilenceSubject, signingSecret: string): string | undefined {
  const text = JSON.stringify({ t: buttonValue(subject.target), c: subject.channel, p: subject.parentTs });
  const metadata = JSON.stringify({ s: text, h: subjectSeal(signingSecret, text) });
  return metadata.length <= PRIVATE_METADATA_MAX_CHARS ? metadata : undefined;
}

/** The subject of `metadata` when its seal holds; undefined for anything else (forged, altered, unreadable). */
export function openSubject(metadata: string, signingSecret: string): SilenceSubject | undefined {
  try {
    const { s, h } = JSON.parse(metadata) as { s?: unknown; h?: unknown };
    if (typeof s !== 'string' || typeof h !== 'string') return undefined;
    const expected = Buffer.from(subjectSeal(signingSecret, s), 'utf8');
    const given = Buffer.from(h, 'utf8');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const { t, c, p } = JSON.parse(s) as { t?: unknown; c?: unknown; p?: unknown };
    if (typeof c !== 'string' || typeof p !== 'string') return undefined;
    return { target: decodeTarget(t), channel: c, parentTs: p };
  } catch {
    return undefined;
  }
}

const plain = (text: string) => ({ type: 'plain_text', text });
const option = (value: string, text: string) => ({ text: plain(truncatePlain(text, OPTION_TEXT_MAX_CHARS)), value });

/** The modal view for `subject` (`views.open`'s `view`), with `metadata` from {@link sealSubject}. */
export function silenceModal(subject: SilenceSubject, metadata: string): Record<string, unknown> {
  const { target } = subject;
  const scopes = [
    option(
      'finding',
      target.resource === undefined ? 'This finding (type, account, region)' : "This finding's resource",
    ),
    option('like-this', `Findings like this (${target.type} in ${target.accountId})`),
  ];
  const durations = Object.entries(SILENCE_DURATIONS).map(([value, { label }]) => option(value, label));
  const input = (blockId: string, label: string, element: Record<string, unknown>): Block => ({
    type: 'input',
    block_id: blockId,
    label: plain(label),
    element: { ...element, action_id: blockId },
  });
  return {
    type: 'modal',
    callback_id: SILENCE_CALLBACK_ID,
    private_metadata: metadata,
    title: plain('Silence findings'),
    submit: plain('Silence'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `*${escapeSlack(truncatePlain(target.type, 200))}* in account ${target.accountId}, ${target.region}.\nThe hub skips what the silence matches until it ends; GuardDuty keeps and correlates every finding.`,
        },
      },
      input(SILENCE_BLOCK_IDS.scope, 'Silence', { type: 'radio_buttons', options: scopes, initial_option: scopes[0] }),
      input(SILENCE_BLOCK_IDS.duration, 'For', {
        type: 'static_select',
        options: durations,
        initial_option: durations[1],
      }),
      input(SILENCE_BLOCK_IDS.reason, 'Reason', {
        type: 'plain_text_input',
        multiline: true,
        max_length: SILENCE_REASON_MAX_CHARS,
        placeholder: plain('Why, shown with the silence'),
      }),
    ],
  };
}

/** One `view_submission` of the Silence… modal, as the front reads it. */
export interface SilenceSubmission {
  readonly userId: string;
  readonly callbackId: string;
  /** The view's id (`view.id`). */
  readonly viewId: string;
  readonly privateMetadata: string;
  /** Undefined when the submission carries none, or one the modal does not offer. */
  readonly scope: SilenceScope | undefined;
  readonly duration: SilenceDuration | undefined;
  /** Trimmed; empty when none was given. */
  readonly reason: string;
}

const recordOf = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
const textOf = (value: unknown): string => (typeof value === 'string' ? value : '');

/** Reads a `view_submission` payload; throws {@link TriagePayloadError} without a user or a view. */
export function parseViewSubmission(payload: Readonly<Record<string, unknown>>): SilenceSubmission {
  const view = recordOf(payload.view);
  const userId = textOf(recordOf(payload.user).id);
  if (userId === '' || Object.keys(view).length === 0)
    throw new TriagePayloadError('the view_submission has no user or no view');
  const values = recordOf(recordOf(view.state).values);
  const stateOf = (blockId: string) => recordOf(recordOf(values[blockId])[blockId]);
  const selected = (blockId: string) => textOf(recordOf(stateOf(blockId).selected_option).value);
  const scope = SILENCE_SCOPES.find((candidate) => candidate === selected(SILENCE_BLOCK_IDS.scope));
  const duration = selected(SILENCE_BLOCK_IDS.duration);
  return {
    userId,
    callbackId: textOf(view.callback_id),
    viewId: textOf(view.id),
    privateMetadata: textOf(view.private_metadata),
    scope,
    duration: isSilenceDuration(duration) ? duration : undefined,
    reason: textOf(stateOf(SILENCE_BLOCK_IDS.reason).value).trim(),
  };
}

/**
 * The matchers of `scope` for `target`: this finding is its type, account and region, and its resource
 * when it has a single identifier; findings like this are its type in its account, in every region.
 */
export function silenceMatchers(target: TriageTarget, scope: SilenceScope): SilenceMatchers {
  const likeThis = { type: target.type, accounts: [target.accountId] };
  if (scope === 'like-this') return likeThis;
  return {
    ...likeThis,
    regions: [target.region],
    ...(target.resource === undefined ? {} : { resource: target.resource }),
  };
}

/** The silence a complete submission asks for, by `userId`, starting at `nowMs`. */
export function silenceFrom(
  target: TriageTarget,
  request: {
    readonly userId: string;
    readonly scope: SilenceScope;
    readonly duration: SilenceDuration;
    readonly reason: string;
  },
  nowMs: number,
): Silence {
  return {
    id: `sil-${randomBytes(5).toString('hex')}`,
    matchers: silenceMatchers(target, request.scope),
    author: request.userId,
    reason: request.reason,
    startsAtMs: nowMs,
    endsAtMs: nowMs + SILENCE_DURATIONS[request.duration].ms,
    origin: 'slack',
  };
}

/** `🔕 Silenced by <@U…> for 7 days: reason` (the reason escaped), for the parent's thread. */
export function silencedReply(userId: string, duration: SilenceDuration, reason: string, silenceId: string): string {
  return `:no_bell: Silenced by ${mention(userId)} for ${SILENCE_DURATIONS[duration].label}: ${escapeSlack(reason)} (silence \`${silenceId}\`; \`guardduty-hub silences expire ${silenceId}\` ends it).`;
}
