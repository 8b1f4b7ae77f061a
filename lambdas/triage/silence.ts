import { audit } from '../../destinations/slack-app/triage/audit.ts';
import type { ButtonClick, FunctionUrlResult } from '../../destinations/slack-app/triage/request.ts';
import {
  SILENCE_BLOCK_IDS,
  SILENCE_REASON_MAX_CHARS,
  openSubject,
  sealSubject,
  silenceFrom,
  silenceModal,
  silencedReply,
  type SilenceSubject,
  type SilenceSubmission,
} from '../../destinations/slack-app/triage/silence-modal.ts';
import { decodeTarget, maySilence, type TriageTarget } from '../../destinations/slack-app/triage/target.ts';
import { noticeView } from '../../destinations/slack-app/triage/suppress-modal.ts';
import { renewSilence } from './renew.ts';
import { NOT_ALLOWED, destinationOf, tokenFor, type SilenceDeskOptions } from './desk.ts';
import { tellClicker } from './app-token.ts';

export { SILENCE_SLACK_TIMEOUT_MS, type SilenceDeskOptions } from './desk.ts';

/**
 * Silence… from Slack, answered by the front itself. A click must become `views.open` within 3 seconds
 * (the `trigger_id` expires then), and the front already holds what it needs: the signing secret, and
 * the destination's bot token (Secrets Manager, cached per instance). An asynchronous hand-off to the
 * worker is a second invocation, possibly a cold start, before the call could even begin. The
 * submission is answered in the same request too: Slack closes the modal on an empty 200 and shows
 * `response_action: errors` under the field, which a hand-off could not send.
 */

/** A button clicked inside a modal: who, the view, and the view's `private_metadata`. */
export interface ViewAction {
  readonly userId: string;
  readonly viewId: string;
  readonly privateMetadata: string;
}

/** The desk: opens the modal for a click, keeps the silence a submission asks for, and renews an ended one. */
export interface SilenceDesk {
  open(click: ButtonClick): Promise<void>;
  /** "Silence instead" in the "Suppress like this" modal: turns that modal into this one (`views.update`). */
  instead(action: ViewAction): Promise<void>;
  submit(submission: SilenceSubmission): Promise<FunctionUrlResult>;
  /** Renew, clicked on a recap (see `renew.ts`). */
  renew(click: ButtonClick): Promise<void>;
}

const closeModal = (): FunctionUrlResult => ({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: '' });
/** Slack shows `text` under the modal's field `blockId`, and the modal stays open. */
const fieldError = (blockId: string, text: string): FunctionUrlResult => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ response_action: 'errors', errors: { [blockId]: text } }),
});

const NOT_SILENCEABLE =
  'Critical findings, attack sequences, and tamper, drift and scan alerts cannot be silenced from Slack: add a silence to the config (`silences:`) with a reason.';
/** The desk over `options`. */
export function createSilenceDesk(options: SilenceDeskOptions): SilenceDesk {
  return {
    open: (click) => openModal(options, click),
    instead: (action) => silenceInstead(options, action),
    submit: (submission) => keepSilence(options, submission),
    renew: (click) => renewSilence(options, click),
  };
}

/**
 * Replaces the "Suppress like this" modal `action.viewId` by the Silence… modal for the same sealed
 * subject, or by a notice saying why it cannot be silenced here; both checked as a submission is.
 */
async function silenceInstead(options: SilenceDeskOptions, action: ViewAction): Promise<void> {
  const subject = openSubject(action.privateMetadata, await options.signingSecret());
  if (subject === undefined) {
    audit(options, { result: 'refused-request', user: action.userId, action: 'silence', reason: 'unsealed-silence' });
    return;
  }
  const token = await tokenFor(options, subject.channel);
  if (token === undefined) return void (await submissionRefusal(options, subject.target, action.userId, token));
  const refusal = await submissionRefusal(options, subject.target, action.userId, token);
  const view =
    refusal === undefined ? silenceModal(subject, action.privateMetadata) : noticeView('Silence findings', refusal);
  try {
    await options.slack.call('views.update', token, { view_id: action.viewId, view });
  } catch (error) {
    const reason = `views.update: ${error instanceof Error ? error.message : String(error)}`;
    audit(options, {
      result: 'failed',
      user: action.userId,
      action: 'silence',
      findingId: subject.target.findingId,
      reason,
    });
  }
}

/** Why `click` cannot open the modal (said to the clicker), or undefined with what opening needs. */
async function checkClick(
  options: SilenceDeskOptions,
  click: ButtonClick,
): Promise<{ refusal: string } | { target: TriageTarget; token: string; triggerId: string }> {
  let target: TriageTarget;
  try {
    target = decodeTarget(click.value);
  } catch {
    return { refusal: 'This button is not one this hub can act on.' };
  }
  const base = {
    user: click.userId,
    action: 'silence' as const,
    findingId: target.findingId,
    accountId: target.accountId,
  };
  const token = await tokenFor(options, click.channel);
  if (token === undefined || click.triggerId === undefined) {
    audit(options, { ...base, result: 'failed', reason: 'no app destination, bot token or trigger_id' });
    return { refusal: 'The hub cannot open the Silence… form here right now: nothing was done.' };
  }
  if (!maySilence(target)) {
    audit(options, { ...base, result: 'refused', reason: 'cannot be silenced from Slack' });
    return { refusal: NOT_SILENCEABLE };
  }
  if (!(await options.authorizer.allowed(click.userId, 'silence', token))) {
    audit(options, { ...base, result: 'refused', reason: 'not allowed by triage.allow' });
    return { refusal: NOT_ALLOWED };
  }
  return { target, token, triggerId: click.triggerId };
}

/** Opens the modal for `click` (`views.open` with its `trigger_id`), or tells the clicker why not. */
async function openModal(options: SilenceDeskOptions, click: ButtonClick): Promise<void> {
  const checked = await checkClick(options, click);
  const tell = tellClicker(options, click.responseUrl);
  if ('refusal' in checked) return void (await tell(checked.refusal));
  const subject: SilenceSubject = {
    target: checked.target,
    channel: click.channel,
    parentTs: click.threadTs ?? click.messageTs,
  };
  const metadata = sealSubject(subject, await options.signingSecret());
  try {
    if (metadata === undefined) throw new Error('the finding does not fit private_metadata (3,000 characters)');
    await options.slack.call('views.open', checked.token, {
      trigger_id: checked.triggerId,
      view: silenceModal(subject, metadata),
    });
  } catch (error) {
    audit(options, {
      result: 'failed',
      user: click.userId,
      action: 'silence',
      findingId: checked.target.findingId,
      reason: `views.open: ${error instanceof Error ? error.message : String(error)}`,
    });
    await tell('Slack did not open the Silence… form (it must open within 3 seconds of the click): try again.');
  }
}

/** Why the user of a submission may not silence `target` (audited), or undefined. */
async function submissionRefusal(
  options: SilenceDeskOptions,
  target: TriageTarget,
  userId: string,
  token: string | undefined,
): Promise<string | undefined> {
  const base = { user: userId, action: 'silence' as const, findingId: target.findingId, accountId: target.accountId };
  if (!maySilence(target)) {
    audit(options, { ...base, result: 'refused', reason: 'cannot be silenced from Slack' });
    return NOT_SILENCEABLE;
  }
  if (token === undefined) {
    audit(options, { ...base, result: 'failed', reason: 'no app destination or bot token for the channel' });
    return 'The hub cannot reach this channel right now: nothing was silenced.';
  }
  if (!(await options.authorizer.allowed(userId, 'silence', token))) {
    audit(options, { ...base, result: 'refused', reason: 'not allowed by triage.allow' });
    return NOT_ALLOWED;
  }
  if (options.store === undefined) {
    audit(options, { ...base, result: 'failed', reason: 'no state table to keep silences in' });
    return 'This hub has no state table to keep silences in: nothing was silenced.';
  }
  return undefined;
}

/**
 * Keeps the silence `submission` asks for, when its sealed subject may be silenced and its user may
 * silence; then says so in the parent's thread and audits it. Answers an empty 200 (the modal closes)
 * or the field errors that keep it open.
 */
async function keepSilence(options: SilenceDeskOptions, submission: SilenceSubmission): Promise<FunctionUrlResult> {
  const subject = openSubject(submission.privateMetadata, await options.signingSecret());
  const { userId, scope, duration, reason } = submission;
  if (subject === undefined) {
    audit(options, { result: 'refused-request', user: userId, action: 'silence', reason: 'unsealed-silence' });
    return fieldError(SILENCE_BLOCK_IDS.reason, 'This form was not made by this hub: nothing was silenced.');
  }
  const { target } = subject;
  const token = await tokenFor(options, subject.channel);
  const refusal = await submissionRefusal(options, target, userId, token);
  if (refusal !== undefined || token === undefined || options.store === undefined)
    return fieldError(SILENCE_BLOCK_IDS.reason, refusal ?? 'Nothing was silenced.');
  if (scope === undefined) return fieldError(SILENCE_BLOCK_IDS.scope, 'Choose what to silence.');
  if (duration === undefined) return fieldError(SILENCE_BLOCK_IDS.duration, 'Choose how long.');
  if (reason === '') return fieldError(SILENCE_BLOCK_IDS.reason, 'Say why: the reason is shown with the silence.');
  if (reason.length > SILENCE_REASON_MAX_CHARS)
    return fieldError(SILENCE_BLOCK_IDS.reason, `At most ${SILENCE_REASON_MAX_CHARS} characters, please.`);
  const destination = destinationOf(options, subject.channel);
  const made = silenceFrom(target, { userId, scope, duration, reason }, options.now());
  const silence = destination === undefined ? made : { ...made, destination };
  try {
    await options.store.add(silence);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    audit(options, { result: 'failed', user: userId, action: 'silence', findingId: target.findingId, reason: why });
    return fieldError(SILENCE_BLOCK_IDS.reason, 'The hub could not keep the silence: nothing was silenced. Try again.');
  }
  await reply(options, token, subject, silencedReply(userId, duration, reason, silence.id));
  audit(options, {
    result: 'done',
    user: userId,
    action: 'silence',
    findingId: target.findingId,
    accountId: target.accountId,
    region: target.region,
    silence: silence.id,
    until: new Date(silence.endsAtMs).toISOString(),
  });
  return closeModal();
}

/** The thread reply under the parent; a failure is logged (the silence is kept). */
async function reply(options: SilenceDeskOptions, token: string, subject: SilenceSubject, text: string): Promise<void> {
  try {
    await options.slack.call('chat.postMessage', token, {
      channel: subject.channel,
      thread_ts: subject.parentTs,
      text,
    });
  } catch (error) {
    options.logger.warn('Triage: the silence is kept but Slack did not take the thread reply', {
      findingId: subject.target.findingId,
      error: String(error),
    });
  }
}
