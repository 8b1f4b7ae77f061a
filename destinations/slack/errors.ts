/**
 * Errors of the delivery stage. Each carries the destination name and the HTTP status an operator
 * needs; none ever carries a webhook URL (the URL is a secret: it names the channel and grants posting).
 */

import { DeliveryError, DestinationSecretError } from '../../core/port/errors.ts';

export { DeliveryError, DestinationSecretError } from '../../core/port/errors.ts';

/** Slack answered 429: the destination takes nothing more until `retryAfterSeconds` have passed. */
export class SlackRateLimitedError extends DeliveryError {
  override readonly name = 'SlackRateLimitedError';
  /** Seconds from the answer until Slack accepts again (the `Retry-After` header). */
  readonly retryAfterSeconds: number;

  constructor(destination: string, retryAfterSeconds: number, options?: { cause?: unknown }) {
    super(`${destination}: Slack answered 429, retry after ${retryAfterSeconds} s`, destination, 429, options);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Slack answered 5xx, or did not answer at all (network error, timeout): worth a retry. */
export class SlackServerError extends DeliveryError {
  override readonly name = 'SlackServerError';

  constructor(destination: string, status: number | undefined, detail: string, options?: { cause?: unknown }) {
    super(
      `${destination}: ${status === undefined ? 'no answer' : `Slack answered ${status}`} (${detail})`,
      destination,
      status,
      options,
    );
  }
}

/**
 * Slack answered a 4xx other than 429 (`channel_not_found`, `channel_is_archived`, `action_prohibited`,
 * `no_service`, …): sending the same message again will not help.
 */
export class SlackPermanentError extends DeliveryError {
  override readonly name: string = 'SlackPermanentError';
  /** The response body Slack sent (short, such as `channel_not_found`). */
  readonly body: string;

  constructor(destination: string, status: number, body: string, options?: { cause?: unknown }) {
    super(`${destination}: Slack answered ${status} ${body}`, destination, status, options);
    this.body = body;
  }
}

/** Slack answered 400 `invalid_payload` / `invalid_blocks`: the renderer made a message Slack refuses (a bug). */
export class SlackPayloadRejectedError extends SlackPermanentError {
  override readonly name: string = 'SlackPayloadRejectedError';
}

/**
 * Slack refused a finding in the simplest form the hub sends (`as plain text`): no reshaping can
 * cure it, so its record goes to the DLQ at once. The message says what was tried.
 */
export class PayloadRefusedForGoodError extends SlackPayloadRejectedError {
  override readonly name = 'PayloadRefusedForGoodError';
  /** The last form tried, such as `as plain text`. */
  readonly form: string;

  constructor(refused: SlackPermanentError, form: string) {
    super(refused.destination, refused.status ?? 400, refused.body, { cause: refused });
    this.form = form;
    this.message = `${refused.message}, even ${form}`;
  }
}

/** The webhook URL of a destination could not be read. */
export class WebhookSecretError extends DestinationSecretError {
  override readonly name: string = 'WebhookSecretError';

  constructor(destination: string, reason: string, permanent: boolean, options?: { cause?: unknown }) {
    super(`${destination}: cannot read the webhook URL: ${reason}`, destination, permanent, options);
  }
}

/**
 * The secret of a destination holds a URL the consumer will not post to (not https, or a host that is
 * neither Slack's nor in `delivery.allowedWebhookHosts`). Permanent: the destination's findings go to
 * the default destination. `reason` names the scheme or host, never the URL.
 */
export class WebhookRefusedError extends WebhookSecretError {
  override readonly name = 'WebhookRefusedError';
  /** Why the URL is refused, such as `host x is not a Slack webhook host …`. */
  readonly reason: string;

  constructor(destination: string, secretId: string, reason: string, options?: { cause?: unknown }) {
    super(destination, `secret ${secretId} holds a URL the consumer refuses: ${reason}`, true, options);
    this.reason = reason;
  }
}
