import type { HubConfig, TriageConfig } from '../../shared/index.ts';
import type { FindingHistory } from '../../core/repeats/history.ts';
import type { TriageSlotStore } from '../../core/repeats/store.ts';
import { suppressViewKey } from '../../core/state-keys.ts';
import { audit, type TriageAuditSinks } from '../../destinations/slack-app/triage/audit.ts';
import type { Authorizer } from '../../destinations/slack-app/triage/authorize.ts';
import { backtest, type Backtest } from '../../destinations/slack-app/triage/backtest.ts';
import { suppressCriteria } from '../../destinations/slack-app/triage/criteria.ts';
import type { ButtonClick, FunctionUrlResult } from '../../destinations/slack-app/triage/request.ts';
import { jobSeal } from '../../destinations/slack-app/triage/signature.ts';
import { openSubject, sealSubject, type SilenceSubject } from '../../destinations/slack-app/triage/silence-modal.ts';
import type { TriageSlack } from '../../destinations/slack-app/triage/slack.ts';
import { noticeView, suppressLoadingView, suppressModal } from '../../destinations/slack-app/triage/suppress-modal.ts';
import { decodeTarget, maySilence } from '../../destinations/slack-app/triage/target.ts';
import type { BotTokenResolver } from '../../destinations/slack-app/tokens.ts';
import { appTokenFor, tellClicker } from './app-token.ts';
import type { TriageJob } from './job.ts';
import type { ViewAction } from './silence.ts';

/**
 * "Suppress like this" from Slack, answered by the front: the click opens a modal (`views.open` with
 * its `trigger_id`, which Slack honours for 3 seconds) showing the filter's criteria and "Counting…",
 * then the count is read from the state table's finding history and the modal updated with it
 * (`views.update`), so the trigger is spent before the count's query runs. The click is kept in the
 * state table under the view's id; the modal's signed `view_submission` (authorized by
 * `triage.allow.suppress` again) hands that click to the worker as a sealed job, which makes the
 * filter, edits the parent and replies in its thread, as the button once did directly.
 */

/** Longest the front waits for the backtest before showing the modal without figures, in ms. */
export const BACKTEST_BUDGET_MS = 1500;

/** Days the kept click outlives the modal (Slack keeps a modal open for as long as the user leaves it). */
const KEPT_CLICK_TTL_SECONDS = 86_400;

/** What the desk needs. */
export interface SuppressDeskOptions extends TriageAuditSinks {
  readonly config: Pick<HubConfig, 'destinations' | 'regions' | 'accounts'> & {
    readonly triage: Pick<TriageConfig, 'allow' | 'suppressExpiryDays'>;
  };
  /** The finding history (the state table's index); undefined: the modal says nothing could be counted. */
  readonly history: FindingHistory | undefined;
  /** Where the click is kept until the submission (the state table). */
  readonly store: TriageSlotStore;
  readonly tokens: BotTokenResolver;
  readonly authorizer: Authorizer;
  /** A Slack client whose calls end within Slack's 3 seconds. */
  readonly slack: TriageSlack;
  readonly signingSecret: () => Promise<string>;
  readonly handOff: (job: TriageJob) => Promise<void>;
  readonly now: () => number;
  /** Default {@link BACKTEST_BUDGET_MS}. */
  readonly backtestBudgetMs?: number;
}

/** The desk: opens the modal for a click, and hands the suppression a submission asks for to the worker. */
export interface SuppressDesk {
  open(click: ButtonClick): Promise<void>;
  submit(action: ViewAction): Promise<FunctionUrlResult>;
}

const NOT_ALLOWED =
  'You are not allowed to suppress findings from Slack here. Ask an admin to add you to `triage.allow.suppress`.';

/** The desk over `options`. */
export function createSuppressDesk(options: SuppressDeskOptions): SuppressDesk {
  return { open: (click) => openSuppress(options, click), submit: (action) => submitSuppress(options, action) };
}

/** The modal's subject and the bot token for `click`, or the refusal said to the clicker (audited). */
async function checkSuppressClick(
  options: SuppressDeskOptions,
  click: ButtonClick,
): Promise<{ refusal: string } | { subject: SilenceSubject; token: string; triggerId: string }> {
  let subject: SilenceSubject;
  try {
    subject = {
      target: decodeTarget(click.value),
      channel: click.channel,
      parentTs: click.threadTs ?? click.messageTs,
    };
  } catch {
    return { refusal: 'This button is not one this hub can act on.' };
  }
  const base = { user: click.userId, action: 'suppress' as const, findingId: subject.target.findingId };
  const token = await appTokenFor(options.config, options.tokens, click.channel);
  if (token === undefined || click.triggerId === undefined) {
    audit(options, { ...base, result: 'failed', reason: 'no app destination, bot token or trigger_id' });
    return { refusal: 'The hub cannot open the Suppress form here right now: nothing was done.' };
  }
  if (!(await options.authorizer.allowed(click.userId, 'suppress', token))) {
    audit(options, { ...base, result: 'refused', reason: 'not allowed by triage.allow' });
    return { refusal: NOT_ALLOWED };
  }
  return { subject, token, triggerId: click.triggerId };
}

/** Opens the modal, keeps the click under its view id, counts, and updates the modal with the figures. */
async function openSuppress(options: SuppressDeskOptions, click: ButtonClick): Promise<void> {
  const checked = await checkSuppressClick(options, click);
  const tell = tellClicker(options, click.responseUrl);
  if ('refusal' in checked) return void (await tell(checked.refusal));
  const { subject, token } = checked;
  const metadata = sealSubject(subject, await options.signingSecret());
  const counting = backtestWithin(options, subject);
  try {
    if (metadata === undefined) throw new Error('the finding does not fit private_metadata (3,000 characters)');
    const opened = await options.slack.call('views.open', token, {
      trigger_id: checked.triggerId,
      view: suppressLoadingView(subject, metadata, options.config.regions),
    });
    const viewId = String((opened.view as { id?: unknown } | undefined)?.id ?? '');
    if (viewId === '') throw new Error('views.open gave no view id');
    const ttl = Math.floor(options.now() / 1000) + KEPT_CLICK_TTL_SECONDS;
    await options.store.writeTriage(suppressViewKey(viewId), JSON.stringify(click), 0, ttl);
    const view = suppressModal(subject, metadata, {
      regions: options.config.regions,
      backtest: await counting,
      expiresAtMs: options.now() + options.config.triage.suppressExpiryDays * 86_400_000,
      silenceOffered: maySilence(subject.target) && options.config.triage.allow.silence.length > 0,
      accountNames: Object.fromEntries(Object.entries(options.config.accounts).map(([id, a]) => [id, a.name ?? id])),
    });
    await options.slack.call('views.update', token, { view_id: viewId, view });
  } catch (error) {
    const reason = `views: ${error instanceof Error ? error.message : String(error)}`;
    audit(options, {
      result: 'failed',
      user: click.userId,
      action: 'suppress',
      findingId: subject.target.findingId,
      reason,
    });
    await tell('Slack did not open the Suppress form (it must open within 3 seconds of the click): try again.');
  }
}

/** The backtest, or the problem that kept it from ending within the budget. Never rejects. */
async function backtestWithin(
  options: SuppressDeskOptions,
  subject: SilenceSubject,
): Promise<Backtest | { readonly problem: string }> {
  const history = options.history;
  if (history === undefined) return { problem: 'this hub keeps no finding history' };
  const budgetMs = options.backtestBudgetMs ?? BACKTEST_BUDGET_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<{ problem: string }>((resolve) => {
    timer = setTimeout(() => resolve({ problem: `the state table did not answer within ${budgetMs} ms` }), budgetMs);
  });
  const counted = backtest(history, suppressCriteria(subject.target), options.now()).catch((error: unknown) => {
    options.logger.warn('Triage: the suppress backtest failed', { error: String(error) });
    return { problem: 'the state table could not be read' };
  });
  try {
    return await Promise.race([counted, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A submission of the modal: its sealed subject and the click kept under its view must agree, and its
 * user must be in `triage.allow.suppress`; then the click goes to the worker as a sealed job and the
 * modal closes. Otherwise the modal shows why, and nothing is done.
 */
async function submitSuppress(options: SuppressDeskOptions, action: ViewAction): Promise<FunctionUrlResult> {
  const secret = await options.signingSecret();
  const subject = openSubject(action.privateMetadata, secret);
  const click = await keptClick(options, action.viewId);
  if (subject === undefined || click === undefined || keyOf(click) !== subject.target.key) {
    audit(options, { result: 'refused-request', user: action.userId, action: 'suppress', reason: 'unsealed-suppress' });
    return updateView('This form was not made by this hub: nothing was suppressed.');
  }
  const base = { user: action.userId, action: 'suppress' as const, findingId: subject.target.findingId };
  const token = await appTokenFor(options.config, options.tokens, subject.channel);
  if (token === undefined || !(await options.authorizer.allowed(action.userId, 'suppress', token))) {
    audit(options, {
      ...base,
      result: 'refused',
      reason: token === undefined ? 'no bot token' : 'not allowed by triage.allow',
    });
    return updateView(
      token === undefined ? 'The hub cannot reach this channel right now: nothing was done.' : NOT_ALLOWED,
    );
  }
  const job = { ...click, userId: action.userId };
  const acceptedAtMs = options.now();
  await options.handOff({ kind: 'gdh-triage-job', click: job, acceptedAtMs, seal: jobSeal(secret, acceptedAtMs, job) });
  return { statusCode: 200, headers: { 'content-type': 'text/plain' }, body: '' };
}

/** The click kept under `viewId`, or undefined (none, unreadable, or the store failed). */
async function keptClick(options: SuppressDeskOptions, viewId: string): Promise<ButtonClick | undefined> {
  try {
    const kept = await options.store.readTriage(suppressViewKey(viewId));
    return kept === undefined ? undefined : (JSON.parse(kept.text) as ButtonClick);
  } catch {
    return undefined;
  }
}

/** The state-table key of the finding a kept click is about, or undefined when its value is not one of the hub's. */
function keyOf(click: ButtonClick): string | undefined {
  try {
    return decodeTarget(click.value).key;
  } catch {
    return undefined;
  }
}

/** Answers a submission by replacing the modal with a notice (`response_action: update`). */
function updateView(text: string): FunctionUrlResult {
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ response_action: 'update', view: noticeView('Suppress like this?', text) }),
  };
}
