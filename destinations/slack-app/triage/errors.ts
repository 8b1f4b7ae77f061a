import { ConsumerError } from '../../../core/errors.ts';

/**
 * Errors of triage from Slack. Each names the action and the finding; none carries the signing
 * secret, a request signature or a bot token.
 */
export class TriageError extends ConsumerError {
  override readonly name: string = 'TriageError';
}

/** A button's `value` (or the payload around it) is not one the hub made. */
export class TriagePayloadError extends TriageError {
  override readonly name = 'TriagePayloadError';
}

/** A GuardDuty call of an action failed; `region` says where, `code` is the AWS error name. */
export class TriageGuardDutyError extends TriageError {
  override readonly name: string = 'TriageGuardDutyError';
  readonly region: string;
  readonly code: string;

  constructor(region: string, code: string, message: string, options?: { cause?: unknown }) {
    super(`${region}: ${message}`, options);
    this.region = region;
    this.code = code;
  }
}

/** A region already holds GuardDuty's most filters per detector (100): "Suppress like this" cannot add one there. */
export class FilterLimitError extends TriageGuardDutyError {
  override readonly name = 'FilterLimitError';
}
