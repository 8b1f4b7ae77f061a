import type { ButtonClick } from '../../destinations/slack-app/triage/request.ts';

/** The work the front hands to the worker half (an asynchronous self-invocation), under the front's seal. */
export interface TriageJob {
  readonly kind: 'gdh-triage-job';
  readonly click: ButtonClick;
  /** When the front accepted it, epoch ms. */
  readonly acceptedAtMs: number;
  /** `jobSeal` (signature.ts) of the job: the worker refuses a job without it (someone invoking the function directly). */
  readonly seal: string;
}
