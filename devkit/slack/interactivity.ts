import { createHmac } from 'node:crypto';
import { buttonsOf } from '../sandbox/click-target.ts';
import type { SimMessage, SimView, SlackWebSimulator } from './web-api-simulator.ts';

/**
 * The Slack side of a button click: a `block_actions` payload for a button on a message the Web API
 * simulator holds (user, channel, message ts, action_id, value, the message with its attachments, a
 * `response_url` on the simulator), form-encoded as Slack posts it, signed as Slack documents
 * (`v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<body>` with the signing secret; written here apart
 * from the code under test), and wrapped as a Lambda function URL event (payload format 2.0).
 */

/** A function URL event as Lambda delivers it: lower-case headers, the body as text or base64. */
export interface UrlEvent {
  readonly version: '2.0';
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly isBase64Encoded: boolean;
  readonly requestContext: { readonly http: { readonly method: 'POST'; readonly path: '/' } };
}

/** What one click needs. */
export interface ClickOptions {
  readonly message: SimMessage;
  /** The button's `action_id` (its `value` is read from the message). */
  readonly actionId: string;
  readonly userId: string;
  readonly signingSecret: string;
  /** Seconds since the epoch; default now. */
  readonly timestampSeconds?: number;
  /** Deliver the body base64-encoded (as function URLs may). */
  readonly base64?: boolean;
}

/** The buttons of a message, read as the sandbox's click reads them. */
export { buttonsOf };

/** The `block_actions` payload of clicking `actionId` on `message`, with a fresh `response_url` of `slack`. */
export function blockActionsPayload(
  slack: Pick<SlackWebSimulator, 'responseUrl'>,
  options: Pick<ClickOptions, 'message' | 'actionId' | 'userId'>,
): Record<string, unknown> {
  const { message, actionId, userId } = options;
  const button = buttonsOf(message).find((element) => element.action_id === actionId);
  if (button === undefined) throw new Error(`the message has no button ${actionId}`);
  return {
    type: 'block_actions',
    user: { id: userId, username: userId.toLowerCase(), team_id: 'T0SIMULATE' },
    api_app_id: 'A0SIMULATE',
    container: {
      type: 'message_attachment',
      message_ts: message.ts,
      attachment_id: 1,
      channel_id: message.channel,
      is_ephemeral: false,
    },
    trigger_id: '1000000.2000000.simulated',
    team: { id: 'T0SIMULATE', domain: 'simulated' },
    channel: { id: message.channel, name: 'alerts' },
    message: {
      type: 'message',
      bot_id: 'B0SIMULATE',
      text: message.text,
      ts: message.ts,
      ...(message.threadTs === undefined ? {} : { thread_ts: message.threadTs }),
      attachments: message.attachments.map((attachment, i) => ({ id: i + 1, ...(attachment as object) })),
    },
    response_url: slack.responseUrl(),
    actions: [
      {
        type: 'button',
        action_id: actionId,
        block_id: 'b',
        text: button.text,
        value: button.value,
        action_ts: String(Date.now() / 1000),
      },
    ],
  };
}

/** `payload=<json>` as Slack posts it (`application/x-www-form-urlencoded`). */
export function formBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** The headers Slack sends with `body` at `timestampSeconds`, signed with `signingSecret`. */
export function slackHeaders(body: string, signingSecret: string, timestampSeconds: number): Record<string, string> {
  const signature = `v0=${createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${body}`, 'utf8').digest('hex')}`;
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestampSeconds),
    'x-slack-signature': signature,
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
  };
}

/** A function URL event carrying `body` with `headers`. */
export function urlEvent(body: string, headers: Record<string, string>, base64 = false): UrlEvent {
  return {
    version: '2.0',
    headers,
    body: base64 ? Buffer.from(body, 'utf8').toString('base64') : body,
    isBase64Encoded: base64,
    requestContext: { http: { method: 'POST', path: '/' } },
  };
}

/** A signed click on `message`'s button `actionId`, as the triage function URL receives it. */
export function clickEvent(slack: Pick<SlackWebSimulator, 'responseUrl'>, options: ClickOptions): UrlEvent {
  const body = formBody(blockActionsPayload(slack, options));
  const timestamp = options.timestampSeconds ?? Math.floor(Date.now() / 1000);
  return urlEvent(body, slackHeaders(body, options.signingSecret, timestamp), options.base64 ?? false);
}

/** What a user entered in a modal: `block_id` → `action_id` → the element's state (`{ type, value }`, `{ type, selected_option }`). */
export type ViewValues = Readonly<Record<string, Readonly<Record<string, Record<string, unknown>>>>>;

/**
 * The `view_submission` payload Slack sends when `userId` submits the modal `opened` (as the
 * simulator recorded it from `views.open`) with `values` in its inputs.
 */
export function viewSubmissionPayload(opened: SimView, userId: string, values: ViewValues): Record<string, unknown> {
  const { view } = opened;
  return {
    type: 'view_submission',
    team: { id: 'T0SIMULATE', domain: 'simulated' },
    user: { id: userId, username: userId.toLowerCase(), team_id: 'T0SIMULATE' },
    api_app_id: 'A0SIMULATE',
    trigger_id: '1000001.2000001.simulated',
    view: {
      id: opened.id,
      team_id: 'T0SIMULATE',
      type: view.type,
      title: view.title,
      blocks: view.blocks,
      callback_id: view.callback_id ?? '',
      private_metadata: view.private_metadata ?? '',
      state: { values },
      hash: '1700000000.abcdefgh',
      app_id: 'A0SIMULATE',
      bot_id: 'B0SIMULATE',
    },
    response_urls: [],
  };
}

/**
 * The `block_actions` payload Slack sends when `userId` clicks the button `actionId` inside the modal
 * `opened` (`container.type: view`: no channel, message or `response_url`; the view with its
 * `private_metadata`, and a fresh `trigger_id`).
 */
export function viewButtonPayload(opened: SimView, actionId: string, userId: string): Record<string, unknown> {
  const { view } = opened;
  return {
    type: 'block_actions',
    user: { id: userId, username: userId.toLowerCase(), team_id: 'T0SIMULATE' },
    api_app_id: 'A0SIMULATE',
    container: { type: 'view', view_id: opened.id },
    trigger_id: '1000002.2000002.simulated',
    team: { id: 'T0SIMULATE', domain: 'simulated' },
    view: {
      id: opened.id,
      type: view.type,
      callback_id: view.callback_id ?? '',
      private_metadata: view.private_metadata ?? '',
      blocks: view.blocks,
      state: { values: {} },
      hash: '1700000000.abcdefgh',
    },
    actions: [{ type: 'button', action_id: actionId, block_id: 'b', action_ts: String(Date.now() / 1000) }],
  };
}

/** A signed form post of `payload`, as the triage function URL receives it. */
export function signedEvent(
  payload: Record<string, unknown>,
  signingSecret: string,
  timestampSeconds?: number,
): UrlEvent {
  const body = formBody(payload);
  return urlEvent(body, slackHeaders(body, signingSecret, timestampSeconds ?? Math.floor(Date.now() / 1000)));
}
