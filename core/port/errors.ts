import { ConsumerError } from '../errors.ts';

/**
 * The errors every destination adapter shares. Each carries the destination name and the status an
 * operator needs; none ever carries a secret (a webhook URL names the channel and grants posting; a
 * token grants posting everywhere the app is).
 */

/** Base class for everything that can go wrong delivering to a destination. */
export class DeliveryError extends ConsumerError {
  override readonly name: string = 'DeliveryError';
  /** Destination name (a key of `destinations` in the config). */
  readonly destination: string;
  /** HTTP status Slack answered, or `undefined` when there was no answer. */
  readonly status: number | undefined;

  constructor(message: string, destination: string, status: number | undefined, options?: { cause?: unknown }) {
    super(message, options);
    this.destination = destination;
    this.status = status;
  }
}

/** A destination's secret (webhook URL, bot token) could not be read, or holds something unusable. */
export class DestinationSecretError extends DeliveryError {
  override readonly name: string = 'DestinationSecretError';
  /** True when retrying will not help (no such secret, empty, malformed); false for throttling, access, network. */
  readonly permanent: boolean;

  constructor(message: string, destination: string, permanent: boolean, options?: { cause?: unknown }) {
    super(message, destination, undefined, options);
    this.permanent = permanent;
  }
}
