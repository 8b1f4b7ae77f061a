import pLimit from 'p-limit';
import { destinationTypeOf, routeFor } from '../../shared/config/derive.ts';
import type { HubConfig, TriageAction } from '../../shared/index.ts';
import type { ConsumerLogger } from '../../core/log.ts';
import type { FetchLike } from '../../core/port/fetch.ts';
import { RateLimiters } from '../../core/port/rate-limiter.ts';
import type { SecretReader } from '../../core/port/secrets.ts';
import { findingKey } from '../../core/state-keys.ts';
import {
  PAGERDUTY_BUDGET,
  secretsManagerRoutingKeys,
  sendFollowUps,
  type FollowUpAction,
  type PagerDutyEnvironment,
} from '../../destinations/pagerduty/index.ts';
import { escapeSlack } from '../../destinations/slack/render/index.ts';
import type { TriageFollowUp } from '../../destinations/slack-app/triage/audit.ts';
import type { TriageTarget } from '../../destinations/slack-app/triage/target.ts';

/**
 * What a click in Slack tells the other destinations of the finding's account, once the action is done:
 * the worker's port ({@link FollowUps}) and its PagerDuty implementation. Acknowledge sends `acknowledge`
 * and Archive `resolve` to every PagerDuty lane of the account's route, with the `dedup_key` the trigger
 * used; Unarchive and Suppress tell nobody. Wired here, in the composition root, because the Slack app
 * adapter may not import the PagerDuty adapter.
 */

/** Tells the other destinations of `target`'s account that `action` was done; never throws for a destination's failure. */
export type FollowUps = (action: TriageAction, target: TriageTarget) => Promise<readonly TriageFollowUp[]>;

/** The PagerDuty event each triage action sends; the others send none. */
export const PAGERDUTY_EVENT_OF: Readonly<Partial<Record<TriageAction, FollowUpAction>>> = {
  acknowledge: 'acknowledge',
  archive: 'resolve',
};

/**
 * How long the follow-ups of one click may take, all destinations, retries and 429 pauses included, in
 * ms (10 s). With the three Slack calls (12 s each at most) the worker ends within 46 s of its 60 s.
 */
export const FOLLOW_UP_BUDGET_MS = 10_000;

/** Longest wait for one PagerDuty answer, in ms. */
export const FOLLOW_UP_REQUEST_TIMEOUT_MS = 5_000;

/** What {@link pagerDutyFollowUps} needs. */
export interface PagerDutyFollowUpOptions {
  /** Routes (`accounts`, `defaults`) and the destinations with their `routingKeySecret`. */
  readonly config: Pick<HubConfig, 'accounts' | 'defaults' | 'destinations'>;
  /** Reads a routing key's secret (Secrets Manager `GetSecretValue` in Lambda). */
  readonly secrets: SecretReader;
  /** The Events API v2 endpoint (`https://events.pagerduty.com/v2/enqueue`, or a simulator's). */
  readonly eventsUrl: string;
  readonly fetch: FetchLike;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly logger: Pick<ConsumerLogger, 'warn' | 'error' | 'debug'>;
  /** Default {@link FOLLOW_UP_BUDGET_MS}. */
  readonly budgetMs?: number;
}

/** The PagerDuty lanes of `accountId`'s route, each once. */
export function pagerDutyLanes(config: PagerDutyFollowUpOptions['config'], accountId: string): string[] {
  const names = routeFor(config, accountId).lanes.map((lane) => lane.destination);
  return [...new Set(names)].filter((name) => destinationTypeOf(config, name) === 'pagerduty');
}

/**
 * The {@link FollowUps} of PagerDuty: the event of {@link PAGERDUTY_EVENT_OF} to each PagerDuty lane of
 * the target's account, keyed by the target's issue (else, for a finding without one or a button made
 * before buttons carried it, by `finding#<id>`), within {@link FOLLOW_UP_BUDGET_MS}.
 */
export function pagerDutyFollowUps(options: PagerDutyFollowUpOptions): FollowUps {
  const env: PagerDutyEnvironment = {
    now: options.now,
    sleep: options.sleep,
    postLimit: pLimit(4),
    requestTimeoutMs: FOLLOW_UP_REQUEST_TIMEOUT_MS,
    fetch: options.fetch,
    eventsUrl: options.eventsUrl,
    routingKeys: secretsManagerRoutingKeys(options.config.destinations, options.secrets),
    limiters: new RateLimiters(PAGERDUTY_BUDGET, 1),
    logger: options.logger,
  };
  const budgetMs = options.budgetMs ?? FOLLOW_UP_BUDGET_MS;
  return async (action, target) => {
    const event = PAGERDUTY_EVENT_OF[action];
    const lanes = event === undefined ? [] : pagerDutyLanes(options.config, target.accountId);
    if (event === undefined || lanes.length === 0) return [];
    const key = target.issueKey ?? findingKey({ id: target.findingId });
    const outcomes = await sendFollowUps(event, key, lanes, env, env.now() + budgetMs);
    return outcomes.map(
      (outcome): TriageFollowUp => ({
        destination: outcome.destination,
        service: 'PagerDuty',
        event,
        ...(outcome.sent ? { result: 'sent' } : { result: 'failed', reason: outcome.reason }),
      }),
    );
  };
}

/** The lines the thread reply adds for follow-ups that failed (mrkdwn, escaped); empty when all were sent. */
export function followUpFailureText(followUps: readonly TriageFollowUp[]): string {
  return followUps
    .filter((followUp) => followUp.result === 'failed')
    .map(
      (followUp) =>
        `\n:warning: ${followUp.service} (${escapeSlack(followUp.destination)}) could not be told (${followUp.event}): ` +
        `${escapeSlack(followUp.reason ?? 'no reason given')}. Do it there by hand.`,
    )
    .join('');
}
