import { afterEach, describe, expect, it } from 'vitest';
import { TRIAGE_ACTION_IDS, decodeTarget, nodeHttpFetch } from '../../../lambdas/consumer/index.ts';
import { FOLLOW_UP_BUDGET_MS, FOLLOW_UP_REQUEST_TIMEOUT_MS, type TriageAudit } from '../../../lambdas/triage/index.ts';
import { findingKey, issueKey } from '../../../core/repeats/index.ts';
import type { ConsumerLogger } from '../../../core/log.ts';
import type { FetchInit, FetchLike } from '../../../core/port/fetch.ts';
import type { SecretReader } from '../../../core/port/secrets.ts';
import type { HubConfig } from '../../../shared/index.ts';
import {
  startPagerDutySimulator,
  type IntegrationBehaviour,
  type PagerDutySimulator,
} from '../../../devkit/pagerduty/index.ts';
import type { SimMessage } from '../../../devkit/slack/web-api-simulator.ts';
import { buttonsOf } from '../../../devkit/slack/interactivity.ts';
import { DEFAULT_ACCOUNT_ID, makeFindingEvent, makeSqsRecord } from '../../factories/index.ts';
import { ALERTS_CHANNEL, shownText } from '../app-support.ts';
import { movableClock, sameIssueIn } from '../repeats-handler-support.ts';
import { ONCALL_KEY, ONCALL_SECRET } from '../pagerduty-support.ts';
import { ALICE, BOB, recordingGuardDuty, startTriageWorld, triageConfig, type TriageWorld } from './triage-support.ts';

// Slack's triage buttons follow up on PagerDuty: a finding of an account routed to [alerts (Slack app),
// oncall (PagerDuty)] is paged by the consumer; Acknowledge in Slack acknowledges the alert, Archive
// resolves it, with the dedup_key the trigger used. PagerDuty failing never undoes what was done.

const SECURITY = { webhookSecret: 'guardduty-hub/slack/security' };
const ALERTS = { app: { botTokenSecret: 'guardduty-hub/slack/alerts-bot', channel: ALERTS_CHANNEL } };
const ONCALL = { type: 'pagerduty', routingKeySecret: ONCALL_SECRET };

/** The default account's findings go to `alerts` and `oncall` (or only `alerts` when `paged` is false). */
function config(options: { readonly paged?: boolean; readonly overrides?: Record<string, unknown> } = {}): HubConfig {
  const destinations = options.paged === false ? ['alerts'] : ['alerts', 'oncall'];
  return triageConfig({
    accounts: { [DEFAULT_ACCOUNT_ID]: { name: 'prod', minSeverity: 'medium', destinations } },
    destinations: { security: SECURITY, alerts: ALERTS, oncall: ONCALL },
    ...options.overrides,
  });
}

interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly attributes: Record<string, unknown>;
}

function recordingLogger(lines: LogLine[]): ConsumerLogger {
  const at =
    (level: string) =>
    (message: string, ...attributes: Record<string, unknown>[]) =>
      void lines.push({ level, message, attributes: Object.assign({}, ...attributes) });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

interface PagedWorld {
  readonly triage: TriageWorld;
  readonly pager: PagerDutySimulator;
  readonly guardduty: ReturnType<typeof recordingGuardDuty>;
  readonly logs: LogLine[];
  readonly clock: ReturnType<typeof movableClock>;
}

let current: PagedWorld | undefined;
afterEach(async () => {
  await current?.triage.close();
  await current?.pager.close();
  current = undefined;
});

/** Secrets Manager as the consumer sees it: oncall's secret holds its routing key. */
const readsOncallKey: SecretReader = async (secretId) => (secretId === ONCALL_SECRET ? ONCALL_KEY : undefined);

/** Secrets Manager refusing the read, as it does a role without `secretsmanager:GetSecretValue` on the secret. */
const deniesEveryRead: SecretReader = async () => {
  throw Object.assign(new Error('User is not authorized to perform: secretsmanager:GetSecretValue'), {
    name: 'AccessDeniedException',
  });
};

/** How {@link start} sets the world up; each default is the everyday case. */
interface StartOptions {
  /** Default: the default account routed to `alerts` and `oncall`. */
  readonly config?: HubConfig;
  /** Secrets Manager as the triage function sees it. Default {@link readsOncallKey}. */
  readonly triageSecrets?: SecretReader;
  /** PagerDuty never answers the triage function: every request of it times out. */
  readonly pagerDutyHangs?: boolean;
}

/** The triage world with the PagerDuty simulator behind `oncall`, for the consumer and the triage function alike. */
async function start(options: StartOptions = {}): Promise<PagedWorld> {
  const pager = await startPagerDutySimulator();
  pager.integration(ONCALL_KEY);
  const logs: LogLine[] = [];
  const guardduty = recordingGuardDuty();
  // The triage function's clock moves ahead by its sleeps, so a budget of seconds passes at once.
  const clock = movableClock();
  const triage = await startTriageWorld({
    config: options.config ?? config(),
    guardduty,
    logger: recordingLogger(logs),
    sleep: async (ms) => clock.advance(ms),
    wiring: {
      now: clock.now,
      secrets: options.triageSecrets ?? readsOncallKey,
      pagerDutyEventsUrl: pager.url,
      ...(options.pagerDutyHangs ? { fetch: hangingAt(pager.url, clock) } : {}),
    },
    handler: { secrets: readsOncallKey, pagerDutyEventsUrl: pager.url },
  });
  current = { triage, pager, guardduty, logs, clock };
  return current;
}

/**
 * Node's fetch, except that a request to `url` never gets an answer: its deadline passes on `clock`
 * and it ends as a fetch that keeps time does then, with a `TimeoutError`.
 */
function hangingAt(url: string, clock: ReturnType<typeof movableClock>): FetchLike {
  const real = nodeHttpFetch();
  const fetch = async (to: string, init: FetchInit) => {
    if (to !== url) return real(to, init);
    clock.advance(init.timeoutMs ?? 0);
    throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
  };
  return Object.assign(fetch, { keepsTime: true });
}

/** The event actions and dedup keys PagerDuty took, in order. */
const taken = (pager: PagerDutySimulator) =>
  pager.accepted().map((request) => [request.event?.action, request.event?.dedupKey] as const);

/** Clicks `actionId` on `parent` as `userId` (Alice) and waits for the worker. */
async function click(
  world: PagedWorld,
  parent: SimMessage,
  actionId: string,
  userId = ALICE,
): Promise<(string | undefined)[]> {
  const jobs = world.triage.jobs.length;
  await world.triage.triage(world.triage.clickOf(parent, actionId, userId));
  return (await world.triage.settle()).slice(jobs);
}

/** The audit lines written. */
const audits = (world: PagedWorld) =>
  world.logs.filter((line) => line.message === 'Triage audit').map((line) => line.attributes as unknown as TriageAudit);

/** The thread replies of `parent`. */
const repliesOf = (world: PagedWorld, parent: SimMessage) =>
  world.triage.slack.replies(ALERTS_CHANNEL, parent.ts).map((reply) => reply.text);

/** Everything the hub wrote or said: logs, Slack calls and answers to response URLs. */
function everythingSaid(world: PagedWorld): string {
  const slack = world.triage.slack;
  return JSON.stringify([world.logs, slack.calls.map((call) => call.args), slack.responses]);
}

describe('Slack triage buttons follow up on PagerDuty', () => {
  it('acknowledges the alert the consumer triggered, with the same dedup_key, when Acknowledge is clicked', async () => {
    const world = await start();
    const event = makeFindingEvent();
    const parent = await world.triage.postFinding(event);
    const key = findingKey({ id: String(event.detail.id) });
    expect(taken(world.pager)).toEqual([['trigger', key]]);

    expect(await click(world, parent, TRIAGE_ACTION_IDS.acknowledge)).toEqual(['done']);

    expect(taken(world.pager)).toEqual([
      ['trigger', key],
      ['acknowledge', key],
    ]);
    expect(world.pager.alerts.latest(key)?.state).toBe('acknowledged');
    expect(audits(world).at(-1)).toMatchObject({
      result: 'done',
      action: 'acknowledge',
      followUps: [{ destination: 'oncall', service: 'PagerDuty', event: 'acknowledge', result: 'sent' }],
    });
    expect(repliesOf(world, parent)).toEqual([expect.stringContaining(`Acknowledged by <@${ALICE}>`)]);
    expect(repliesOf(world, parent)[0]).not.toContain('PagerDuty');
    expect(everythingSaid(world)).not.toContain(ONCALL_KEY);
  });

  it('resolves the alert when Archive is clicked, after archiving the finding in GuardDuty', async () => {
    const world = await start();
    const event = makeFindingEvent();
    const parent = await world.triage.postFinding(event);
    const key = findingKey({ id: String(event.detail.id) });

    expect(await click(world, parent, TRIAGE_ACTION_IDS.archive)).toEqual(['done']);

    expect(world.guardduty.calls).toEqual([`archive us-east-1 ${String(event.detail.id)}`]);
    expect(taken(world.pager)).toEqual([
      ['trigger', key],
      ['resolve', key],
    ]);
    expect(world.pager.alerts.latest(key)?.state).toBe('resolved');
    expect(audits(world).at(-1)?.followUps).toEqual([
      { destination: 'oncall', service: 'PagerDuty', event: 'resolve', result: 'sent' },
    ]);
  });

  it('resolves a finding folded across regions by its issue’s key, the one its trigger used', async () => {
    const world = await start({ config: config({ overrides: { repeats: { crossRegionWindowMinutes: 60 } } }) });
    const [east, west] = sameIssueIn(['us-east-1', 'eu-west-1']);
    await world.triage.harness.invoke([makeSqsRecord(east!), makeSqsRecord(west!)]);
    const [parent] = world.triage.slack.parents(ALERTS_CHANNEL);
    const key = issueKey({
      type: 'UnauthorizedAccess:IAMUser/MaliciousIPCaller',
      accountId: DEFAULT_ACCOUNT_ID,
      foldIdentity: 'access-key:AKIAEXAMPLE000000001',
    });
    expect(taken(world.pager)).toEqual([['trigger', key]]);
    expect(decodeTarget(buttonsOf(parent!)[0]!.value).issueKey).toBe(key);

    expect(await click(world, parent!, TRIAGE_ACTION_IDS.archive)).toEqual(['done']);

    expect(taken(world.pager)).toEqual([
      ['trigger', key],
      ['resolve', key],
    ]);
    expect(world.pager.alerts.latest(key!)?.state).toBe('resolved');
  });

  it('keys by finding#<id> from a button made before buttons carried the issue’s key: right for a finding without one', async () => {
    const world = await start();
    const event = makeFindingEvent();
    const parent = await world.triage.postFinding(event);
    const key = findingKey({ id: String(event.detail.id) });

    expect(await click(world, withoutIssueKey(parent), TRIAGE_ACTION_IDS.acknowledge)).toEqual(['done']);

    expect(taken(world.pager).at(-1)).toEqual(['acknowledge', key]);
    expect(world.pager.alerts.latest(key)?.state).toBe('acknowledged');
  });

  it('still acts from an old button of a folded issue: its follow-up keys by finding#<id>, which PagerDuty drops', async () => {
    const world = await start({ config: config({ overrides: { repeats: { crossRegionWindowMinutes: 60 } } }) });
    const [east, west] = sameIssueIn(['us-east-1', 'eu-west-1']);
    await world.triage.harness.invoke([makeSqsRecord(east!), makeSqsRecord(west!)]);
    const [parent] = world.triage.slack.parents(ALERTS_CHANNEL);
    const [[, issue]] = taken(world.pager) as [[string, string]];
    // The finding of the fold the parent's buttons name, whichever region's it is.
    const shown = decodeTarget(buttonsOf(parent!)[0]!.value);

    expect(await click(world, withoutIssueKey(parent!), TRIAGE_ACTION_IDS.archive)).toEqual(['done']);

    const last = world.pager.requests.at(-1);
    expect([last?.event?.action, last?.event?.dedupKey, last?.applied]).toEqual([
      'resolve',
      findingKey({ id: shown.findingId }),
      false,
    ]);
    expect(world.pager.alerts.latest(issue)?.state).toBe('triggered');
    expect(world.guardduty.calls).toEqual([`archive ${shown.region} ${shown.findingId}`]);
    expect([east!.detail.id, west!.detail.id]).toContain(shown.findingId);
  });

  it('tells PagerDuty nothing of Unarchive or Suppress like this', async () => {
    const world = await start();
    const event = makeFindingEvent();
    const parent = await world.triage.postFinding(event);
    await click(world, parent, TRIAGE_ACTION_IDS.archive);
    const archived = world.triage.slack.parents(ALERTS_CHANNEL).find((message) => message.ts === parent.ts)!;

    expect(await click(world, archived, TRIAGE_ACTION_IDS.unarchive)).toEqual(['done']);
    const unarchived = world.triage.slack.parents(ALERTS_CHANNEL).find((message) => message.ts === parent.ts)!;
    // Bob may suppress, as a member of the oncall user group (through the modal).
    const jobs = world.triage.jobs.length;
    await world.triage.suppress(unarchived, BOB);
    expect((await world.triage.settle()).slice(jobs)).toEqual(['done']);

    expect(taken(world.pager).map(([action]) => action)).toEqual(['trigger', 'resolve']);
    expect(audits(world).map((line) => [line.action, line.result, line.followUps?.length])).toEqual([
      ['archive', 'done', 1],
      ['unarchive', 'done', undefined],
      ['suppress', 'done', undefined],
    ]);
  });

  it('sends nothing to PagerDuty for an account without a PagerDuty lane', async () => {
    const world = await start({ config: config({ paged: false }) });
    const parent = await world.triage.postFinding();

    await click(world, parent, TRIAGE_ACTION_IDS.acknowledge);
    await click(world, world.triage.slack.parents(ALERTS_CHANNEL)[0]!, TRIAGE_ACTION_IDS.archive);

    expect(world.pager.requests).toEqual([]);
    expect(audits(world).map((line) => [line.result, line.followUps])).toEqual([
      ['done', undefined],
      ['done', undefined],
    ]);
  });
});

describe('PagerDuty failing a follow-up', () => {
  const failures: [string, IntegrationBehaviour, RegExp][] = [
    ['answers 5xx for longer than the click’s budget', { fail5xxFor: 3_600_000 }, /^not delivered to oncall in time$/],
    [
      'refuses the event (400)',
      { refuseContaining: '"event_action":"resolve"' },
      /^oncall: PagerDuty refused the event \(400\): invalid event; Event object is invalid; refused by the test$/,
    ],
    ['has lost the integration (404)', { gone: 404 }, /^oncall: PagerDuty answered 404: error; Integration not found$/],
  ];

  it.each(failures)(
    'keeps the archive and the Slack edit when PagerDuty %s; audits it with the reason and says so in the thread',
    async (_what, behaviour, reason) => {
      const world = await start();
      const event = makeFindingEvent();
      const parent = await world.triage.postFinding(event);
      world.pager.integration(ONCALL_KEY, behaviour);
      const startedMs = world.clock.now();

      expect(await click(world, parent, TRIAGE_ACTION_IDS.archive)).toEqual(['done']);

      expect(world.guardduty.calls).toEqual([`archive us-east-1 ${String(event.detail.id)}`]);
      const edited = world.triage.slack.parents(ALERTS_CHANNEL).find((message) => message.ts === parent.ts)!;
      expect(shownText(edited)).toContain(`Archived by <@${ALICE}>`);
      const [audit] = audits(world);
      expect(audit).toMatchObject({ result: 'done', action: 'archive' });
      expect(audit?.followUps).toEqual([
        {
          destination: 'oncall',
          service: 'PagerDuty',
          event: 'resolve',
          result: 'failed',
          reason: expect.stringMatching(reason),
        },
      ]);
      expect(world.logs.find((line) => line.message === 'Triage audit')?.level).toBe('error');
      expect(repliesOf(world, parent)).toEqual([
        expect.stringMatching(
          /Archived in GuardDuty by .*\n:warning: PagerDuty \(oncall\) could not be told \(resolve\): /,
        ),
      ]);
      expect(world.clock.now() - startedMs).toBeLessThanOrEqual(FOLLOW_UP_BUDGET_MS + 12_000 * 2);
      expect(world.pager.alerts.latest(findingKey({ id: String(event.detail.id) }))?.state).toBe('triggered');
      expect(everythingSaid(world)).not.toContain(ONCALL_KEY);
    },
  );

  it('gives up on a PagerDuty that never answers within the click’s budget, and keeps the acknowledgement', async () => {
    const world = await start({ pagerDutyHangs: true });
    const event = makeFindingEvent();
    const parent = await world.triage.postFinding(event);
    const startedMs = world.clock.now();

    expect(await click(world, parent, TRIAGE_ACTION_IDS.acknowledge)).toEqual(['done']);

    expect(world.clock.now() - startedMs).toBeLessThanOrEqual(FOLLOW_UP_BUDGET_MS + FOLLOW_UP_REQUEST_TIMEOUT_MS);
    expect(audits(world).at(-1)).toMatchObject({
      result: 'done',
      action: 'acknowledge',
      followUps: [{ destination: 'oncall', event: 'acknowledge', result: 'failed' }],
    });
    expect(world.logs.find((line) => line.message === 'Triage audit')?.level).toBe('error');
    expect(repliesOf(world, parent)).toEqual([
      expect.stringMatching(
        /^:eyes: Acknowledged by .*\n:warning: PagerDuty \(oncall\) could not be told \(acknowledge\): .*Do it there by hand\.$/,
      ),
    ]);
    expect(world.pager.alerts.latest(findingKey({ id: String(event.detail.id) }))?.state).toBe('triggered');
    expect(everythingSaid(world)).not.toContain(ONCALL_KEY);
  });

  it('keeps the action done when the routing key cannot be read, and says which destination was not told', async () => {
    const world = await start({ triageSecrets: deniesEveryRead });
    const event = makeFindingEvent();
    const parent = await world.triage.postFinding(event);

    expect(await click(world, parent, TRIAGE_ACTION_IDS.acknowledge)).toEqual(['done']);

    expect(repliesOf(world, parent)).toEqual([
      expect.stringContaining(
        ':warning: PagerDuty (oncall) could not be told (acknowledge): oncall: cannot read the PagerDuty routing key: ' +
          'secret guardduty-hub/pagerduty/oncall: AccessDeniedException. Do it there by hand.',
      ),
    ]);
    expect(audits(world).at(-1)).toMatchObject({
      result: 'done',
      followUps: [{ destination: 'oncall', event: 'acknowledge', result: 'failed' }],
    });
    expect(world.pager.accepted().map((request) => request.event?.action)).toEqual(['trigger']);
    expect(world.pager.alerts.latest(findingKey({ id: String(event.detail.id) }))?.state).toBe('triggered');
  });
});

/** `parent` as a button made before buttons carried the issue's key showed it: every value without `i`. */
function withoutIssueKey(parent: SimMessage): SimMessage {
  const attachments = JSON.parse(JSON.stringify(parent.attachments)) as {
    blocks?: { elements?: { value?: string }[] }[];
  }[];
  for (const block of attachments.flatMap((attachment) => attachment.blocks ?? []))
    for (const element of block.elements ?? []) {
      if (element.value === undefined) continue;
      const { i: _issue, ...value } = JSON.parse(element.value) as Record<string, unknown>;
      element.value = JSON.stringify(value);
    }
  return { ...parent, attachments };
}
