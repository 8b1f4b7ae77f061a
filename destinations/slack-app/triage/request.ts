import { TriagePayloadError } from './errors.ts';

/**
 * The front's input: a Lambda function URL request (payload format 2.0: lower-case header names, the
 * body as text or base64 with `isBase64Encoded`), and Slack's `block_actions` payload inside it (a form
 * body with one field, `payload`, holding JSON).
 */

/** The parts of a function URL event the front reads. */
export interface FunctionUrlEvent {
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
  readonly requestContext?: { readonly http?: { readonly method?: string } };
}

/** What the front answers (a function URL result). */
export interface FunctionUrlResult {
  readonly statusCode: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The body as Slack sent it, or undefined when it is over `maxBytes` (checked before decoding). */
export function rawBodyOf(event: FunctionUrlEvent, maxBytes: number): string | undefined {
  const body = event.body ?? '';
  // base64 is 4/3 the size: refuse before decoding what could not fit anyway.
  if (event.isBase64Encoded === true) {
    if (body.length > Math.ceil((maxBytes * 4) / 3) + 4) return undefined;
    const decoded = Buffer.from(body, 'base64');
    return decoded.length > maxBytes ? undefined : decoded.toString('utf8');
  }
  return Buffer.byteLength(body, 'utf8') > maxBytes ? undefined : body;
}

/** A header by its lower-case name (function URLs lower-case them; tests may not). */
export function headerOf(event: FunctionUrlEvent, name: string): string | undefined {
  const headers = event.headers ?? {};
  const found = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  return found?.[1];
}

/** One button click, as the worker needs it. */
export interface ButtonClick {
  /** Who clicked (`user.id`). */
  readonly userId: string;
  /** `user.team_id` or `team.id`, for the audit line. */
  readonly teamId: string;
  readonly actionId: string;
  /** The button's `value`. */
  readonly value: string;
  /** `channel.id` and `message.ts` (or `container`) of the message the button is on. */
  readonly channel: string;
  readonly messageTs: string;
  /** The thread the message is in, when it is a reply (`message.thread_ts`). */
  readonly threadTs?: string;
  /** What `views.open` exchanges for a modal (`trigger_id`; Slack accepts it within 3 seconds of the click). */
  readonly triggerId?: string;
  /** Where ephemeral answers go (`response_url`, valid 30 minutes, 5 uses). */
  readonly responseUrl: string;
  /** The message as Slack sent it back: its fallback text and attachments. */
  readonly message: { readonly text: string; readonly attachments: readonly Record<string, unknown>[] };
}

/**
 * The interaction payload of a form body (`payload=<JSON>`, as Slack posts `block_actions` and
 * `view_submission`); throws {@link TriagePayloadError} when there is none.
 */
export function readPayload(rawBody: string): Record<string, unknown> {
  const json = new URLSearchParams(rawBody).get('payload');
  if (json === null) throw new TriagePayloadError('the body has no payload field');
  let payload: unknown;
  try {
    payload = JSON.parse(json);
  } catch (cause) {
    throw new TriagePayloadError('the payload is not JSON', { cause });
  }
  if (payload === null || typeof payload !== 'object') throw new TriagePayloadError('the payload is not an object');
  return payload as Record<string, unknown>;
}

/** Reads the `block_actions` payload of a form body; throws {@link TriagePayloadError} for anything else. */
export function parseButtonClick(rawBody: string): ButtonClick {
  return buttonClickOf(readPayload(rawBody));
}

/** Reads a `block_actions` payload; throws {@link TriagePayloadError} for anything else. */
export function buttonClickOf(payload: Readonly<Record<string, unknown>>): ButtonClick {
  if (payload?.type !== 'block_actions')
    throw new TriagePayloadError(`the payload is ${String(payload?.type)}, not block_actions`);
  const record = (value: unknown): Record<string, unknown> =>
    value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');
  const user = record(payload.user);
  const action = record(Array.isArray(payload.actions) ? payload.actions[0] : undefined);
  const message = record(payload.message);
  const container = record(payload.container);
  const click: ButtonClick = {
    userId: text(user.id),
    teamId: text(user.team_id) || text(record(payload.team).id),
    actionId: text(action.action_id),
    value: text(action.value),
    channel: text(record(payload.channel).id) || text(container.channel_id),
    messageTs: text(message.ts) || text(container.message_ts),
    responseUrl: text(payload.response_url),
    ...(text(payload.trigger_id) === '' ? {} : { triggerId: text(payload.trigger_id) }),
    ...(text(message.thread_ts) === '' ? {} : { threadTs: text(message.thread_ts) }),
    message: {
      text: text(message.text),
      attachments: Array.isArray(message.attachments) ? message.attachments.map(record) : [],
    },
  };
  const missing = (['userId', 'actionId', 'channel', 'messageTs', 'responseUrl'] as const).filter(
    (key) => click[key] === '',
  );
  if (missing.length > 0) throw new TriagePayloadError(`the payload has no ${missing.join(', ')}`);
  return click;
}
