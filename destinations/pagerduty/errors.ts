import { DeliveryError, DestinationSecretError } from '../../core/port/errors.ts';

/**
 * Errors of the PagerDuty adapter. Each names the destination and the status PagerDuty answered; none
 * ever carries the routing key (it lets anyone page the service's on-call): text taken from an answer
 * has the key cut out before it is kept.
 */

/** Base class of every failed PagerDuty event. */
export class PagerDutyError extends DeliveryError {
  override readonly name: string = 'PagerDutyError';
}

/** 429: over the routing key's rate. `retryAfterSeconds` from `Retry-After`, else the documented pause. */
export class PagerDutyRateLimitedError extends PagerDutyError {
  override readonly name = 'PagerDutyRateLimitedError';
  readonly retryAfterSeconds: number;

  constructor(destination: string, retryAfterSeconds: number) {
    super(`${destination}: PagerDuty answered 429 (over the routing key's rate)`, destination, 429);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** 5xx, a timeout or a network error: worth another try. */
export class PagerDutyServerError extends PagerDutyError {
  override readonly name = 'PagerDutyServerError';

  constructor(destination: string, status: number | undefined, detail: string) {
    super(
      `${destination}: PagerDuty ${status === undefined ? 'did not answer' : `answered ${status}`}: ${detail}`,
      destination,
      status,
    );
  }
}

/** 400 (or another 4xx about the event): PagerDuty will never take this event; its `errors` say why. */
export class PagerDutyRefusedError extends PagerDutyError {
  override readonly name = 'PagerDutyRefusedError';
  /** PagerDuty's message and errors, routing key cut out. */
  readonly detail: string;

  constructor(destination: string, status: number, detail: string) {
    super(`${destination}: PagerDuty refused the event (${status}): ${detail}`, destination, status);
    this.detail = detail;
  }
}

/**
 * The integration takes nothing: 401, 403, 404, 410, or a 400 saying the routing key is invalid (an
 * integration deleted, a key regenerated). Every event to it would fail the same way.
 */
export class PagerDutyGoneError extends PagerDutyError {
  override readonly name = 'PagerDutyGoneError';
  /** PagerDuty's message and errors, routing key cut out. */
  readonly detail: string;

  constructor(destination: string, status: number, detail: string) {
    super(`${destination}: PagerDuty answered ${status}: ${detail}`, destination, status);
    this.detail = detail;
  }
}

/** The routing key of a PagerDuty destination could not be read, or is not a routing key (32 letters and digits). */
export class RoutingKeyError extends DestinationSecretError {
  override readonly name = 'RoutingKeyError';

  constructor(destination: string, reason: string, permanent: boolean, options?: { cause?: unknown }) {
    super(`${destination}: cannot read the PagerDuty routing key: ${reason}`, destination, permanent, options);
  }
}
