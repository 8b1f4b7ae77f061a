import type { TriageAuditSinks } from '../../destinations/slack-app/triage/audit.ts';
import { audit } from '../../destinations/slack-app/triage/audit.ts';
import { actionOf } from '../../destinations/slack-app/triage/blocks.ts';
import type { ReplayGuard } from '../../destinations/slack-app/triage/replay.ts';
import {
  buttonClickOf,
  headerOf,
  rawBodyOf,
  readPayload,
  type ButtonClick,
  type FunctionUrlEvent,
  type FunctionUrlResult,
} from '../../destinations/slack-app/triage/request.ts';
import { jobSeal, verifySlackSignature } from '../../destinations/slack-app/triage/signature.ts';
import { SILENCE_CALLBACK_ID, parseViewSubmission } from '../../destinations/slack-app/triage/silence-modal.ts';
import { RENEW_ACTION_ID } from '../../destinations/slack-app/triage/renew.ts';
import type { SilenceDesk } from './silence.ts';

/**
 * The front half of the triage Lambda: the function URL Slack posts button clicks to. It caps the body,
 * verifies Slack's signature and refuses replays (401, nothing done, for each), reads the click, hands
 * it to the worker half (an asynchronous self-invocation) and answers 200 at once: Slack wants an
 * answer within 3 seconds, and GuardDuty in every region can take longer. Silence… is the exception:
 * its click opens a modal and its `view_submission` keeps the silence, both here (`silence.ts` says why);
 * so is Renew on a silence's recap (`renew.ts`).
 */

/** Largest body accepted, in bytes (a block_actions payload of a parent is a few KiB). */
export const MAX_BODY_BYTES = 64 * 1024;

/** The work handed to the worker half. */
export interface TriageJob {
  readonly kind: 'gdh-triage-job';
  readonly click: ButtonClick;
  /** When the front accepted it, epoch ms. */
  readonly acceptedAtMs: number;
  /** {@link jobSeal} of the job: the worker refuses a job without it (someone invoking the function directly). */
  readonly seal: string;
}

/** What the front needs. */
export interface TriageFrontOptions extends TriageAuditSinks {
  /** The app's signing secret (read from Secrets Manager, cached). */
  readonly signingSecret: () => Promise<string>;
  readonly replay: ReplayGuard;
  /** Starts the worker without waiting for it (Lambda `InvokeCommand` with `InvocationType: 'Event'`). */
  readonly handOff: (job: TriageJob) => Promise<void>;
  readonly now: () => number;
  /** Default {@link MAX_BODY_BYTES}. */
  readonly maxBodyBytes?: number;
  /** Opens the Silence… modal and keeps what it submits; without it, both are ignored (200). */
  readonly silence?: SilenceDesk;
}

const refused = (): FunctionUrlResult => ({
  statusCode: 401,
  headers: { 'content-type': 'text/plain' },
  body: 'refused',
});
const answered = (statusCode: number, body = ''): FunctionUrlResult => ({
  statusCode,
  headers: { 'content-type': 'text/plain' },
  body,
});

/** The front's handler: one function URL request in, one answer out. */
export function createTriageFront(
  options: TriageFrontOptions,
): (event: FunctionUrlEvent) => Promise<FunctionUrlResult> {
  return async (event) => {
    const nowMs = options.now();
    const rawBody = rawBodyOf(event, options.maxBodyBytes ?? MAX_BODY_BYTES);
    if (rawBody === undefined) {
      audit(options, { result: 'refused-request', reason: 'oversized-body' });
      return refused();
    }
    const signature = headerOf(event, 'x-slack-signature');
    const timestamp = headerOf(event, 'x-slack-request-timestamp');
    const secret = await options.signingSecret();
    const check = verifySlackSignature({ timestamp, signature, rawBody }, secret, nowMs);
    if (!check.ok) {
      audit(options, { result: 'refused-request', reason: check.problem });
      return refused();
    }
    // A signature that checked out is there: the check refuses a missing one.
    if (signature === undefined || !(await options.replay.firstSeen(signature, nowMs))) {
      audit(options, { result: 'refused-request', reason: 'replayed' });
      return refused();
    }
    return answerPayload(options, rawBody, secret, nowMs);
  };
}

/** Answers a verified request by its payload: a click (handed off, or the Silence… modal) or a modal's submission. */
async function answerPayload(
  options: TriageFrontOptions,
  rawBody: string,
  secret: string,
  nowMs: number,
): Promise<FunctionUrlResult> {
  let payload: Record<string, unknown>;
  let click: ButtonClick | undefined;
  try {
    payload = readPayload(rawBody);
    click = payload.type === 'view_submission' ? undefined : buttonClickOf(payload);
  } catch (error) {
    audit(options, {
      result: 'refused-request',
      reason: `unreadable payload: ${error instanceof Error ? error.message : String(error)}`,
    });
    return answered(400, 'not a block_actions payload');
  }
  if (click === undefined) return answerSubmission(options, payload);
  if (click.actionId === RENEW_ACTION_ID) {
    await options.silence?.renew(click);
    return answered(200);
  }
  const action = actionOf(click.actionId);
  if (action === undefined) return answered(200);
  if (action === 'silence') {
    await options.silence?.open(click);
    return answered(200);
  }
  await options.handOff({ kind: 'gdh-triage-job', click, acceptedAtMs: nowMs, seal: jobSeal(secret, nowMs, click) });
  return answered(200);
}

/** A `view_submission`: the Silence… modal's goes to the desk; any other closes with nothing done. */
async function answerSubmission(
  options: TriageFrontOptions,
  payload: Record<string, unknown>,
): Promise<FunctionUrlResult> {
  let submission: ReturnType<typeof parseViewSubmission>;
  try {
    submission = parseViewSubmission(payload);
  } catch (error) {
    audit(options, {
      result: 'refused-request',
      reason: `unreadable view_submission: ${error instanceof Error ? error.message : String(error)}`,
    });
    return answered(400, 'not a view_submission this hub made');
  }
  if (submission.callbackId !== SILENCE_CALLBACK_ID || options.silence === undefined) return answered(200);
  return options.silence.submit(submission);
}
