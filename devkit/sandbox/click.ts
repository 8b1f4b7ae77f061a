import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import {
  GetFilterCommand,
  GuardDutyClient,
  ListDetectorsCommand,
  ListFiltersCommand,
  ListFindingsCommand,
} from '@aws-sdk/client-guardduty';
import type { FetchInit, FetchLike } from '../../core/port/fetch.ts';
import { nodeHttpFetch } from '../../core/port/http-fetch.ts';
import {
  NO_METRICS,
  TRIAGE_ACTION_IDS,
  createTriageHandler,
  sdkTriageGuardDuty,
  type ConsumerLogger,
  type TriageJob,
} from '../../lambdas/consumer/index.ts';
import {
  SLACK_FILTER_MADE_BY,
  SLACK_FILTER_TAGS,
  loadConfig,
  type HubConfig,
  type TriageAction,
} from '../../shared/index.ts';
import type { UrlEvent } from '../slack/interactivity.ts';
import { asShownWithButton, clickableParents, clickingUser, parentToClick, statusLine } from './click-target.ts';
import { SandboxError } from './errors.ts';
import { repoFile } from './repo-file.ts';
import { hubBotTokens, hubClientConfig, hubSecretReader, hubStateStore, type HubClientConfig } from './hub-clients.ts';
import { DAEMON_FLUSHES_MS } from './publish.ts';
import { heldSlack, type HeldSlack } from './slack.ts';
import type { SandboxState } from './state.ts';

/**
 * `sandbox click`: the signed `block_actions` request Slack would send for a parent's button, run
 * through the triage handler in this process against the sandbox (the state table and GuardDuty on
 * the local AWS as the hub account, the daemon's Web API, the worker handed the job in-process).
 */

/** What to click. */
export interface ClickRequest {
  readonly action: TriageAction;
  /** Default: the newest parent with buttons. */
  readonly findingId?: string | undefined;
  /** Default: the first user id in `triage.allow.<action>`. */
  readonly user?: string | undefined;
}

/** A Slack-made filter as GuardDuty holds it. */
export interface HeldFilter {
  readonly region: string;
  readonly name: string;
  readonly action: string;
  readonly criteria: Record<string, unknown>;
}

/** What one click did. */
export interface ClickReport {
  readonly action: TriageAction;
  readonly findingId: string;
  readonly region: string;
  readonly user: string;
  /** True when the parent no longer showed the button (a second click from a stale view). */
  readonly staleButton: boolean;
  /** The front's HTTP status and how long it took to answer, in milliseconds. */
  readonly front: { readonly status: number; readonly ms: number };
  /** The worker's outcome: done, already-done, refused, failed (refused-request when the front refused). */
  readonly result: string;
  /** The `Triage audit` lines written (fields as logged). */
  readonly audit: readonly Record<string, unknown>[];
  /** The parent now: its text, its triage status line (none before any action), its edit count; and the thread reply this click posted. */
  readonly parent: {
    readonly channel: string;
    readonly ts: string;
    readonly text: string;
    readonly status?: string;
    readonly edits: number;
  };
  readonly reply?: string;
  /** The answer only the clicking user sees (a refusal), from the click's `response_url`. */
  readonly ephemeral?: string;
  /** Archive/unarchive: whether ListFindings (`service.archived` = true) lists the finding in its region. */
  readonly archived?: boolean;
  /** Suppress: the Slack-made filters (ListFilters + GetFilter) in every configured region. */
  readonly filters?: readonly HeldFilter[];
}

/**
 * The Slack side of a click (signed `block_actions` requests), the same code the tests click with. It is
 * a file of the repository's test support, so it is loaded from the clone at run time, as the Slack
 * daemon is, and never bundled into the built CLI.
 */
async function slackSide(): Promise<typeof import('../slack/interactivity.ts')> {
  return import(pathToFileURL(repoFile('devkit/slack/interactivity.ts')).href);
}

/** Runs one click; see the module comment. Throws SandboxError (exit 2) on usage problems. */
export async function sandboxClick(dir: string, state: SandboxState, request: ClickRequest): Promise<ClickReport> {
  const config = loadConfig(state.configPath);
  if (config.triage === undefined) {
    throw new SandboxError(
      `the sandbox's config (${state.configPath}) has no triage: section: add triage: { signingSecret, allow } and run 'guardduty-hub sandbox up' again`,
      { exitCode: 2 },
    );
  }
  const parent = parentToClick(clickableParents(heldSlack(dir).messages, state), request.findingId);
  const user = clickingUser(config, request.action, request.user);
  const client = hubClientConfig(state);
  const signingSecret = await hubSecretReader(client, config.hub.region)(config.triage.signingSecret);
  if (!signingSecret)
    throw new SandboxError(
      `the secret ${config.triage.signingSecret} holds no signing secret: run 'guardduty-hub sandbox up' again`,
      { exitCode: 2 },
    );
  const shown = asShownWithButton(parent.message, request.action);
  const responseUrls = {
    responseUrl: () => `${new URL(state.slack.apiUrl).origin}/response/R${Date.now().toString(36)}`,
  };
  const { clickEvent } = await slackSide();
  const event = clickEvent(responseUrls, {
    message: { ...shown.message, attachments: [...shown.message.attachments] },
    actionId: TRIAGE_ACTION_IDS[request.action],
    userId: user,
    signingSecret,
  });
  const repliesOf = (messages: HeldSlack['messages']) =>
    messages.filter((m) => m.channel === parent.message.channel && m.threadTs === parent.message.ts);
  const repliedBefore = repliesOf(heldSlack(dir).messages).length;
  const audit: Record<string, unknown>[] = [];
  const { front, result } = await runHandler(config, state, client, { signingSecret, user }, event, auditLogger(audit));
  await new Promise((resolve) => setTimeout(resolve, DAEMON_FLUSHES_MS));
  const held = heldSlack(dir);
  const now =
    held.messages.find((m) => m.channel === parent.message.channel && m.ts === parent.message.ts) ?? parent.message;
  const reply = repliesOf(held.messages).slice(repliedBefore).pop()?.text;
  const ephemeral = held.responses.filter((r) => r.atMs >= front.startedAtMs).pop()?.body.text;
  return {
    action: request.action,
    findingId: parent.findingId,
    region: parent.region,
    user,
    staleButton: shown.stale,
    front: { status: front.status, ms: front.ms },
    result,
    audit,
    parent: {
      channel: now.channel,
      ts: now.ts,
      text: now.text,
      ...optional('status', statusLine(now)),
      edits: now.edits,
    },
    ...optional('reply', reply),
    ...optional('ephemeral', typeof ephemeral === 'string' ? ephemeral : undefined),
    ...(await guardDutyView(config, client, request.action, parent)),
  };
}

const optional = <K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> =>
  value === undefined ? {} : ({ [key]: value } as Record<K, string>);

/** Exit 0 for these results; anything else is 1. */
export const CLICK_OK_RESULTS: readonly string[] = ['done', 'already-done'];

/** A logger keeping the `Triage audit` lines and writing any other warning or error to stderr. */
function auditLogger(lines: Record<string, unknown>[]): ConsumerLogger {
  const keep =
    (level: string) =>
    (message: string, ...attributes: Record<string, unknown>[]) => {
      if (message === 'Triage audit') lines.push(Object.assign({}, ...attributes));
      else if (level !== 'debug' && level !== 'info')
        process.stderr.write(`${level}: ${message} ${JSON.stringify(Object.assign({}, ...attributes))}\n`);
    };
  return { debug: keep('debug'), info: keep('info'), warn: keep('warn'), error: keep('error') };
}

/**
 * The triage function's fetch, noting the last modal view it showed (`views.open` / `views.update`):
 * "Suppress like this…" opens a modal, and the sandbox submits it as its user would.
 */
function modalWatcher(): {
  readonly fetch: FetchLike;
  shown(): { id: string; view: Record<string, unknown> } | undefined;
} {
  const base = nodeHttpFetch();
  let last: { id: string; view: Record<string, unknown> } | undefined;
  const fetch = Object.assign(
    async (url: string, init: FetchInit) => {
      const response = await base(url, init);
      if (/\/views\.(open|update)$/.test(url)) {
        const text = await response.text();
        const view = (JSON.parse(text) as { view?: { id?: string } & Record<string, unknown> }).view;
        if (view?.id !== undefined) last = { id: view.id, view };
        return { status: response.status, headers: response.headers, text: async () => text };
      }
      return response;
    },
    { keepsTime: base.keepsTime },
  );
  return { fetch, shown: () => last };
}

async function runHandler(
  config: HubConfig,
  state: SandboxState,
  client: HubClientConfig,
  clicker: { readonly signingSecret: string; readonly user: string },
  event: UrlEvent,
  logger: ConsumerLogger,
) {
  const { signingSecret } = clicker;
  const modals = modalWatcher();
  let worker: Promise<unknown> | undefined;
  const guardduty = new Map<string, GuardDutyClient>();
  const clientIn = (region: string): GuardDutyClient => {
    const known = guardduty.get(region);
    if (known !== undefined) return known;
    const made = new GuardDutyClient({ ...client, region });
    guardduty.set(region, made);
    return made;
  };
  const handler = createTriageHandler(async () => ({
    config,
    store: hubStateStore(config, client),
    signingSecret: async () => signingSecret,
    tokens: hubBotTokens(config, client),
    guardduty: sdkTriageGuardDuty(clientIn, config.hub.account),
    slackApiUrl: state.slack.apiUrl,
    fetch: modals.fetch,
    logger,
    metrics: NO_METRICS,
    // The asynchronous self-invocation, in this process: the front does not wait for it.
    handOff: async (job: TriageJob) => {
      worker = handler(job);
    },
  }));
  const startedAtMs = Date.now();
  const started = performance.now();
  const answer = (await handler(event)) as { statusCode: number };
  const ms = Math.round((performance.now() - started) * 10) / 10;
  const modal = modals.shown();
  if (worker === undefined && modal !== undefined) {
    const { signedEvent, viewSubmissionPayload } = await slackSide();
    const submitted = viewSubmissionPayload({ ...modal, triggerId: '', atMs: Date.now() }, clicker.user, {});
    await handler(signedEvent(submitted, signingSecret));
  }
  const outcome = worker === undefined ? 'refused-request' : String(await worker);
  for (const c of guardduty.values()) c.destroy();
  return { front: { status: answer.statusCode, ms, startedAtMs }, result: outcome };
}

async function guardDutyView(
  config: HubConfig,
  client: HubClientConfig,
  action: TriageAction,
  parent: { findingId: string; region: string },
): Promise<Pick<ClickReport, 'archived' | 'filters'>> {
  if (action === 'acknowledge') return {};
  const regions = action === 'suppress' ? config.regions : [parent.region];
  const views = await Promise.all(
    regions.map((region) => regionView(new GuardDutyClient({ ...client, region }), region, action, parent.findingId)),
  );
  return action === 'suppress'
    ? { filters: views.flatMap((v) => v.filters ?? []) }
    : { archived: views[0]?.archived ?? false };
}

async function regionView(
  gd: GuardDutyClient,
  region: string,
  action: TriageAction,
  findingId: string,
): Promise<{ archived?: boolean; filters?: HeldFilter[] }> {
  try {
    const detectorId = (await gd.send(new ListDetectorsCommand({}))).DetectorIds?.[0];
    if (detectorId === undefined) return action === 'suppress' ? { filters: [] } : { archived: false };
    if (action !== 'suppress') {
      const criterion = { 'service.archived': { Equals: ['true'] } };
      const ids =
        (await gd.send(new ListFindingsCommand({ DetectorId: detectorId, FindingCriteria: { Criterion: criterion } })))
          .FindingIds ?? [];
      return { archived: ids.includes(findingId) };
    }
    const names = (await gd.send(new ListFiltersCommand({ DetectorId: detectorId }))).FilterNames ?? [];
    const filters = await Promise.all(
      names.map((name) => gd.send(new GetFilterCommand({ DetectorId: detectorId, FilterName: name }))),
    );
    return {
      filters: filters
        .filter((f) => f.Tags?.[SLACK_FILTER_TAGS.madeBy] === SLACK_FILTER_MADE_BY)
        .map((f) => ({
          region,
          name: f.Name ?? '',
          action: f.Action ?? '',
          criteria: (f.FindingCriteria?.Criterion ?? {}) as Record<string, unknown>,
        })),
    };
  } finally {
    gd.destroy();
  }
}
