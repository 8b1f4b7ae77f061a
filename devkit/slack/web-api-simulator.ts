import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebApiWorkspace } from './web-api-workspace.ts';

/**
 * A loopback stand-in for the Slack Web API methods the hub calls: `chat.postMessage` (with `ts`,
 * threads via `thread_ts`, `reply_broadcast`), `chat.update` (the bot's own messages only),
 * `files.getUploadURLExternal` + the upload URL + `files.completeUploadExternal`, `usergroups.users.list`
 * (the groups given), `views.open` (a `trigger_id` and a modal within Slack's documented limits), `views.update` (a view it opened), and interactivity `response_url`s (`responseUrl()`, posts kept in `responses`). Each method has its
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
  'views.open': { perSecond: 100 / 60, burst: 10 },
  'views.update': { perSecond: 100 / 60, burst: 10 },
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

/** A modal opened with `views.open`, or (with `updates`) its view after the nth `views.update`. */
export interface SimView {
  readonly id: string;
  readonly triggerId: string;
  readonly view: Record<string, unknown>;
  readonly atMs: number;
  /** How many `views.update` calls led to this view; absent for the view `views.open` showed. */
  readonly updates?: number;
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
  /** Modals opened with `views.open` (its `trigger_id` and the view as sent), in order. */
  readonly views: readonly SimView[];
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

/** Starts a simulator on 127.0.0.1 on a free port. */
export async function startSlackWebSimulator(options: WebSimulatorOptions): Promise<SlackWebSimulator> {
  const workspace = new WebApiWorkspace(options);
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => answerRequest(workspace, request, Buffer.concat(chunks).toString('utf8'), response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  workspace.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { messages, calls } = workspace;
  return {
    apiUrl: `${workspace.baseUrl}/api`,
    calls,
    files: workspace.files,
    messages,
    responses: workspace.responses,
    views: workspace.views,
    responseUrl: () => workspace.responseUrl(),
    parents: (channel) => messages.filter((m) => m.channel === channel && m.threadTs === undefined && !m.deleted),
    replies: (channel, ts) => messages.filter((m) => m.channel === channel && m.threadTs === ts),
    succeeded: (method) =>
      calls.filter((call) => call.method === method && call.status === 200 && call.error === undefined),
    revoke: (token) => workspace.revoked.add(token),
    deleteMessage(channel, ts) {
      const message = messages.find((m) => m.channel === channel && m.ts === ts);
      if (message) message.deleted = true;
    },
    failNext(method, error, times = 1, retryAfterSeconds = 1) {
      workspace.failures.set(method, { error, times, retryAfterSeconds });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Answers one HTTP request: a `response_url` post, a file upload, or a Web API method. */
function answerRequest(
  workspace: WebApiWorkspace,
  request: IncomingMessage,
  raw: string,
  response: ServerResponse,
): void {
  const path = request.url ?? '/';
  const text = (status: number, body: string) => response.writeHead(status, { 'content-type': 'text/plain' }).end(body);
  if (path.startsWith('/response/')) {
    const body = parseJsonObject(raw);
    if (body === undefined) return void text(400, 'invalid_payload');
    workspace.responses.push({ id: path.slice('/response/'.length), body, atMs: workspace.now() });
    return void text(200, 'ok');
  }
  if (path.startsWith('/upload/')) {
    const file = workspace.files.find((f) => f.id === path.slice('/upload/'.length));
    if (file) file.content = raw;
    return void text(file ? 200 : 404, file ? `OK - ${raw.length}` : 'not found');
  }
  const method = path.replace(/^\/api\//, '');
  const args = parseArgs(raw, String(request.headers['content-type'] ?? ''));
  const answer = workspace.call(method, args, String(request.headers.authorization ?? ''));
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (answer.retryAfter !== undefined) headers['retry-after'] = String(answer.retryAfter);
  response.writeHead(answer.status, headers).end(JSON.stringify(answer.body));
}

function parseJsonObject(raw: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return undefined;
  }
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
