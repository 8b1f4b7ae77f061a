import type { DeliveryStats, Failure, MessageOutcome } from '../../core/port/outcome.ts';
import { DestinationSecretError, PayloadRefusedForGoodError, SlackPayloadRejectedError } from '../slack/errors.ts';
import type { HubConfig } from '../../shared/index.ts';
import type { MessageRef } from '../../core/repeats/index.ts';
import type { SlackMessage, SlackPayload } from '../slack/render/types.ts';
import { callWithLimits, outcomeOfCall, type CallOutcome, type WebApiEnvironment } from './call.ts';
import { BotTokenError } from './errors.ts';
import { replyText, type ParentChange } from './living.ts';
import type { ParentStore } from './parents.ts';
import type { BotTokenResolver } from './tokens.ts';

/**
 * The Web API steps on one message at an app destination: open the destination (its token and the
 * parents already posted), post a parent, edit one and reply in its thread, keep a parent's `ts`.
 */

/** What app delivery needs: the Web API environment, bot tokens and where parents are kept. */
export interface AppEnvironment extends WebApiEnvironment {
  readonly tokens: BotTokenResolver;
  readonly parents: ParentStore;
}

/** One destination's work: its name, channel, token and the parents found for its groups. */
export interface AppTarget {
  readonly destination: string;
  readonly channel: string;
  readonly token: string;
  /** Parents read at the start, and those posted since (so a sequence posted in this batch threads its findings). */
  readonly parents: Map<string, MessageRef>;
}

/** The token and parents of `destination`, or the outcome every message to it gets when its token cannot be read. */
export async function openTarget(
  destination: string,
  config: Pick<HubConfig, 'destinations'>,
  env: AppEnvironment,
  keys: readonly string[],
): Promise<AppTarget | { readonly outcome: (message: SlackMessage) => MessageOutcome }> {
  const channel = config.destinations[destination]?.app?.channel ?? '';
  let token: string;
  try {
    token = await env.tokens.botToken(destination);
  } catch (cause) {
    const error =
      cause instanceof DestinationSecretError
        ? cause
        : new BotTokenError(destination, 'unexpected error', false, { cause });
    env.logger.error('Cannot read the bot token of an app destination', {
      destination,
      permanent: error.permanent,
      error: error.message,
    });
    const failure: Failure = error.permanent
      ? {
          class: 'credential',
          reason: error.message,
          note: `Sent here because the bot token of ${destination} could not be read`,
          error,
        }
      : { class: 'transient', reason: error.message, error };
    return { outcome: (message) => ({ status: 'failed', message, failure }) };
  }
  let parents = new Map<string, MessageRef>();
  if (keys.length > 0) {
    try {
      parents = new Map(await env.parents.read(keys));
    } catch (error) {
      // Spam rather than silence: without the table, a new parent is posted.
      env.logger.warn('Cannot read parent messages: posting new ones', { destination, error: String(error) });
    }
  }
  return { destination, channel, token, parents };
}

/** Posts a thread reply (`args` hold `channel` and `thread_ts`); `message` is delivered when Slack took it. */
export async function postReply(
  message: SlackMessage,
  target: Omit<AppTarget, 'parents'>,
  args: Readonly<Record<string, unknown>>,
  env: AppEnvironment,
  deadlineMs: number,
  stats: DeliveryStats,
): Promise<MessageOutcome> {
  const replied = await callWithLimits(
    env,
    { destination: target.destination, method: 'chat.postMessage', token: target.token, args },
    deadlineMs,
    stats,
  );
  if (replied.status !== 'ok') return outcomeOfCall(replied, message);
  stats.slackMessages += 1;
  return { status: 'delivered', message };
}

/** What a parent edit needs besides the message: the change it replies with, and its plain form. */
export interface ParentEdit {
  readonly change: ParentChange;
  /** The parent's plainest form, tried when Slack refuses the blocks. */
  readonly plain?: () => SlackPayload;
}

/**
 * `chat.update` of the parent to `message` (its plain form if Slack refuses the blocks), then the
 * thread reply for the change. A refusal of the plain form too is for good (`PayloadRefusedForGoodError`).
 */
export async function editParent(
  message: SlackMessage,
  target: Omit<AppTarget, 'parents'>,
  parent: MessageRef,
  edit: ParentEdit,
  env: AppEnvironment,
  deadlineMs: number,
  stats: DeliveryStats,
): Promise<MessageOutcome> {
  const { destination, token } = target;
  const update = (payload: SlackPayload) => {
    const args = { channel: parent.channel, ts: parent.ts, text: payload.text, attachments: payload.attachments };
    return callWithLimits(env, { destination, method: 'chat.update', token, args }, deadlineMs, stats);
  };
  const edited = await withPlainForm(update, message.payload, edit.plain, destination, env);
  if (edited.status !== 'ok') return outcomeOfCall(edited, message);
  const reply = {
    channel: parent.channel,
    thread_ts: parent.ts,
    text: message.findings[0] === undefined ? 'Updated.' : replyText(message.findings[0], edit.change),
    ...(edit.change.kind === 'severity-rose' ? { reply_broadcast: true } : {}),
  };
  return postReply(message, target, reply, env, deadlineMs, stats);
}

/** `chat.postMessage` of a new parent; a refused payload is posted once more as plain text (`plain`). */
export async function postParent(
  message: SlackMessage,
  target: Omit<AppTarget, 'parents'>,
  env: AppEnvironment,
  deadlineMs: number,
  stats: DeliveryStats,
  plain?: () => SlackPayload,
): Promise<{ readonly outcome: MessageOutcome; readonly ts?: string; readonly channel?: string }> {
  const post = (payload: SlackPayload) =>
    callWithLimits(
      env,
      {
        destination: target.destination,
        method: 'chat.postMessage',
        token: target.token,
        args: { channel: target.channel, ...payload },
      },
      deadlineMs,
      stats,
    );
  const got = await withPlainForm(post, message.payload, plain, target.destination, env);
  if (got.status !== 'ok') return { outcome: outcomeOfCall(got, message) };
  stats.slackMessages += 1;
  const ts = typeof got.value.ts === 'string' ? got.value.ts : undefined;
  const channel = typeof got.value.channel === 'string' ? got.value.channel : undefined;
  return {
    outcome: { status: 'delivered', message },
    ...(ts === undefined ? {} : { ts }),
    ...(channel === undefined ? {} : { channel }),
  };
}

/**
 * Makes `call` with `payload`; when Slack refuses it and a `plain` form exists, once more with that.
 * A refusal of the plain form is for good: its error says so.
 */
async function withPlainForm(
  call: (payload: SlackPayload) => Promise<CallOutcome>,
  payload: SlackPayload,
  plain: (() => SlackPayload) | undefined,
  destination: string,
  env: AppEnvironment,
): Promise<CallOutcome> {
  const got = await call(payload);
  if (got.status !== 'error' || !(got.error instanceof SlackPayloadRejectedError) || plain === undefined) return got;
  env.logger.warn('Slack refused a payload; sending it again as plain text', { destination, body: got.error.body });
  const again = await call(plain());
  if (again.status === 'error' && again.error instanceof SlackPayloadRejectedError) {
    return { status: 'error', error: new PayloadRefusedForGoodError(again.error, 'as plain text') };
  }
  return again;
}

/** Keeps `ref` as the parent of `keys`; a failure is logged (the next news then posts a new parent: spam, not loss). */
export async function saveParents(env: AppEnvironment, keys: readonly string[], ref: MessageRef): Promise<void> {
  const nowMs = env.now();
  await Promise.all(
    keys.map((key) =>
      env.parents.save(key, ref, nowMs).catch((error: unknown) =>
        env.logger.warn('Could not keep the parent message: later news posts a new one', {
          key,
          error: String(error),
        }),
      ),
    ),
  );
}
