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
import type { SilenceDesk, ViewAction } from './silence.ts';
import type { TriageJob } from './job.ts';
import type { SuppressDesk } from './suppress.ts';
import { SILENCE_INSTEAD_ACTION_ID, SUPPRESS_CALLBACK_ID } from '../../destinations/slack-app/triage/suppress-modal.ts';
import { TriagePayloadError } from '../../destinations/slack-app/triage/errors.ts';
import { FILTER_RENEW_ACTION_ID } from '../../destinations/slack-app/triage/renew-filter.ts';

export type { TriageJob } from './job.ts';

/**
 * The front half of the triage Lambda: the function URL Slack posts button clicks to. It caps the body,
 * verifies Slack's signature and refuses replays (401, nothing done, for each), reads the click, hands
 * it to the worker half (an asynchronous self-invocation) and answers 200 at once: Slack wants an
 * answer within 3 seconds, and GuardDuty in every region can take longer. Silence… and Suppress like
 * this… are the exceptions: their click opens a modal here (`silence.ts` says why); Silence…'s
 * `view_submission` keeps the silence here, Suppress's hands the kept click to the worker
 * (`suppress.ts`), and "Silence instead", a button inside that modal, turns it into Silence….
 * Renew on a silence's recap is answered here too (`renew.ts`); Renew on a filter's reminder goes to
 * the worker (`renew-filter.ts`).
 */

/** Largest body accepted, in bytes (a block_actions payload of a parent is a few KiB). */
export const MAX_BODY_BYTES = 64 * 1024;

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
  /** Opens the "Suppress like this" modal and hands its submission to the worker; without it, Suppress does nothing (200): no filter without its cost shown. */
  readonly suppress?: SuppressDesk;
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
    const inView = viewActionOf(payload);
    if (inView !== undefined) return answerViewAction(options, inView);
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
  if (action === undefined && click.actionId !== FILTER_RENEW_ACTION_ID) return answered(200);
  if (action === 'silence' || action === 'suppress') {
    await (action === 'silence' ? options.silence : options.suppress)?.open(click);
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
  if (submission.callbackId === SUPPRESS_CALLBACK_ID && options.suppress !== undefined)
    return options.suppress.submit(submission);
  if (submission.callbackId !== SILENCE_CALLBACK_ID || options.silence === undefined) return answered(200);
  return options.silence.submit(submission);
}

/** A button clicked inside one of the hub's modals ("Silence instead"): its action id and the view. */
function viewActionOf(payload: Record<string, unknown>): (ViewAction & { readonly actionId: string }) | undefined {
  const record = (value: unknown) =>
    value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  if (payload.type !== 'block_actions' || record(payload.container).type !== 'view') return undefined;
  const view = record(payload.view);
  const action = record(Array.isArray(payload.actions) ? payload.actions[0] : undefined);
  const found = {
    userId: text(record(payload.user).id),
    viewId: text(view.id),
    privateMetadata: text(view.private_metadata),
    actionId: text(action.action_id),
  };
  if (found.userId === '' || found.viewId === '')
    throw new TriagePayloadError('the block_actions in a view has no user or view');
  return found;
}

/** "Silence instead" goes to the Silence… desk; any other button in a view is ignored. */
async function answerViewAction(
  options: TriageFrontOptions,
  action: ViewAction & { readonly actionId: string },
): Promise<FunctionUrlResult> {
  if (action.actionId === SILENCE_INSTEAD_ACTION_ID) await options.silence?.instead(action);
  return answered(200);
}
