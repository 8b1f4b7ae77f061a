import { ConsumerError } from '../errors.ts';

/** A silence store could not do what was asked (a tally that kept changing under its writes). */
export class SilenceStoreError extends ConsumerError {
  override readonly name = 'SilenceStoreError';
}
