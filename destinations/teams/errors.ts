import { DeliveryError, DestinationSecretError } from '../../core/port/errors.ts';

/**
 * What can go wrong posting to a Teams Workflows webhook. Each error names the destination, the HTTP
 * status and at most the error code of Microsoft's answer (`TriggerInputSchemaMismatch`, …): never the
 * URL, whose `sig` grants posting, and never the answer's message text, which may quote the request.
 */

/** `destination: Teams answered 400 (InvalidRequestContent)`. */
function answered(destination: string, status: number | undefined, detail: string | undefined): string {
  const what = status === undefined ? 'Teams did not answer' : `Teams answered ${status}`;
  return `${destination}: ${what}${detail === undefined ? '' : ` (${detail})`}`;
}

/** Teams answered 429: wait `retryAfterSeconds` before posting to this workflow again. */
export class TeamsRateLimitedError extends DeliveryError {
  override readonly name: string = 'TeamsRateLimitedError';
  readonly retryAfterSeconds: number;

  constructor(destination: string, retryAfterSeconds: number) {
    super(answered(destination, 429, `retry after ${retryAfterSeconds} s`), destination, 429);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** A 5xx, a 408, a timeout or a network error: worth another try later. */
export class TeamsServerError extends DeliveryError {
  override readonly name: string = 'TeamsServerError';

  constructor(destination: string, status: number | undefined, detail: string | undefined) {
    super(answered(destination, status, detail), destination, status);
  }
}

/** Teams refused the message itself (400, 413): smaller or simpler may pass; the same never will. */
export class TeamsCardRefusedError extends DeliveryError {
  override readonly name: string = 'TeamsCardRefusedError';
  /** Microsoft's error code, when the answer had one. */
  readonly code: string | undefined;

  constructor(destination: string, status: number, code: string | undefined) {
    super(answered(destination, status, code), destination, status);
    this.code = code;
  }
}

/** The workflow takes nothing more (401, 403, 404: deleted, turned off, no longer allowed): fail over. */
export class TeamsWorkflowGoneError extends DeliveryError {
  override readonly name: string = 'TeamsWorkflowGoneError';
  readonly code: string | undefined;

  constructor(destination: string, status: number, code: string | undefined) {
    super(answered(destination, status, code), destination, status);
    this.code = code;
  }
}

/** The destination's Workflows URL could not be read from its secret, or the secret holds no URL. */
export class TeamsUrlSecretError extends DestinationSecretError {
  override readonly name: string = 'TeamsUrlSecretError';

  constructor(destination: string, detail: string, permanent: boolean, options?: { cause?: unknown }) {
    super(`${destination}: cannot use the Teams Workflows URL: ${detail}`, destination, permanent, options);
  }
}

/** The secret holds a URL the hub will not post to (not https, not a Workflows host, …). */
export class TeamsUrlRefusedError extends TeamsUrlSecretError {
  override readonly name: string = 'TeamsUrlRefusedError';
  /** Why, naming the scheme or host only. */
  readonly reason: string;

  constructor(destination: string, secretId: string, reason: string) {
    super(destination, `the URL in secret ${secretId} is refused: ${reason}`, true);
    this.reason = reason;
  }
}
