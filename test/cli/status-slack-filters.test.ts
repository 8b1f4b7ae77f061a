import {
  CreateFilterCommand,
  ListDetectorsCommand,
  type GetFilterCommandOutput,
  type GuardDutyClient,
  type ListFiltersCommandOutput,
} from '@aws-sdk/client-guardduty';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { readSlackFilters, suggestSuppressRule, type StatusReport } from '../../cli/commands/status/index.ts';
import { SLACK_FILTER_PREFIX, SLACK_FILTER_TAGS, filterCriteria, validateConfig } from '../../shared/index.ts';
import { baseRawConfig } from '../factories/index.ts';
import { loadGuardDutyModel, membersOf } from '../model/guardduty-model.ts';
import { runCli } from '../support/cli-run.ts';
import { arrangeWorld } from '../support/cli-world.ts';

// `status` on GuardDuty filters made from Slack. moto has no ListFilters and its GetFilter returns no
// tags, so GuardDuty is a stub here, answering in the shapes of the GuardDuty API model; the last
// block runs against the local AWS once localaws serves ListFilters (the triage runtime adds it).

const endpoint = inject('motoEndpoint');
const TYPE = 'Recon:EC2/PortProbeUnprotectedPort';
const SLACK_TAGS = {
  [SLACK_FILTER_TAGS.madeBy]: 'slack',
  [SLACK_FILTER_TAGS.user]: 'U0123ABCD9',
  [SLACK_FILTER_TAGS.finding]: 'f-1',
  [SLACK_FILTER_TAGS.expires]: '2027-03-06T19:50:25.000Z',
};

type Filter = Omit<GetFilterCommandOutput, '$metadata'>;

/** A filter as "Suppress like this" makes it: ARCHIVE, the finding's type and account, tagged as made from Slack. */
function slackFilter(name: string, extra: Filter['FindingCriteria'] = {}): Filter {
  return {
    Name: name,
    Action: 'ARCHIVE',
    Rank: 1,
    Description: 'Made from Slack',
    FindingCriteria: {
      Criterion: { type: { Equals: [TYPE] }, accountId: { Equals: ['333333333333'] }, ...extra.Criterion },
    },
    Tags: SLACK_TAGS,
  };
}

/** A stub GuardDuty client over `filters` (by name), paging ListFilters `pageSize` names at a time. */
function stubGuardDuty(filters: Record<string, Filter>, pageSize = 2): { client: GuardDutyClient; calls: string[] } {
  const calls: string[] = [];
  const names = Object.keys(filters);
  const send = async (command: { constructor: { name: string }; input: Record<string, unknown> }): Promise<unknown> => {
    const operation = command.constructor.name.replace(/Command$/, '');
    calls.push(operation === 'GetFilter' ? `GetFilter ${String(command.input.FilterName)}` : operation);
    if (operation === 'ListFilters') {
      const start = Number(command.input.NextToken ?? 0);
      const page: Omit<ListFiltersCommandOutput, '$metadata'> = { FilterNames: names.slice(start, start + pageSize) };
      return start + pageSize < names.length ? { ...page, NextToken: String(start + pageSize) } : page;
    }
    if (operation === 'GetFilter') return filters[String(command.input.FilterName)];
    throw new Error(`unexpected ${operation}`);
  };
  return { client: { send } as unknown as GuardDutyClient, calls };
}

describe('reading Slack-made filters', () => {
  it('uses the GuardDuty API model’s ListFilters and GetFilter fields', () => {
    const model = loadGuardDutyModel();

    expect(membersOf(model, 'ListFiltersRequest').map(([wire]) => wire)).toEqual(expect.arrayContaining(['nextToken']));
    expect(membersOf(model, 'ListFiltersResponse').map(([wire]) => wire)).toEqual(['filterNames', 'nextToken']);
    expect(membersOf(model, 'GetFilterResponse').map(([wire]) => wire)).toEqual(
      expect.arrayContaining(['name', 'action', 'rank', 'findingCriteria', 'tags']),
    );
  });

  it('follows every ListFilters page and keeps only filters with the Slack prefix that are tagged made-by=slack', async () => {
    const { client, calls } = stubGuardDuty({
      'guardduty-hub-suppress-0a1b2c3d': {
        Name: 'guardduty-hub-suppress-0a1b2c3d',
        Action: 'ARCHIVE',
        FindingCriteria: { Criterion: {} },
      },
      [`${SLACK_FILTER_PREFIX}aaaa`]: slackFilter(`${SLACK_FILTER_PREFIX}aaaa`),
      [`${SLACK_FILTER_PREFIX}untagged`]: { ...slackFilter(`${SLACK_FILTER_PREFIX}untagged`), Tags: {} },
      [`${SLACK_FILTER_PREFIX}bbbb`]: slackFilter(`${SLACK_FILTER_PREFIX}bbbb`),
      'someones-own': { ...slackFilter('someones-own') },
    });

    const filters = await readSlackFilters(client, 'd1');

    expect(filters.map((f) => [f.name, f.madeBy, f.finding, f.action])).toEqual([
      [`${SLACK_FILTER_PREFIX}aaaa`, 'U0123ABCD9', 'f-1', 'ARCHIVE'],
      [`${SLACK_FILTER_PREFIX}bbbb`, 'U0123ABCD9', 'f-1', 'ARCHIVE'],
    ]);
    expect(calls.filter((call) => call === 'ListFilters')).toHaveLength(3);
    expect(calls.filter((call) => call.startsWith('GetFilter'))).toEqual([
      `GetFilter ${SLACK_FILTER_PREFIX}aaaa`,
      `GetFilter ${SLACK_FILTER_PREFIX}untagged`,
      `GetFilter ${SLACK_FILTER_PREFIX}bbbb`,
    ]);
  });
});

describe('a Slack-made filter as a suppress rule', () => {
  const REGIONS = ['us-east-1', 'us-west-2'];

  it('is a source rule of the same type and account, which the config accepts and turns back into the same criteria', () => {
    const suggestion = suggestSuppressRule(
      { type: { Equals: [TYPE] }, accountId: { Equals: ['333333333333'] } },
      REGIONS,
      REGIONS,
    );

    expect(suggestion.yaml).toBe(`- { type: "${TYPE}", accounts: ["333333333333"], at: source }`);
    expect(suggestion.notExpressible).toEqual([]);
    const config = validateConfig(
      { ...baseRawConfig(), regions: REGIONS, accounts: {}, suppress: [suggestion.rule] },
      'suggested',
    );
    expect(filterCriteria(config.suppress[0]!)).toEqual({
      ok: true,
      criteria: [
        { field: 'type', equals: [TYPE] },
        { field: 'accountId', equals: ['333333333333'] },
      ],
    });
  });

  it('names the regions when the filters are not in every configured region, and reads the deprecated Eq and Lt too', () => {
    const suggestion = suggestSuppressRule({ type: { Eq: [TYPE] }, severity: { Lt: 4 } }, ['us-west-2'], REGIONS);

    expect(suggestion.yaml).toBe(`- { type: "${TYPE}", regions: ["us-west-2"], below: 4, at: source }`);
  });

  it('says which criteria a rule cannot express (a resource, a not-equals), so the operator knows the rule suppresses more', () => {
    const suggestion = suggestSuppressRule(
      {
        type: { Equals: [TYPE] },
        'resource.instanceDetails.instanceId': { Equals: ['i-0abc'] },
        accountId: { NotEquals: ['222222222222'] },
      },
      REGIONS,
      REGIONS,
    );

    expect(suggestion.yaml).toBe(`- { type: "${TYPE}", at: source }`);
    expect(suggestion.notExpressible).toEqual([
      'resource.instanceDetails.instanceId equals i-0abc',
      'accountId not equals 222222222222',
    ]);
  });

  it('has no rule at all when no criterion is expressible', () => {
    const suggestion = suggestSuppressRule(
      { 'resource.instanceDetails.instanceId': { Equals: ['i-0abc'] } },
      REGIONS,
      REGIONS,
    );

    expect([suggestion.rule, suggestion.yaml]).toEqual([undefined, undefined]);
  });
});

describe('status with Slack-made filters', () => {
  const name = `${SLACK_FILTER_PREFIX}portprobe-333333333333`;
  /** GuardDuty stubbed for filters only (detectors and members are moto's and the world's); the same filter in two regions. */
  const emulate = {
    guardduty: {
      ListFilters: (_input: Record<string, unknown>, region: string) => ({
        FilterNames: ['us-east-1', 'us-west-2'].includes(region) ? [name] : [],
      }),
      GetFilter: () => slackFilter(name),
    },
  };

  it('lists them per region with who made them, and the suppress rule to move them into the config, in --json and text; they need no attention', async () => {
    const world = await arrangeWorld(endpoint, { emulate });
    const args = ['status', '--config', world.configPath];

    const json = await runCli([...args, '--json'], { clients: world.clients });
    const text = await runCli(args, { clients: world.clients });

    expect(json.exitCode).toBe(0);
    const report = json.json<StatusReport>();
    expect(
      report.slackFilters.regions.map((r) => [
        r.region,
        Array.isArray(r.filters) ? r.filters.map((f) => f.name) : r.filters,
      ]),
    ).toEqual([
      ['us-east-1', [name]],
      ['us-west-1', []],
      ['us-west-2', [name]],
      ['eu-north-1', []],
    ]);
    expect(report.slackFilters.suppressions).toEqual([
      expect.objectContaining({
        name,
        regions: ['us-east-1', 'us-west-2'],
        madeBy: 'U0123ABCD9',
        finding: 'f-1',
        expires: '2027-03-06T19:50:25.000Z',
        suggestion: {
          rule: { type: TYPE, accounts: ['333333333333'], regions: ['us-east-1', 'us-west-2'], at: 'source' },
          yaml: expect.any(String),
          notExpressible: [],
        },
      }),
    ]);
    expect(report.attention).toEqual([]);
    expect(text.stdout).toContain('Filters made from Slack');
    expect(text.stdout).toMatch(new RegExp(`${name} +us-east-1, us-west-2 +U0123ABCD9 +f-1 +2027-03-06T19:50:25.000Z`));
    expect(text.stdout).toContain(
      `    - { type: "${TYPE}", accounts: ["333333333333"], regions: ["us-east-1", "us-west-2"], at: source }`,
    );
  });

  it('says in its section, not in attention, when a region cannot list filters; without triage the text leaves the section out', async () => {
    const refusing = {
      guardduty: {
        ...emulate.guardduty,
        ListFilters: () => Promise.reject(Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' })),
      },
    };
    const triage = {
      destinations: { alerts: { app: { botTokenSecret: 'guardduty-hub/slack/alerts-bot', channel: 'C0ALERTS01' } } },
      triage: { signingSecret: 'guardduty-hub/slack/signing' },
    };
    const withTriage = await arrangeWorld(endpoint, { emulate: refusing, config: triage });
    const without = await arrangeWorld(endpoint, { emulate: refusing });

    const json = await runCli(['status', '--config', withTriage.configPath, '--json'], { clients: withTriage.clients });
    const text = await runCli(['status', '--config', withTriage.configPath], { clients: withTriage.clients });
    const plain = await runCli(['status', '--config', without.configPath], { clients: without.clients });

    const report = json.json<StatusReport>();
    expect(
      report.slackFilters.regions.every((r) => !Array.isArray(r.filters) && /ListFilters/.test(r.filters.error)),
    ).toBe(true);
    expect(report.attention).toEqual([]);
    expect(text.stdout).toMatch(/Filters made from Slack.*\n {2}none readable\n {2}us-east-1: .*ListFilters/);
    expect(plain.stdout).not.toContain('Filters made from Slack');
  });
});

/** True once localaws serves ListFilters (moto does not; the triage runtime adds it to localaws). */
function localawsListsFilters(): boolean {
  const dir = fileURLToPath(new URL('../../devkit/localaws/', import.meta.url));
  return readdirSync(dir).some(
    (file) => file.endsWith('.py') && /def list_filters\b/.test(readFileSync(join(dir, file), 'utf8')),
  );
}

describe.runIf(localawsListsFilters())('status with Slack-made filters in the local AWS', () => {
  it('lists the filters CreateFilter made with the Slack tags, per region, and leaves out the others', async () => {
    const world = await arrangeWorld(endpoint, { detectorRegions: ['us-east-1', 'us-west-2'] });
    const name = `${SLACK_FILTER_PREFIX}local-portprobe`;
    for (const region of ['us-east-1', 'us-west-2']) {
      const guardduty = world.aws(region).guardduty;
      const detectorId = (await guardduty.send(new ListDetectorsCommand({}))).DetectorIds![0]!;
      const criteria = { Criterion: { type: { Equals: [TYPE] }, accountId: { Equals: ['333333333333'] } } };
      await guardduty.send(
        new CreateFilterCommand({
          DetectorId: detectorId,
          Name: name,
          Action: 'ARCHIVE',
          Rank: 1,
          FindingCriteria: criteria,
          Tags: SLACK_TAGS,
        }),
      );
      await guardduty.send(
        new CreateFilterCommand({
          DetectorId: detectorId,
          Name: `${SLACK_FILTER_PREFIX}not-tagged`,
          Action: 'ARCHIVE',
          Rank: 2,
          FindingCriteria: criteria,
        }),
      );
    }

    const run = await runCli(['status', '--config', world.configPath, '--json'], { clients: world.clients });

    const { suppressions } = run.json<StatusReport>().slackFilters;
    expect(suppressions.map((s) => [s.name, s.regions, s.madeBy, s.suggestion.yaml])).toEqual([
      [
        name,
        ['us-east-1', 'us-west-2'],
        'U0123ABCD9',
        `- { type: "${TYPE}", accounts: ["333333333333"], regions: ["us-east-1", "us-west-2"], at: source }`,
      ],
    ]);
  });
});
