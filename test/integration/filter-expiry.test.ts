import {
  CreateDetectorCommand,
  GetFilterCommand,
  type GuardDutyClient,
  ListFiltersCommand,
} from '@aws-sdk/client-guardduty';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { staticTokens } from '../../destinations/slack-app/index.ts';
import { FILTER_RENEW_ACTION_ID } from '../../destinations/slack-app/triage/renew-filter.ts';
import { slackForTriage } from '../../destinations/slack-app/triage/slack.ts';
import { nodeHttpFetch } from '../../core/port/http-fetch.ts';
import { sdkTriageGuardDuty } from '../../lambdas/consumer/index.ts';
import {
  dynamoFilterExpiryStore,
  sdkFilterGuardDuty,
  slackNoticePoster,
} from '../../lambdas/drift/filter-expiry-io.ts';
import { runFilterExpiry, type FilterExpiryReport } from '../../lambdas/drift/filter-expiry.ts';
import { SLACK_FILTER_TAGS } from '../../shared/index.ts';
import { buttonsOf } from '../../devkit/slack/interactivity.ts';
import type { SimMessage } from '../../devkit/slack/web-api-simulator.ts';
import { instance, makeFindingEvent } from '../factories/index.ts';
import { ALERTS_CHANNEL, BOT_TOKEN } from '../consumer/app-support.ts';
import { BOB, startTriageWorld, triageConfig, type TriageWorld } from '../consumer/triage/triage-support.ts';
import { uniqueAccountId } from '../support/aws.ts';
import { localGuardDutyClients } from './guardduty-clients.ts';
import { ensureStateTable, stateTableClients } from './repeats-table.ts';

// Slack-made filters expire, on the local AWS: "Suppress like this…" makes the filters on moto (with
// localaws's CreateFilter tags, GetFilter tags, TagResource, ListFilters; DeleteFilter is moto's), the
// drift check's step reads their tags and keeps its state in a DynamoDB table on moto, and Slack is the
// Web API simulator. A clock the test controls drives the triage function and the step.

const endpoint = inject('motoEndpoint');
const account = uniqueAccountId();
const TABLE = 'guardduty-hub-filter-expiry';
const DAY = 86_400_000;
const tables = stateTableClients(endpoint, 'us-west-2', account);
const clients = localGuardDutyClients(endpoint, account);
const detectors = new Map<string, string>();
const config = triageConfig({ hub: { account, region: 'us-west-2' } });
const guardDutyIn = (region: string): GuardDutyClient => clients.in(region);

let world: TriageWorld | undefined;
beforeAll(async () => {
  await ensureStateTable(tables.client(), TABLE);
  for (const region of config.regions)
    detectors.set(region, (await guardDutyIn(region).send(new CreateDetectorCommand({ Enable: true }))).DetectorId!);
});
afterEach(async () => {
  await world?.close();
  world = undefined;
});
afterAll(() => {
  tables.destroy();
  clients.destroy();
});

/** The Slack-made filters in `region`, with their expiry tag. */
async function slackFilters(region: string): Promise<Record<string, string | undefined>> {
  const detectorId = detectors.get(region)!;
  const names = (await guardDutyIn(region).send(new ListFiltersCommand({ DetectorId: detectorId }))).FilterNames ?? [];
  const found: Record<string, string | undefined> = {};
  for (const name of names.filter((n) => n.startsWith('gdh-slack-'))) {
    const filter = await guardDutyIn(region).send(new GetFilterCommand({ DetectorId: detectorId, FilterName: name }));
    found[name] = filter.Tags?.[SLACK_FILTER_TAGS.expires];
  }
  return found;
}

describe('Slack-made filters at their expiry', () => {
  it('reminds the owner once in the thread 7 days before, removes an unrenewed filter from every region with a message, and keeps a renewed one', async () => {
    const T0 = Date.now();
    let clock = T0;
    world = await startTriageWorld({
      config,
      guardduty: sdkTriageGuardDuty(guardDutyIn, account),
      wiring: { now: () => clock },
    });
    const w = world;
    const kept = await w.postFinding(makeFindingEvent({ detail: instance({ instanceId: 'i-0keep00000001' }) }));
    const dropped = await w.postFinding(makeFindingEvent({ detail: instance({ instanceId: 'i-0drop00000001' }) }));
    await w.suppress(kept, BOB);
    await w.suppress(dropped, BOB);
    expect(await w.settle()).toEqual(['done', 'done']);
    const step = () =>
      runFilterExpiry(
        {
          config,
          guardduty: (region) => sdkFilterGuardDuty(guardDutyIn(region)),
          store: dynamoFilterExpiryStore({ client: tables.client(), tableName: TABLE }),
          post: slackNoticePoster(
            config,
            staticTokens({ alerts: BOT_TOKEN }),
            slackForTriage({ apiUrl: w.slack.apiUrl, fetch: nodeHttpFetch() }),
          ),
          now: () => clock,
        },
        config.triage!.suppressExpiryDays,
      );
    const threadOf = (parent: SimMessage) => w.slack.replies(ALERTS_CHANNEL, parent.ts).slice(1); // after the "Suppressed" reply
    const reports: FilterExpiryReport[] = [];

    for (const day of [1, 82, 84, 85]) {
      clock = T0 + day * DAY;
      reports.push(await step());
    }
    // Renew on the kept filter's reminder, clicked at day 85 (the click signed then).
    const reminder = threadOf(kept)[0]!;
    await w.triage(w.clickOf(reminder, FILTER_RENEW_ACTION_ID, BOB, { timestampSeconds: Math.floor(clock / 1000) }));
    expect(await w.settle()).toEqual(['done', 'done', 'done']);
    clock = T0 + 90 * DAY + 60_000;
    reports.push(await step(), await step());

    expect(reports.map((r) => [r.reminded.length, r.removed.length, r.owed, r.failures])).toEqual([
      [0, 0, 0, []],
      [0, 0, 0, []],
      [2, 0, 0, []], // day 84: 6 days before expiry, each owner reminded once
      [0, 0, 0, []],
      [0, 1, 0, []], // day 90: the unrenewed one removed
      [0, 0, 0, []],
    ]);
    expect(threadOf(dropped).map((m) => m.text)).toEqual([
      expect.stringMatching(
        /^:hourglass_flowing_sand: <@U0BOB00001> the GuardDuty filter `gdh-slack-[0-9a-f]{16}` .* expires /,
      ),
      expect.stringMatching(
        /^:loud_sound: The GuardDuty filter `gdh-slack-[0-9a-f]{16}` .* was removed from us-east-1, us-west-1, us-west-2, eu-north-1\./,
      ),
    ]);
    expect(buttonsOf(threadOf(dropped)[0]!).map((b) => b.action_id)).toEqual([FILTER_RENEW_ACTION_ID]);
    expect(threadOf(kept).map((m) => m.text)).toEqual([
      expect.stringContaining('expires'),
      expect.stringMatching(/^:arrows_counterclockwise: <@U0BOB00001> renewed the GuardDuty filter .* until /),
    ]);
    expect(buttonsOf(w.slack.messages.find((m) => m.ts === reminder.ts)!)).toEqual([]); // Renew is gone once used
    const renewedUntil = new Date(T0 + 85 * DAY + 90 * DAY).toISOString();
    for (const region of config.regions) expect(Object.values(await slackFilters(region))).toEqual([renewedUntil]);
  });
});
