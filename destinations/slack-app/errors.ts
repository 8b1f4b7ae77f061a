import {
  DeliveryError,
  DestinationSecretError,
  SlackPayloadRejectedError,
  SlackPermanentError,
} from '../slack/errors.ts';

/**
 * Errors of the Slack Web API path (app destinations). Each names the destination and the Web API
 * method; none ever carries the bot token (it grants posting as the app in every channel it is in).
 * They extend the delivery errors, so the no-loss rules of webhooks apply unchanged: permanent
 * refusals reroute to `defaults.destination`, refused payloads are sent simpler, the rest is retried.
 */

/** Slack's `error` codes after which the destination takes nothing: its findings go to the default destination. */
export const DESTINATION_GONE_CODES = [
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'missing_scope',
  'restricted_action',
  'team_access_not_granted',
] as const;

/** Slack's `error` codes that refuse the payload itself: it is sent again simpler. */
export const PAYLOAD_REFUSED_CODES = [
  'msg_too_long',
  'invalid_blocks',
  'invalid_attachments',
  'no_text',
  'too_many_attachments',
  'invalid_arguments',
] as const;

/** Slack's `error` codes of `chat.update` saying the parent is gone (deleted by someone): post a new one. */
export const PARENT_GONE_CODES = ['message_not_found', 'cant_update_message', 'edit_window_closed'] as const;

/** A Web API answer with `ok: false` that means the destination takes nothing more (revoked token, channel gone). */
export class SlackApiRefusedError extends SlackPermanentError {
  override readonly name = 'SlackApiRefusedError';
  /** The Web API method, such as `chat.postMessage`. */
  readonly method: string;

  constructor(destination: string, method: string, code: string, options?: { cause?: unknown }) {
    super(destination, 200, code, options);
    this.method = method;
    this.message = `${destination}: Slack answered ${method} with ${code}`;
  }
}

/** A Web API answer with `ok: false` refusing the payload (`msg_too_long`, `invalid_blocks`, …). */
export class SlackApiPayloadError extends SlackPayloadRejectedError {
  override readonly name = 'SlackApiPayloadError';
  /** The Web API method. */
  readonly method: string;

  constructor(destination: string, method: string, code: string, options?: { cause?: unknown }) {
    super(destination, 200, code, options);
    this.method = method;
    this.message = `${destination}: Slack refused the payload of ${method}: ${code}`;
  }
}

/** `chat.update` found no parent to edit (`message_not_found`): the caller posts a new parent. */
export class SlackParentGoneError extends DeliveryError {
  override readonly name = 'SlackParentGoneError';
  /** Slack's `error` code. */
  readonly code: string;

  constructor(destination: string, code: string, options?: { cause?: unknown }) {
    super(`${destination}: the parent message cannot be edited (${code})`, destination, 200, options);
    this.code = code;
  }
}

/** The bot token of an app destination could not be read, or is not a bot token (`xoxb-…`). */
export class BotTokenError extends DestinationSecretError {
  override readonly name = 'BotTokenError';

  constructor(destination: string, reason: string, permanent: boolean, options?: { cause?: unknown }) {
    super(`${destination}: cannot read the bot token: ${reason}`, destination, permanent, options);
  }
}
