import { validatePayload } from '../../destinations/slack/render/index.ts';
import { modalProblems } from './modal-view.ts';
import {
  SLACK_WEB_LIMITS,
  type MethodLimit,
  type SimCall,
  type SimFile,
  type SimMessage,
  type SimResponse,
  type SimView,
  type WebSimulatorOptions,
} from './web-api-simulator.ts';

/**
 * The Slack workspace behind the Web API simulator: its tokens, channels, messages, files and user
 * groups, and one handler per Web API method, each answering as Slack documents it (errors as HTTP
 * 200 `{ ok: false, error }`, rate limits as 429 with an integer `Retry-After`).
 */

/** An answer: HTTP status, JSON body, and `Retry-After` seconds for a 429. */
export interface WebApiAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly retryAfter?: number;
}

/** A call being answered: its method, arguments, token and channel. */
interface Call {
  readonly method: string;
  readonly args: Record<string, unknown>;
  readonly token: string;
  readonly channel: string;
  readonly atMs: number;
}

interface Bucket {
  tokens: number;
  updatedAtMs: number;
}

/** What a method handler gives: Slack's error code, or the `ok: true` body's other fields. */
type Outcome = { readonly error: string } | { readonly ok: Record<string, unknown> };

/** State and method handlers of the simulated workspace. */
export class WebApiWorkspace {
  readonly now: () => number;
  readonly messages: SimMessage[] = [];
  readonly calls: SimCall[] = [];
  readonly files: SimFile[] = [];
  readonly responses: SimResponse[] = [];
  readonly views: SimView[] = [];
  readonly revoked = new Set<string>();
  readonly failures = new Map<string, { error: string; times: number; retryAfterSeconds: number }>();
  /** `http://127.0.0.1:PORT`, set once the server listens. */
  baseUrl = '';
  readonly #options: WebSimulatorOptions;
  readonly #limits: Record<string, MethodLimit>;
  readonly #buckets = new Map<string, Bucket>();
  #sequence = 0;

  constructor(options: WebSimulatorOptions) {
    this.#options = options;
    this.now = options.now ?? Date.now;
    this.#limits = { ...SLACK_WEB_LIMITS, ...options.limits } as Record<string, MethodLimit>;
  }

  /** A new `response_url` of this workspace. */
  responseUrl(): string {
    return `${this.baseUrl}/response/R${this.#next(6)}`;
  }

  /** Answers `method` called with `args` and the `Authorization` header `authorization`, and records the call. */
  call(method: string, args: Record<string, unknown>, authorization: string): WebApiAnswer {
    const token = authorization.replace(/^Bearer\s+/i, '');
    const call: Call = {
      method,
      args,
      token,
      channel: String(args.channel ?? args.channel_id ?? ''),
      atMs: this.now(),
    };
    const answer = this.#gate(call) ?? this.#answer(call);
    this.calls.push({
      method,
      args,
      authorization,
      status: answer.status,
      ...(answer.body.ok === false ? { error: String(answer.body.error) } : {}),
      atMs: call.atMs,
    });
    return answer;
  }

  /** The answer before any method runs: an unknown or revoked token, a planned failure, a rate limit. */
  #gate(call: Call): WebApiAnswer | undefined {
    if (!this.#options.tokens.includes(call.token)) return failure(call.token === '' ? 'not_authed' : 'invalid_auth');
    if (this.revoked.has(call.token)) return failure('token_revoked');
    const planned = this.failures.get(call.method);
    if (planned !== undefined && planned.times > 0) {
      planned.times -= 1;
      if (planned.error === 'ratelimited')
        return { status: 429, body: { ok: false, error: 'ratelimited' }, retryAfter: planned.retryAfterSeconds };
      return failure(planned.error);
    }
    const limit = this.#limits[call.method];
    if (limit === undefined) return failure('unknown_method');
    const key =
      call.method === 'chat.postMessage' ? `${call.method}\n${call.channel}` : `${call.method}\n${call.token}`;
    const wait = this.#take(key, limit, call.atMs);
    return wait === undefined
      ? undefined
      : { status: 429, body: { ok: false, error: 'ratelimited' }, retryAfter: wait };
  }

  #answer(call: Call): WebApiAnswer {
    const outcome = this.#run(call);
    return 'error' in outcome ? failure(outcome.error) : { status: 200, body: { ok: true, ...outcome.ok } };
  }

  #run(call: Call): Outcome {
    if (call.method === 'usergroups.users.list') return this.#groupMembers(call);
    if (call.method === 'files.getUploadURLExternal') return this.#uploadUrl(call);
    if (call.method === 'views.open') return this.#openView(call);
    if (call.method === 'views.update') return this.#updateView(call);
    if (!this.#options.channels.includes(call.channel)) return { error: 'channel_not_found' };
    if (call.method === 'files.completeUploadExternal') return this.#completeUpload(call);
    const problem = payloadError(call.args);
    if (problem !== undefined) return { error: problem };
    return call.method === 'chat.update' ? this.#update(call) : this.#post(call);
  }

  #groupMembers(call: Call): Outcome {
    const members = this.#options.userGroups?.[String(call.args.usergroup ?? '')];
    return members === undefined ? { error: 'no_such_subteam' } : { ok: { users: [...members] } };
  }

  /** `views.open`: a `trigger_id` as Slack issues them and a modal view within Slack's limits, else `invalid_arguments`. */
  #openView({ args, atMs }: Call): Outcome {
    const triggerId = typeof args.trigger_id === 'string' ? args.trigger_id : '';
    if (triggerId === '') return { error: 'invalid_arguments' };
    if (!/^\d+\.\d+\.\w+$/.test(triggerId)) return { error: 'invalid_trigger_id' };
    const view = typeof args.view === 'string' ? parseObject(args.view) : (args.view as Record<string, unknown>);
    if (view === undefined || modalProblems(view).length > 0) return { error: 'invalid_arguments' };
    const id = `V${this.#next(9)}`;
    this.views.push({ id, triggerId, view, atMs });
    return { ok: { view: { id, ...view } } };
  }

  /**
   * `views.update`: replaces the view `view_id` (one `views.open` gave) by a modal within Slack's
   * limits; `not_found` for an unknown id, `invalid_arguments` for a bad view. The history keeps both.
   */
  #updateView({ args, atMs }: Call): Outcome {
    const id = typeof args.view_id === 'string' ? args.view_id : '';
    const index = this.views.findLastIndex((opened) => opened.id === id);
    if (index < 0) return { error: 'not_found' };
    const view = typeof args.view === 'string' ? parseObject(args.view) : (args.view as Record<string, unknown>);
    if (view === undefined || modalProblems(view).length > 0) return { error: 'invalid_arguments' };
    const opened = this.views[index] as SimView;
    this.views.push({ id, triggerId: opened.triggerId, view, atMs, updates: (opened.updates ?? 0) + 1 });
    return { ok: { view: { id, ...view } } };
  }

  #uploadUrl(call: Call): Outcome {
    const id = `F${this.#next(9)}`;
    this.files.push({ id, filename: String(call.args.filename ?? ''), content: '' });
    return { ok: { upload_url: `${this.baseUrl}/upload/${id}`, file_id: id } };
  }

  #completeUpload(call: Call): Outcome {
    const { args, channel } = call;
    const list = (typeof args.files === 'string' ? JSON.parse(args.files) : args.files) as { id: string }[];
    const shared = list.map(({ id }) => this.files.find((file) => file.id === id));
    if (shared.some((file) => file === undefined)) return { error: 'file_not_found' };
    for (const file of shared)
      Object.assign(file as SimFile, { channel, threadTs: args.thread_ts, initialComment: args.initial_comment });
    return { ok: { files: list } };
  }

  #update({ args, channel }: Call): Outcome {
    const message = this.messages.find((m) => m.channel === channel && m.ts === args.ts);
    if (message === undefined || message.deleted) return { error: 'message_not_found' };
    message.text = String(args.text ?? '');
    message.attachments = (args.attachments as unknown[] | undefined) ?? [];
    message.edits += 1;
    return { ok: { channel, ts: message.ts } };
  }

  #post({ args, channel, atMs }: Call): Outcome {
    const threadTs = typeof args.thread_ts === 'string' ? args.thread_ts : undefined;
    if (
      threadTs !== undefined &&
      !this.messages.some((m) => m.channel === channel && m.ts === threadTs && m.threadTs === undefined)
    ) {
      return { error: 'thread_not_found' };
    }
    const ts = `${Math.floor(atMs / 1000)}.${this.#next(6)}`;
    this.messages.push({
      channel,
      ts,
      ...(threadTs === undefined ? {} : { threadTs }),
      replyBroadcast: args.reply_broadcast === true || args.reply_broadcast === 'true',
      text: String(args.text ?? ''),
      attachments: (args.attachments as unknown[] | undefined) ?? [],
      edits: 0,
      deleted: false,
    });
    return { ok: { channel, ts } };
  }

  /** Takes a token from `key`'s bucket; the seconds to wait when it has none. */
  #take(key: string, limit: MethodLimit, atMs: number): number | undefined {
    const bucket = this.#buckets.get(key) ?? { tokens: limit.burst, updatedAtMs: atMs };
    bucket.tokens = Math.min(
      limit.burst,
      bucket.tokens + (Math.max(0, atMs - bucket.updatedAtMs) / 1000) * limit.perSecond,
    );
    bucket.updatedAtMs = atMs;
    this.#buckets.set(key, bucket);
    if (bucket.tokens < 1) return Math.max(1, Math.ceil((1 - bucket.tokens) / limit.perSecond));
    bucket.tokens -= 1;
    return undefined;
  }

  /** The next number of the workspace's one sequence, zero-padded to `digits`. */
  #next(digits: number): string {
    this.#sequence += 1;
    return String(this.#sequence).padStart(digits, '0');
  }
}

function failure(error: string): WebApiAnswer {
  return { status: 200, body: { ok: false, error } };
}

/** Slack's payload limits: `no_text`, `msg_too_long` (40,000 characters), `invalid_blocks` (block limits). */
function payloadError(args: Record<string, unknown>): string | undefined {
  const text = typeof args.text === 'string' ? args.text : '';
  const attachments = Array.isArray(args.attachments) ? args.attachments : [];
  if (text === '' && attachments.length === 0) return 'no_text';
  if (text.length > 40_000) return 'msg_too_long';
  if (
    attachments.length > 0 &&
    validatePayload({ text, attachments } as Parameters<typeof validatePayload>[0]).length > 0
  )
    return 'invalid_blocks';
  return undefined;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export { MODAL_VIEW_LIMITS, modalProblems } from './modal-view.ts';
