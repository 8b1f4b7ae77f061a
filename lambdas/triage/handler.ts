import { TRIAGE_JOB_MAX_AGE_SECONDS, type HubConfig, type TriageConfig } from '../../shared/index.ts';
import { DEFAULT_SLACK_API_URL } from '../../destinations/slack-app/web-api.ts';
import type { BotTokenResolver } from '../../destinations/slack-app/tokens.ts';
import { nodeHttpFetch } from '../../core/port/http-fetch.ts';
import type { FetchLike } from '../../core/port/fetch.ts';
import { createLogger, type ConsumerLogger } from '../../core/log.ts';
import { createMetrics, type MetricsSink } from '../../core/metrics.ts';
import type { StateStore, TriageSlotStore } from '../../core/repeats/index.ts';
import { triageJobKey } from '../../core/state-keys.ts';
import { TriageError } from '../../destinations/slack-app/triage/errors.ts';
import { createAuthorizer } from '../../destinations/slack-app/triage/authorize.ts';
import { createTriageFront, type TriageJob } from './front.ts';
import type { TriageGuardDuty } from '../../destinations/slack-app/triage/guardduty.ts';
import { replayGuardOver, type ReplayGuard } from '../../destinations/slack-app/triage/replay.ts';
import type { FunctionUrlEvent, FunctionUrlResult } from '../../destinations/slack-app/triage/request.ts';
import { slackForTriage } from '../../destinations/slack-app/triage/slack.ts';
import { runTriageJob, type TriageWorkerOptions } from './worker.ts';
import { audit } from '../../destinations/slack-app/triage/audit.ts';
import { isSealed } from '../../destinations/slack-app/triage/signature.ts';
import { PAGERDUTY_EVENTS_API } from '../../destinations/pagerduty/index.ts';
import type { SecretReader } from '../../core/port/secrets.ts';
import { lazySecretReader } from '../runtime.ts';
import { pagerDutyFollowUps } from './follow-ups.ts';
import type { SilenceStore } from '../../core/silences/index.ts';
import { MemoryStateStore, memoryFindingHistory, type FindingHistory } from '../../core/repeats/index.ts';
import { createSuppressDesk } from './suppress.ts';
import { runRenewJob } from './renew-filter.ts';
import { FILTER_RENEW_ACTION_ID } from '../../destinations/slack-app/triage/renew-filter.ts';
import { SILENCE_SLACK_TIMEOUT_MS, createSilenceDesk } from './silence.ts';

/**
 * The triage Lambda (`index.triageHandler`): one function, two halves. A function URL request goes to
 * the front (verify, hand off, answer at once); the event the front hands off (`kind: gdh-triage-job`,
 * an asynchronous self-invocation) goes to the worker, which runs it only when the front's seal on
 * it holds, it is recent and it has not run before: the public function URL needs a public
 * `lambda:InvokeFunction` grant, so anyone could invoke the function directly with a job of their own,
 * or with a genuine one seen before.
 */

/** Everything the handler uses; each defaults to the real thing from `consumer/runtime.ts`. */
export interface TriageWiring {
  /** `accounts`, `defaults` and `destinations` route a clicked finding's account to its PagerDuty lanes. */
  readonly config: Pick<HubConfig, 'regions' | 'accounts' | 'defaults' | 'destinations' | 'triage'>;
  /** The finding-state table: triage state and replay marks. */
  readonly store: Pick<StateStore, 'claim'> & TriageSlotStore;
  readonly signingSecret: () => Promise<string>;
  readonly tokens: BotTokenResolver;
  readonly guardduty: TriageGuardDuty;
  /** Where Silence… keeps silences (the state table, as the consumer reads them); undefined: Slack cannot silence. */
  readonly silences?: SilenceStore | undefined;
  /**
   * The notified findings "Suppress like this" counts (the state table's finding history). Default: the
   * store's own when it is a {@link MemoryStateStore}, else none (the modal then says nothing was counted).
   */
  readonly history?: FindingHistory | undefined;
  /** Starts the worker on `job` without waiting; undefined runs it in this process after the answer (a local run). */
  readonly handOff?: ((job: TriageJob) => Promise<void>) | undefined;
  readonly fetch?: FetchLike;
  /** Default `https://slack.com/api`. */
  readonly slackApiUrl?: string;
  /** Reads the routing keys of PagerDuty destinations. Default Secrets Manager `GetSecretValue`, client made on first use. */
  readonly secrets?: SecretReader;
  /** The PagerDuty Events API v2 endpoint. Default `https://events.pagerduty.com/v2/enqueue` (a simulator's in tests). */
  readonly pagerDutyEventsUrl?: string;
  readonly logger?: ConsumerLogger;
  readonly metrics?: MetricsSink;
  readonly now?: () => number;
  /** Waits between attempts of a Slack call. Default `setTimeout`. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The handler's answer: the front's HTTP answer, or the worker's outcome. */
export type TriageHandler = (event: FunctionUrlEvent | TriageJob) => Promise<FunctionUrlResult | string | undefined>;

/** True for the event the front hands to the worker. */
export function isTriageJob(event: unknown): event is TriageJob {
  return (event as { kind?: unknown } | null)?.kind === 'gdh-triage-job';
}

/** Builds the handler over `wiring` (a function: the real wiring is made on the first invocation). */
export function createTriageHandler(wiring: () => Promise<TriageWiring>): TriageHandler {
  let ready: Promise<ReturnType<typeof assemble>> | undefined;
  return async (event) => {
    ready ??= wiring().then(assemble);
    ready.catch(() => (ready = undefined));
    const { front, work } = await ready;
    return isTriageJob(event) ? work(event) : front(event);
  };
}

/**
 * Why the worker refuses `job`, or undefined to run it: it lacks the front's seal (`unsealed-job`), it
 * is older than {@link TRIAGE_JOB_MAX_AGE_SECONDS} (`stale-job`), or it was taken before
 * (`job-already-run`: a sealed job is marked taken, by a conditional write of its seal's hash, before
 * it runs). So a genuine job sent to the function again, directly, does nothing.
 */
async function jobRefusal(
  job: TriageJob,
  signingSecret: string,
  taken: ReplayGuard,
  nowMs: number,
): Promise<string | undefined> {
  if (!isSealed(job, signingSecret)) return 'unsealed-job';
  if (nowMs - job.acceptedAtMs > TRIAGE_JOB_MAX_AGE_SECONDS * 1000) return 'stale-job';
  if (!(await taken.firstSeen(job.seal, nowMs))) return 'job-already-run';
  return undefined;
}

/** The worker half: runs a job when {@link jobRefusal} finds nothing against it, else audits the refusal. */
function workerHalf(
  wiring: TriageWiring,
  worker: TriageWorkerOptions,
): (job: TriageJob) => Promise<string | undefined> {
  const taken = replayGuardOver(wiring.store, triageJobKey);
  return async (job) => {
    const refusal = await jobRefusal(job, await wiring.signingSecret(), taken, worker.now());
    if (refusal !== undefined) {
      audit(worker, { result: 'refused-request', reason: refusal });
      return 'refused-request';
    }
    return job.click.actionId === FILTER_RENEW_ACTION_ID ? runRenewJob(job, worker) : runTriageJob(job, worker);
  };
}

function assemble(wiring: TriageWiring) {
  const triage: TriageConfig | undefined = wiring.config.triage;
  if (triage === undefined)
    throw new TriageError('the bundled config has no triage section: the triage function has nothing to do');
  const logger = wiring.logger ?? createLogger({});
  const metrics = wiring.metrics ?? createMetrics({});
  const now = wiring.now ?? Date.now;
  const fetch = wiring.fetch ?? nodeHttpFetch();
  const sleep = wiring.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const slack = slackForTriage({ apiUrl: wiring.slackApiUrl ?? DEFAULT_SLACK_API_URL, fetch, now, sleep });
  const authorizer = createAuthorizer(triage, slack, now, (groupId, error) =>
    logger.warn('Triage: cannot read a user group', { groupId, error: String(error) }),
  );
  const worker = {
    config: { ...wiring.config, triage },
    store: wiring.store,
    guardduty: wiring.guardduty,
    slack,
    tokens: wiring.tokens,
    authorizer,
    now,
    logger,
    metrics,
    followUps: pagerDutyFollowUps({
      config: wiring.config,
      secrets: wiring.secrets ?? lazySecretReader(),
      eventsUrl: wiring.pagerDutyEventsUrl ?? PAGERDUTY_EVENTS_API.url,
      fetch,
      now,
      sleep,
      logger,
    }),
  };
  const work = workerHalf(wiring, worker);
  const handOff =
    wiring.handOff ??
    (async (job: TriageJob) => {
      // A local run: the work starts after the answer, in this process.
      setTimeout(
        () => void work(job).catch((error: unknown) => logger.error('Triage work failed', { error: String(error) })),
        0,
      );
    });
  const front = createTriageFront({
    silence: silenceDeskOf(wiring, triage, { fetch, now, sleep, logger, metrics }),
    suppress: suppressDeskOf(wiring, triage, { fetch, now, sleep, logger, metrics }, handOff),
    signingSecret: wiring.signingSecret,
    replay: replayGuardOver(wiring.store),
    handOff,
    now,
    logger,
    metrics,
  });
  return { front, work };
}

/** The front's Silence… desk: its own Slack client and authorizer, whose calls end within Slack's 3 seconds. */
function silenceDeskOf(
  wiring: TriageWiring,
  triage: Pick<TriageConfig, 'allow'>,
  parts: Pick<TriageWorkerOptions, 'now' | 'logger' | 'metrics'> & {
    readonly fetch: FetchLike;
    readonly sleep: (ms: number) => Promise<void>;
  },
) {
  const { fetch, now, sleep, logger, metrics } = parts;
  const apiUrl = wiring.slackApiUrl ?? DEFAULT_SLACK_API_URL;
  const slack = slackForTriage({ apiUrl, fetch, now, sleep, timeoutMs: SILENCE_SLACK_TIMEOUT_MS });
  const authorizer = createAuthorizer(triage, slack, now, (groupId, error) =>
    logger.warn('Triage: cannot read a user group', { groupId, error: String(error) }),
  );
  return createSilenceDesk({
    config: wiring.config,
    store: wiring.silences,
    tokens: wiring.tokens,
    authorizer,
    slack,
    signingSecret: wiring.signingSecret,
    now,
    logger,
    metrics,
  });
}

/** The front's "Suppress like this" desk: like the Silence… desk, its Slack calls end within Slack's 3 seconds. */
function suppressDeskOf(
  wiring: TriageWiring,
  triage: TriageConfig,
  parts: Pick<TriageWorkerOptions, 'now' | 'logger' | 'metrics'> & {
    readonly fetch: FetchLike;
    readonly sleep: (ms: number) => Promise<void>;
  },
  handOff: (job: TriageJob) => Promise<void>,
) {
  const { fetch, now, sleep, logger } = parts;
  const apiUrl = wiring.slackApiUrl ?? DEFAULT_SLACK_API_URL;
  const slack = slackForTriage({ apiUrl, fetch, now, sleep, timeoutMs: SILENCE_SLACK_TIMEOUT_MS });
  const authorizer = createAuthorizer(triage, slack, now, (groupId, error) =>
    logger.warn('Triage: cannot read a user group', { groupId, error: String(error) }),
  );
  const history =
    wiring.history ?? (wiring.store instanceof MemoryStateStore ? memoryFindingHistory(wiring.store) : undefined);
  return createSuppressDesk({
    ...parts,
    config: { ...wiring.config, triage },
    history,
    store: wiring.store,
    tokens: wiring.tokens,
    authorizer,
    slack,
    signingSecret: wiring.signingSecret,
    handOff,
  });
}
