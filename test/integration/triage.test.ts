import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateDetectorCommand,
  CreateFilterCommand,
  GetFilterCommand,
  type GuardDutyClient,
  ListFiltersCommand,
  ListFindingsCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-guardduty';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoStateStore } from '../../core/repeats/index.ts';
import { TRIAGE_ACTION_IDS, sdkTriageGuardDuty } from '../../lambdas/consumer/index.ts';
import { SLACK_FILTER_TAGS } from '../../shared/index.ts';
import { instance, makeFindingEvent } from '../factories/index.ts';
import { ALERTS_CHANNEL, shownText } from '../consumer/app-support.ts';
import { ALICE, BOB, startTriageWorld, type TriageWorld } from '../consumer/triage/triage-support.ts';
import { uniqueAccountId } from '../support/aws.ts';
import { ensureStateTable, stateTableClients } from './repeats-table.ts';
import { localGuardDutyClients } from './guardduty-clients.ts';

// Triage against the local AWS: GuardDuty is moto with localaws's ArchiveFindings, UnarchiveFindings,
// ListFindings, CreateFilter (tags, name taken, 100-filter limit), ListFilters and tags
// (localaws/guardduty_findings.py); the triage state and replay marks are in a DynamoDB table on
// moto. Slack is the Web API simulator; clicks are signed block_actions payloads.

const endpoint = inject('motoEndpoint');
const account = uniqueAccountId();
const TABLE = 'guardduty-hub-triage-state';
const tables = stateTableClients(endpoint, 'us-west-2', account);
const clients = localGuardDutyClients(endpoint, account);
const detectors = new Map<string, string>();
const guardDutyIn = (region: string, via: string = endpoint): GuardDutyClient => clients.in(region, via);

let world: TriageWorld | undefined;
let regions: readonly string[] = [];

beforeAll(async () => {
  await ensureStateTable(tables.client(), TABLE);
  const world = await startTriageWorld();
  await world.close();
  regions = world.config.regions;
  for (const region of regions)
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

async function startWorld(via: string = endpoint): Promise<TriageWorld> {
  const store = new DynamoStateStore({ client: tables.client(), tableName: TABLE });
  world = await startTriageWorld({ guardduty: sdkTriageGuardDuty((region) => guardDutyIn(region, via)), store });
  return world;
}

async function archivedIn(region: string, value: 'true' | 'false'): Promise<string[]> {
  const answer = await guardDutyIn(region).send(
    new ListFindingsCommand({
      DetectorId: detectors.get(region)!,
      FindingCriteria: { Criterion: { 'service.archived': { Equals: [value] } } },
    }),
  );
  return answer.FindingIds ?? [];
}

describe('triage against GuardDuty on the local AWS', () => {
  it('archives and unarchives the finding with the hub detector of its region, editing the parent and replying each time', async () => {
    const w = await startWorld();
    const event = makeFindingEvent({ detail: { region: 'us-west-1' } });
    const parent = await w.postFinding(event);

    await w.triage(w.clickOf(parent, TRIAGE_ACTION_IDS.archive, ALICE));
    expect(await w.settle()).toEqual(['done']);
    const archived = await archivedIn('us-west-1', 'true');
    const edited = w.slack.parents(ALERTS_CHANNEL).find((message) => message.ts === parent.ts)!;
    await w.triage(w.clickOf(edited, TRIAGE_ACTION_IDS.unarchive, ALICE));
    expect(await w.settle()).toEqual(['done', 'done']);

    expect(archived).toContain(event.detail.id);
    expect(await archivedIn('us-west-1', 'false')).toContain(event.detail.id);
    expect(await archivedIn('us-west-1', 'true')).not.toContain(event.detail.id);
    expect(await archivedIn('us-east-1', 'true')).not.toContain(event.detail.id);
    expect(shownText(w.slack.parents(ALERTS_CHANNEL).find((message) => message.ts === parent.ts)!)).toContain(
      `Unarchived by <@${ALICE}>`,
    );
    expect(w.slack.replies(ALERTS_CHANNEL, parent.ts).map((reply) => reply.text)).toEqual([
      expect.stringContaining('ArchiveFindings in us-west-1'),
      expect.stringContaining('UnarchiveFindings in us-west-1'),
    ]);
  });

  it('does a double click once with the triage state in DynamoDB (conditional writes on the parent’s record)', async () => {
    const w = await startWorld();
    const event = makeFindingEvent({ detail: { region: 'eu-north-1' } });
    const parent = await w.postFinding(event);

    await Promise.all([
      w.triage(w.clickOf(parent, TRIAGE_ACTION_IDS.acknowledge, ALICE)),
      w.triage(w.clickOf(parent, TRIAGE_ACTION_IDS.acknowledge, ALICE)),
    ]);

    expect((await w.settle()).sort()).toEqual(['already-done', 'done']);
    expect(w.slack.replies(ALERTS_CHANNEL, parent.ts)).toHaveLength(1);
    expect(w.slack.responses.map((response) => response.body.text)).toEqual([expect.stringContaining('Already done')]);
  });

  it('suppresses with one tagged ARCHIVE filter per configured region; the same suppression from another finding is no second filter', async () => {
    const w = await startWorld();
    const first = makeFindingEvent({ detail: { ...instance({ instanceId: 'i-0feedface0001' }) } });
    const second = makeFindingEvent({ detail: { ...instance({ instanceId: 'i-0feedface0001' }) } });
    const parents = [await w.postFinding(first), await w.postFinding(second)];

    await w.suppress(parents[0]!, BOB);
    await w.settle();
    await w.suppress(parents[1]!, BOB);

    expect(await w.settle()).toEqual(['done', 'done']);
    for (const region of regions) {
      const detectorId = detectors.get(region)!;
      const names =
        (await guardDutyIn(region).send(new ListFiltersCommand({ DetectorId: detectorId }))).FilterNames ?? [];
      const slackMade = names.filter((name) => name.startsWith('gdh-slack-'));
      expect(slackMade).toHaveLength(1);
      const filter = await guardDutyIn(region).send(
        new GetFilterCommand({ DetectorId: detectorId, FilterName: slackMade[0]! }),
      );
      expect(filter.Action).toBe('ARCHIVE');
      expect(filter.FindingCriteria?.Criterion).toEqual({
        type: { Equals: ['UnauthorizedAccess:EC2/SSHBruteForce'] },
        accountId: { Equals: [first.detail.accountId] },
        'resource.instanceDetails.instanceId': { Equals: ['i-0feedface0001'] },
      });
      const arn = `arn:aws:guardduty:${region}:${account}:detector/${detectorId}/filter/${slackMade[0]}`;
      const tags = (await guardDutyIn(region).send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags;
      expect(tags).toEqual({
        [SLACK_FILTER_TAGS.madeBy]: 'slack',
        [SLACK_FILTER_TAGS.user]: BOB,
        [SLACK_FILTER_TAGS.finding]: first.detail.id,
        [SLACK_FILTER_TAGS.expires]: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        [SLACK_FILTER_TAGS.channel]: ALERTS_CHANNEL,
        [SLACK_FILTER_TAGS.thread]: parents[0]!.ts,
      });
      const days = (Date.parse(tags![SLACK_FILTER_TAGS.expires]!) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(89.9); // triage.suppressExpiryDays, default 90
      expect(days).toBeLessThanOrEqual(90);
    }
    expect(w.slack.replies(ALERTS_CHANNEL, parents[0]!.ts)[0]!.text).toContain(`in ${regions.join(', ')}`);
  });

  it('says clearly when a region already holds 100 filters, and leaves the parent as it was', async () => {
    const w = await startWorld();
    const region = 'eu-north-1';
    const detectorId = detectors.get(region)!;
    const existing = (
      (await guardDutyIn(region).send(new ListFiltersCommand({ DetectorId: detectorId }))).FilterNames ?? []
    ).length;
    for (let i = existing; i < 100; i += 1) {
      await guardDutyIn(region).send(
        new CreateFilterCommand({
          DetectorId: detectorId,
          Name: `filler-${i}`,
          Action: 'ARCHIVE',
          FindingCriteria: { Criterion: { severity: { GreaterThanOrEqual: 9 } } },
        }),
      );
    }
    const parent = await w.postFinding(
      makeFindingEvent({ detail: { ...instance({ instanceId: 'i-0limit00000001' }) } }),
    );

    await w.suppress(parent, BOB);

    expect(await w.settle()).toEqual(['failed']);
    expect(w.slack.responses.at(-1)!.body).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringMatching(/eu-north-1: GuardDuty keeps at most 100 filters/),
    });
    expect(shownText(w.slack.parents(ALERTS_CHANNEL).find((message) => message.ts === parent.ts)!)).not.toContain(
      'Suppressed like this by',
    );
  });
});

describe('the 3-second answer', () => {
  let slow: Server;
  let slowUrl = '';
  const DELAY_MS = 5000;

  beforeAll(async () => {
    // GuardDuty whose ArchiveFindings answers after 5 s: a loopback proxy in front of moto.
    slow = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const delayMs = (request.url ?? '').endsWith('/findings/archive') ? DELAY_MS : 0;
        setTimeout(async () => {
          const headers = Object.fromEntries(
            Object.entries(request.headers).filter(([name]) => name !== 'host' && name !== 'content-length'),
          ) as Record<string, string>;
          const body = chunks.length === 0 ? undefined : Buffer.concat(chunks);
          const answer = await fetch(`${endpoint}${request.url}`, {
            method: request.method!,
            headers,
            ...(body === undefined ? {} : { body }),
          });
          response
            .writeHead(answer.status, Object.fromEntries(answer.headers))
            .end(Buffer.from(await answer.arrayBuffer()));
        }, delayMs);
      });
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    slowUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    slow.closeAllConnections();
    await new Promise<void>((resolve) => slow.close(() => resolve()));
  });

  it('holds while GuardDuty takes 5 s: the front answers within 3 s and the archive completes after', {
    timeout: 30_000,
  }, async () => {
    const w = await startWorld(slowUrl);
    const event = makeFindingEvent({ detail: { region: 'us-west-2' } });
    const parent = await w.postFinding(event);

    const startedMs = performance.now();
    const answer = await w.triage(w.clickOf(parent, TRIAGE_ACTION_IDS.archive, ALICE));
    const answeredMs = performance.now() - startedMs;
    const outcomes = await w.settle();
    const doneMs = performance.now() - startedMs;

    expect(answer).toMatchObject({ statusCode: 200 });
    expect(answeredMs).toBeLessThan(3000);
    expect(outcomes).toEqual(['done']);
    expect(doneMs).toBeGreaterThanOrEqual(DELAY_MS);
    expect(await archivedIn('us-west-2', 'true')).toContain(event.detail.id);
    console.log(
      `triage front answered in ${answeredMs.toFixed(0)} ms; the archive through a ${DELAY_MS} ms GuardDuty finished after ${doneMs.toFixed(0)} ms`,
    );
  });
});
