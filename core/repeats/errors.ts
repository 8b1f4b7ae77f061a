import { ConsumerError } from '../errors.ts';

/** Base class for the repeat gate's errors. */
export class RepeatError extends ConsumerError {
  override readonly name: string = 'RepeatError';
}

/** The state table could not be read or written (not a lost conditional write, which is normal). */
export class RepeatStateError extends RepeatError {
  override readonly name = 'RepeatStateError';
  /** What was attempted: `read`, `claim`, `finalize`, `record`, `addRegions`, `release`. */
  readonly operation: string;
  /** The first key involved. */
  readonly key: string;

  constructor(operation: string, key: string, options?: { cause?: unknown }) {
    const detail = options?.cause instanceof Error ? `: ${options.cause.name}: ${options.cause.message}` : '';
    super(`Repeat state ${operation} failed for ${key}${detail}`, options);
    this.operation = operation;
    this.key = key;
  }
}
