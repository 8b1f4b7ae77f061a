import type { HubConfig, TriageAction, TriageConfig } from '../../shared/index.ts';
import { PARENT_TTL_DAYS } from '../../destinations/slack-app/parents.ts';
import type { BotTokenResolver } from '../../destinations/slack-app/tokens.ts';
import type { TriageSlotStore } from '../../core/repeats/index.ts';
import {
  audit,
  type TriageAudit,
  type TriageAuditSinks,
  type TriageFollowUp,
} from '../../destinations/slack-app/triage/audit.ts';
import type { Authorizer } from '../../destinations/slack-app/triage/authorize.ts';
import { actionOf } from '../../destinations/slack-app/triage/blocks.ts';
import type { TriageJob } from './front.ts';
import type { TriageGuardDuty } from '../../destinations/slack-app/triage/guardduty.ts';
import { editedParent } from '../../destinations/slack-app/triage/parent.ts';
import { filterNameFor, perform, replyFor } from '../../destinations/slack-app/triage/perform.ts';
import { ephemeral, type TriageSlack } from '../../destinations/slack-app/triage/slack.ts';
import {
  alreadyDone,
  parseTriageState,
  withAction,
  type TriageState,
} from '../../destinations/slack-app/triage/state.ts';
import { decodeTarget, type TriageTarget } from '../../destinations/slack-app/triage/target.ts';
import { followUpFailureText, type FollowUps } from './follow-ups.ts';

/**
 * The worker half of the triage Lambda (the self-invoked event): authorize the click, do the action
 * once, edit the parent and reply in its thread, and audit the outcome. Idempotent: the triage state
 * is written to the parent's record (conditional on the version read) before GuardDuty is called,
 * so of two clicks one does the work and the other finds it done; a failed action puts the state back.
 * Once the action is done, the other destinations of the finding's account are told (`followUps`:
 * PagerDuty acknowledges or resolves the alert); one that cannot be told is said in the thread reply
 * and the audit line, and never undoes the action.
 */

/** What the worker needs. */
export interface TriageWorkerOptions extends TriageAuditSinks {
  /** `accounts`, `defaults` and `destinations` route a finding's account to its lanes. */
  readonly config: Pick<HubConfig, 'regions' | 'accounts' | 'defaults' | 'destinations'> & {
    readonly triage: TriageConfig;
  };
  readonly store: TriageSlotStore;
  readonly guardduty: TriageGuardDuty;
  readonly slack: TriageSlack;
  readonly tokens: BotTokenResolver;
  readonly authorizer: Authorizer;
  readonly now: () => number;
  /** Tells the account's other destinations of a done action (PagerDuty); none when undefined. */
  readonly followUps?: FollowUps;
}

/** The click's action, target, app destination and its token; or undefined (audited and answered) when one is missing. */
async function open(
  job: TriageJob,
  options: TriageWorkerOptions,
): Promise<{ action: TriageAction; target: TriageTarget; token: string } | undefined> {
  const { click } = job;
  const action = actionOf(click.actionId);
  let target: TriageTarget | undefined;
  try {
    target = decodeTarget(click.value);
  } catch (error) {
    audit(options, {
      result: 'failed',
      user: click.userId,
      ...(action === undefined ? {} : { action }),
      reason: String(error),
    });
  }
  const destination = Object.entries(options.config.destinations).find(
    ([, destination]) => destination.app?.channel === click.channel,
  )?.[0];
  if (action === undefined || target === undefined || destination === undefined) {
    if (target !== undefined)
      audit(options, {
        result: 'failed',
        user: click.userId,
        ...(action === undefined ? {} : { action }),
        findingId: target.findingId,
        reason: 'the channel is no app destination of this hub',
      });
    await answer(options, job, 'This button is not one this hub can act on.');
    return undefined;
  }
  try {
    return { action, target, token: await options.tokens.botToken(destination) };
  } catch (error) {
    audit(options, {
      result: 'failed',
      user: click.userId,
      action,
      findingId: target.findingId,
      region: target.region,
      reason: error instanceof Error ? error.message : String(error),
    });
    await answer(options, job, 'The hub cannot read its Slack bot token right now: nothing was done. Try again later.');
    return undefined;
  }
}

/** Runs one click. Never throws for an expected outcome: each ends in an audit line. */
export async function runTriageJob(
  job: TriageJob,
  options: TriageWorkerOptions,
): Promise<TriageAudit['result'] | undefined> {
  const opened = await open(job, options);
  if (opened === undefined) return undefined;
  const { action, target, token } = opened;
  const { userId } = job.click;
  const base = {
    user: userId,
    action,
    findingId: target.findingId,
    accountId: target.accountId,
    region: target.region,
  };
  if (!(await options.authorizer.allowed(userId, action, token))) {
    audit(options, { ...base, result: 'refused', reason: 'not allowed by triage.allow' });
    await answer(
      options,
      job,
      `You are not allowed to ${action} findings from Slack here. Ask an admin to add you to \`triage.allow.${action}\`.`,
    );
    return 'refused';
  }
  const atMs = options.now();
  const claimed = await claimAction(options, target, action, { by: userId, atMs }, filterNameFor(action, target));
  if (claimed === undefined) {
    audit(options, { ...base, result: 'already-done' });
    await answer(options, job, `Already done: nothing more to ${action}.`);
    return 'already-done';
  }
  try {
    const performed = await perform(action, target, userId, options.guardduty, options.config.regions, {
      expiresAtMs: atMs + options.config.triage.suppressExpiryDays * 86_400_000,
      thread: { channel: job.click.channel, ts: job.click.threadTs ?? job.click.messageTs },
    });
    const told = await followUp(options, action, target);
    const reply = replyFor(action, target, userId, atMs, performed) + followUpFailureText(told);
    await updateSlack(options, job, token, target, claimed.next, reply);
    audit(options, {
      ...base,
      result: 'done',
      ...(performed.regions.length > 1 ? { regions: performed.regions } : {}),
      ...(performed.filter ? { filter: performed.filter } : {}),
      ...(told.length > 0 ? { followUps: told } : {}),
    });
    return 'done';
  } catch (error) {
    await options.store
      .writeTriage(target.key, JSON.stringify(claimed.previous), claimed.version, ttlOf(atMs))
      .catch(() => false);
    const reason = error instanceof Error ? error.message : String(error);
    audit(options, { ...base, result: 'failed', reason });
    await answer(options, job, `Could not ${action} this finding: ${reason}`);
    return 'failed';
  }
}

/**
 * Writes the state after `action` if it is not done yet, conditional on the version read (one retry
 * after losing a race). Undefined when it was already done; else the states and the new version.
 */
async function claimAction(
  options: TriageWorkerOptions,
  target: TriageTarget,
  action: TriageAction,
  mark: { readonly by: string; readonly atMs: number },
  filter: string | undefined,
): Promise<{ previous: TriageState; next: TriageState; version: number } | undefined> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const slot = await options.store.readTriage(target.key);
    const previous = parseTriageState(slot?.text);
    if (alreadyDone(previous, action)) return undefined;
    const next = withAction(previous, action, mark, filter);
    const version = slot?.version ?? 0;
    if (await options.store.writeTriage(target.key, JSON.stringify(next), version, ttlOf(mark.atMs)))
      return { previous, next, version: version + 1 };
  }
  return undefined;
}

/** Edits the parent to the new state and replies in its thread; a Slack failure here is logged (the action is done). */
async function updateSlack(
  options: TriageWorkerOptions,
  job: TriageJob,
  token: string,
  target: TriageTarget,
  state: TriageState,
  reply: string,
): Promise<void> {
  const { click } = job;
  try {
    await options.slack.call('chat.update', token, editedParent(click, target, state, options.config.triage));
    await options.slack.call('chat.postMessage', token, {
      channel: click.channel,
      thread_ts: click.threadTs ?? click.messageTs,
      text: reply,
    });
  } catch (error) {
    options.logger.warn('Triage: the action is done but Slack did not take the edit or the reply', {
      findingId: target.findingId,
      error: String(error),
    });
  }
}

/** Tells the other destinations of the done action; a port that throws is logged and tells nobody (the action stands). */
async function followUp(
  options: TriageWorkerOptions,
  action: TriageAction,
  target: TriageTarget,
): Promise<readonly TriageFollowUp[]> {
  try {
    return (await options.followUps?.(action, target)) ?? [];
  } catch (error) {
    options.logger.error('Triage: the action is done but its follow-ups failed', {
      findingId: target.findingId,
      error: String(error),
    });
    return [];
  }
}

/** An ephemeral answer to the clicker; a failure is logged. */
async function answer(options: TriageWorkerOptions, job: TriageJob, text: string): Promise<void> {
  try {
    await options.slack.respond(job.click.responseUrl, ephemeral(text));
  } catch (error) {
    options.logger.warn('Triage: the response_url did not take an answer', { error: String(error) });
  }
}

function ttlOf(nowMs: number): number {
  return Math.floor(nowMs / 1000) + PARENT_TTL_DAYS * 86_400;
}
