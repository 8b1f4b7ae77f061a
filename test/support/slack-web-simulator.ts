import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validatePayload } from '../../consumer/render/index.ts';

/**
 * A loopback stand-in for the Slack Web API methods the hub calls: `chat.postMessage` (with `ts`,
 * threads via `thread_ts`, `reply_broadcast`), `chat.update` (the bot's own messages only),
 * `files.getUploadURLExternal` + the upload URL + `files.completeUploadExternal`, `usergroups.users.list`
 * (the groups given), and interactivity `response_url`s (`responseUrl()`, posts kept in `responses`). Each method has its
 * own token bucket (per channel for `chat.postMessage`, per token otherwise) answering 429 with an
 * integer `Retry-After`; errors come as HTTP 200 `{ ok: false, error }` as Slack sends them. Tokens
 * can be revoked, channels archived or left, messages deleted, and any method made to fail.
 */

/** Limits of one method: calls per second and the burst before the rate applies. */
export interface MethodLimit {
  readonly perSecond: number;
  readonly burst: number;
}

/** Slack's documented limits: postMessage ~1/s per channel; chat.update Tier 3 (50/min); files Tier 4 (100/min). */
export const SLACK_WEB_LIMITS: Readonly<Record<string, MethodLimit>> = {
  'chat.postMessage': { perSecond: 1, burst: 3 },
  'chat.update': { perSecond: 50 / 60, burst: 5 },
  'files.getUploadURLExternal': { perSecond: 100 / 60, burst: 10 },
  'files.completeUploadExternal': { perSecond: 100 / 60, burst: 10 },
  'usergroups.users.list': { perSecond: 20 / 60, burst: 5 },
};

/** Options of the simulator. */
export interface WebSimulatorOptions {
  /** Valid bot tokens (any other gets `invalid_auth`). */
  readonly tokens: readonly string[];
  /** Channel ids the bot is a member of (any other gets `channel_not_found`). */
  readonly channels: readonly string[];
  /** Per-method limits; default {@link SLACK_WEB_LIMITS}. */
  readonly limits?: Partial<Record<string, MethodLimit>>;
  /** Clock in milliseconds since the epoch. Default `Date.now`. */
  readonly now?: () => number;
  /** User groups (`S…`) and their members (`U…`), for `usergroups.users.list`; any other group answers `no_such_subteam`. */
  readonly userGroups?: Readonly<Record<string, readonly string[]>>;
}

/** One post to a `response_url`. */
export interface SimResponse {
  /** The URL's id (the part after `/response/`). */
  readonly id: string;
  readonly body: Record<string, unknown>;
  readonly atMs: number;
}

/** One message as the simulator keeps it. */
export interface SimMessage {
  readonly channel: string;
  readonly ts: string;
  /** Set on thread replies. */
  readonly threadTs?: string;
  readonly replyBroadcast: boolean;
  text: string;
  attachments: unknown[];
  /** Times `chat.update` changed it. */
  edits: number;
  deleted: boolean;
}

/** One call received. */
export interface SimCall {
  readonly method: string;
  readonly args: Record<string, unknown>;
  /** The `Authorization` header as received (tests check no token leaks elsewhere). */
  readonly authorization: string;
  readonly status: number;
  /** Slack's `error` code when `ok` was false (or `ratelimited` for a 429). */
  readonly error?: string;
  readonly atMs: number;
}

/** An uploaded file. */
export interface SimFile {
  readonly id: string;
  readonly filename: string;
  content: string;
  /** Channel and thread it was shared to by `files.completeUploadExternal`. */
  channel?: string;
  threadTs?: string;
  initialComment?: string;
}

/** A running Web API simulator. */
export interface SlackWebSimulator {
  /** The Web API base (`http://127.0.0.1:PORT/api`). */
  readonly apiUrl: string;
  readonly calls: readonly SimCall[];
  readonly files: readonly SimFile[];
  /** Top-level messages of `channel` (not deleted), in order. */
  parents(channel: string): SimMessage[];
  /** Thread replies to `ts` in `channel`, in order. */
  replies(channel: string, ts: string): SimMessage[];
  /** Every message (deleted ones too). */
  readonly messages: readonly SimMessage[];
  /** Posts received at `response_url`s, in order. */
  readonly responses: readonly SimResponse[];
  /** A new `response_url` on this simulator (`http://127.0.0.1:PORT/response/<id>`). */
  responseUrl(): string;
  /** Calls of `method` answered `ok: true`. */
  succeeded(method: string): SimCall[];
  /** The token answers `token_revoked` from now on. */
  revoke(token: string): void;
  /** Someone deleted the message: `chat.update` answers `message_not_found`. */
  deleteMessage(channel: string, ts: string): void;
  /** The next `times` calls of `method` answer `error` (`ratelimited` answers 429 with `retryAfterSeconds`). */
  failNext(method: string, error: string, times?: number, retryAfterSeconds?: number): void;
  close(): Promise<void>;
}

interface Bucket {
  tokens: number;
  updatedAtMs: number;
}

/** Starts a simulator on 127.0.0.1 on a free port. */
export async function startSlackWebSimulator(options: WebSimulatorOptions): Promise<SlackWebSimulator> {
  const now = options.now ?? Date.now;
  const limits = { ...SLACK_WEB_LIMITS, ...options.limits } as Record<string, MethodLimit>;
  const tokens = new Set(options.tokens);
  const revoked = new Set<string>();
  const channels = new Set(options.channels);
  const messages: SimMessage[] = [];
  const calls: SimCall[] = [];
  const files: SimFile[] = [];
  const responses: SimResponse[] = [];
  const buckets = new Map<string, Bucket>();
  const failures = new Map<string, { error: string; times: number; retryAfterSeconds: number }>();
  let sequence = 0;
  let baseUrl = '';

  const take = (key: string, limit: MethodLimit, atMs: number): number | undefined => {
    const bucket = buckets.get(key) ?? { tokens: limit.burst, updatedAtMs: atMs };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + (Math.max(0, atMs - bucket.updatedAtMs) / 1000) * limit.perSecond);
    bucket.updatedAtMs = atMs;
    buckets.set(key, bucket);
    if (bucket.tokens < 1) return Math.max(1, Math.ceil((1 - bucket.tokens) / limit.perSecond));
    bucket.tokens -= 1;
    return undefined;
  };

  const handle = (method: string, args: Record<string, unknown>, authorization: string): { status: number; body: Record<string, unknown>; retryAfter?: number } => {
    const atMs = now();
    const token = authorization.replace(/^Bearer\s+/i, '');
    const record = (status: number, body: Record<string, unknown>, retryAfter?: number) => {
      calls.push({ method, args, authorization, status, ...(body.ok === false ? { error: String(body.error) } : {}), atMs });
      return { status, body, ...(retryAfter === undefined ? {} : { retryAfter }) };
    };
    const fail = (error: string) => record(200, { ok: false, error });
    if (!tokens.has(token)) return fail(token === '' ? 'not_authed' : 'invalid_auth');
    if (revoked.has(token)) return fail('token_revoked');
    const planned = failures.get(method);
    if (planned !== undefined && planned.times > 0) {
      planned.times -= 1;
      if (planned.error === 'ratelimited') return record(429, { ok: false, error: 'ratelimited' }, planned.retryAfterSeconds);
      return fail(planned.error);
    }
    const limit = limits[method];
    if (limit === undefined) return fail('unknown_method');
    const channel = String(args.channel ?? args.channel_id ?? '');
    const wait = take(method === 'chat.postMessage' ? `${method}\n${channel}` : `${method}\n${token}`, limit, atMs);
    if (wait !== undefined) return record(429, { ok: false, error: 'ratelimited' }, wait);

    if (method === 'usergroups.users.list') {
      const group = String(args.usergroup ?? '');
      const members = options.userGroups?.[group];
      return members === undefined ? fail('no_such_subteam') : record(200, { ok: true, users: [...members] });
    }
    if (method === 'files.getUploadURLExternal') {
      const id = `F${String(++sequence).padStart(9, '0')}`;
      files.push({ id, filename: String(args.filename ?? ''), content: '' });
      return record(200, { ok: true, upload_url: `${baseUrl}/upload/${id}`, file_id: id });
    }
    if (!channels.has(channel)) return fail('channel_not_found');
    if (method === 'files.completeUploadExternal') {
      const list = (typeof args.files === 'string' ? JSON.parse(args.files) : args.files) as { id: string }[];
      const shared = list.map(({ id }) => files.find((file) => file.id === id));
      if (shared.some((file) => file === undefined)) return fail('file_not_found');
      for (const file of shared) Object.assign(file!, { channel, threadTs: args.thread_ts, initialComment: args.initial_comment });
      return record(200, { ok: true, files: list });
    }
    const payloadProblem = payloadError(args);
    if (payloadProblem !== undefined) return fail(payloadProblem);
    if (method === 'chat.update') {
      const message = messages.find((m) => m.channel === channel && m.ts === args.ts);
      if (message === undefined || message.deleted) return fail('message_not_found');
      message.text = String(args.text ?? '');
      message.attachments = (args.attachments as unknown[] | undefined) ?? [];
      message.edits += 1;
      return record(200, { ok: true, channel, ts: message.ts });
    }
    const threadTs = typeof args.thread_ts === 'string' ? args.thread_ts : undefined;
    if (threadTs !== undefined && !messages.some((m) => m.channel === channel && m.ts === threadTs && m.threadTs === undefined)) {
      return fail('thread_not_found');
    }
    const ts = `${Math.floor(atMs / 1000)}.${String(++sequence).padStart(6, '0')}`;
    messages.push({
      channel,
      ts,
      ...(threadTs === undefined ? {} : { threadTs }),
      replyBroadcast: args.reply_broadcast === true || args.reply_broadcast === 'true',
      text: String(args.text ?? ''),
      attachments: (args.attachments as unknown[] | undefined) ?? [],
      edits: 0,
      deleted: false,
    });
    return record(200, { ok: true, channel, ts });
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = request.url ?? '/';
      if (path.startsWith('/response/')) {
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(raw) as Record<string, unknown>;
        } catch {
          response.writeHead(400, { 'content-type': 'text/plain' }).end('invalid_payload');
          return;
        }
        responses.push({ id: path.slice('/response/'.length), body, atMs: now() });
        response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        return;
      }
      if (path.startsWith('/upload/')) {
        const file = files.find((f) => f.id === path.slice('/upload/'.length));
        if (file) file.content = raw;
        response.writeHead(file ? 200 : 404, { 'content-type': 'text/plain' }).end(file ? `OK - ${raw.length}` : 'not found');
        return;
      }
      const method = path.replace(/^\/api\//, '');
      const args = parseArgs(raw, String(request.headers['content-type'] ?? ''));
      const answer = handle(method, args, String(request.headers.authorization ?? ''));
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (answer.retryAfter !== undefined) headers['retry-after'] = String(answer.retryAfter);
      response.writeHead(answer.status, headers).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    apiUrl: `${baseUrl}/api`,
    calls,
    files,
    messages,
    responses,
    responseUrl: () => `${baseUrl}/response/R${String(++sequence).padStart(6, '0')}`,
    parents: (channel) => messages.filter((m) => m.channel === channel && m.threadTs === undefined && !m.deleted),
    replies: (channel, ts) => messages.filter((m) => m.channel === channel && m.threadTs === ts),
    succeeded: (method) => calls.filter((call) => call.method === method && call.status === 200 && call.error === undefined),
    revoke: (token) => revoked.add(token),
    deleteMessage(channel, ts) {
      const message = messages.find((m) => m.channel === channel && m.ts === ts);
      if (message) message.deleted = true;
    },
    failNext(method, error, times = 1, retryAfterSeconds = 1) {
      failures.set(method, { error, times, retryAfterSeconds });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** JSON or form fields (objects in form fields arrive as JSON text and stay text, as Slack reads them). */
function parseArgs(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json')) {
    try {
      return JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) args[key] = key === 'attachments' ? JSON.parse(value) : value;
  return args;
}

/** Slack's payload limits: `no_text`, `msg_too_long` (40,000 characters), `invalid_blocks` (block limits). */
function payloadError(args: Record<string, unknown>): string | undefined {
  const text = typeof args.text === 'string' ? args.text : '';
  const attachments = Array.isArray(args.attachments) ? args.attachments : [];
  if (text === '' && attachments.length === 0) return 'no_text';
  if (text.length > 40_000) return 'msg_too_long';
  if (attachments.length > 0 && validatePayload({ text, attachments } as Parameters<typeof validatePayload>[0]).length > 0) return 'invalid_blocks';
  return undefined;
}
