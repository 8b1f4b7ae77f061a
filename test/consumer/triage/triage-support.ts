import { staticTokens } from '../../../destinations/slack-app/index.ts';
import {
  TRIAGE_ACTION_IDS,
  createTriageHandler,
  type TriageGuardDuty,
  type TriageHandler,
  type TriageJob,
  type TriageWiring,
} from '../../../lambdas/consumer/index.ts';
import type { SlackFilter } from '../../../lambdas/triage/index.ts';
import type { HubConfig } from '../../../shared/index.ts';
import type { HandlerOptions } from '../../../lambdas/consumer/handler.ts';
import { makeFindingEvent, makeSqsRecord } from '../../factories/index.ts';
import { clickEvent, signedEvent, viewSubmissionPayload, type UrlEvent } from '../../../devkit/slack/interactivity.ts';
import type { SimMessage, SimView } from '../../../devkit/slack/web-api-simulator.ts';
import { ALERTS_CHANNEL, BOT_TOKEN, appConfig, startAppWorld, type AppWorld } from '../app-support.ts';

/** Helpers for the triage tests: an app world (consumer, Web API simulator, one state store) plus the triage function. */

/** A signing secret for the tests (32 hex characters, as Slack's are). */
export const SIGNING_SECRET = '8f742231b10e8888abcd99eeeeee85a5';

/** Users and the on-call user group. */
export const ALICE = 'U0ALICE001';
export const BOB = 'U0BOB00001';
export const CAROL = 'U0CAROL001';
export const ONCALL = 'S0ONCALL01';

/** An app config with triage: Alice may do everything but suppress; the on-call group (Bob) may acknowledge and suppress. */
export function triageConfig(overrides: Record<string, unknown> = {}): HubConfig {
  return appConfig({
    triage: {
      signingSecret: 'guardduty-hub/slack/signing-secret',
      allow: { acknowledge: [ALICE, ONCALL], archive: [ALICE], unarchive: [ALICE], suppress: [ONCALL] },
    },
    ...overrides,
  });
}

/** A GuardDuty stand-in that records every call (for tests where GuardDuty is not the subject). */
export function recordingGuardDuty(): TriageGuardDuty & { readonly calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    archive: async (region, ids) => void calls.push(`archive ${region} ${ids.join(',')}`),
    unarchive: async (region, ids) => void calls.push(`unarchive ${region} ${ids.join(',')}`),
    createFilter: async (region: string, filter: SlackFilter) => {
      calls.push(`createFilter ${region} ${filter.name}`);
      return 'created';
    },
    renewFilter: async (region, name, expiresAtMs) => {
      calls.push(`renewFilter ${region} ${name} ${new Date(expiresAtMs).toISOString()}`);
      return 'renewed';
    },
  };
}

/** An app world with the triage function beside it. */
export interface TriageWorld extends AppWorld {
  readonly config: HubConfig;
  readonly triage: TriageHandler;
  /** Every job handed to the worker, and the worker's outcome once it finished. */
  readonly jobs: TriageJob[];
  /** Waits for every worker started so far; their outcomes in order. */
  settle(): Promise<(string | undefined)[]>;
  /** The consumer posts a new finding; its parent message. */
  postFinding(event?: ReturnType<typeof makeFindingEvent>): Promise<SimMessage>;
  /** A signed click of `actionId` on `message` by `userId`, as the function URL receives it. */
  clickOf(
    message: SimMessage,
    actionId: string,
    userId: string,
    options?: { readonly base64?: boolean; readonly timestampSeconds?: number },
  ): UrlEvent;
  /**
   * "Suppress like this…" as a user does it: the signed click opens the modal (its figures put in by
   * `views.update`), and a signed submission of the modal as last shown hands the job to the worker.
   * The modal as submitted, or undefined when none opened (the click was refused).
   */
  suppress(message: SimMessage, userId: string): Promise<SimView | undefined>;
}

/** Starts a {@link TriageWorld}; `guardduty` defaults to {@link recordingGuardDuty}. */
export async function startTriageWorld(
  options: {
    readonly guardduty?: TriageGuardDuty;
    readonly config?: HubConfig;
    readonly store?: TriageWiring['store'];
    readonly logger?: TriageWiring['logger'];
    readonly metrics?: TriageWiring['metrics'];
    readonly sleep?: TriageWiring['sleep'];
    /** More of the triage wiring: a clock, a fetch, PagerDuty's secrets and endpoint. */
    readonly wiring?: Partial<
      Pick<TriageWiring, 'now' | 'fetch' | 'secrets' | 'pagerDutyEventsUrl' | 'silences' | 'history'>
    >;
    /** More of the consumer's options (a PagerDuty lane's secrets and endpoint). */
    readonly handler?: Partial<HandlerOptions>;
  } = {},
): Promise<TriageWorld> {
  const config = options.config ?? triageConfig();
  const world = await startAppWorld(config, {
    ...(options.handler ? { handler: options.handler } : {}),
    web: {
      userGroups: { [ONCALL]: [BOB] },
      limits: { 'chat.postMessage': { perSecond: 50, burst: 10 }, 'chat.update': { perSecond: 50, burst: 10 } },
    },
  });
  const jobs: TriageJob[] = [];
  const running: Promise<string | undefined>[] = [];
  const guardduty = options.guardduty ?? recordingGuardDuty();
  const triage: TriageHandler = createTriageHandler(async () => ({
    config,
    store: options.store ?? world.store,
    signingSecret: async () => SIGNING_SECRET,
    tokens: staticTokens({ alerts: BOT_TOKEN }),
    guardduty,
    slackApiUrl: world.slack.apiUrl,
    logger: options.logger ?? { debug() {}, info() {}, warn() {}, error() {} },
    metrics: options.metrics ?? { addMetric() {}, publishStoredMetrics() {} },
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...options.wiring,
    // The asynchronous self-invocation: the worker runs in this process, not awaited by the front.
    handOff: async (job) => {
      jobs.push(job);
      running.push(triage(job).then((result) => (typeof result === 'string' ? result : undefined)));
    },
  }));
  return {
    ...world,
    config,
    triage,
    jobs,
    settle: () => Promise.all(running),
    async postFinding(event = makeFindingEvent()) {
      const response = await world.harness.invoke([makeSqsRecord(event)]);
      if (response.batchItemFailures.length > 0) throw new Error('the consumer did not deliver the finding');
      const parent = world.slack
        .parents(ALERTS_CHANNEL)
        .find((message) => JSON.stringify(message.attachments).includes(String(event.detail.id)));
      if (parent === undefined) throw new Error('no parent message was posted');
      return parent;
    },
    clickOf: (message, actionId, userId, click = {}) =>
      clickEvent(world.slack, { message, actionId, userId, signingSecret: SIGNING_SECRET, ...click }),
    async suppress(message, userId) {
      const before = world.slack.views.length;
      const click = clickEvent(world.slack, {
        message,
        actionId: TRIAGE_ACTION_IDS.suppress,
        userId,
        signingSecret: SIGNING_SECRET,
      });
      await triage(click);
      const shown = world.slack.views.slice(before).at(-1);
      if (shown !== undefined) await triage(signedEvent(viewSubmissionPayload(shown, userId, {}), SIGNING_SECRET));
      return shown;
    },
  };
}
