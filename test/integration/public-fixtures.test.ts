import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { lowestThreshold, routeFor, type HubConfig } from '../../shared/index.ts';
import { resetMoto } from '../support/moto.ts';
import type { StackDocument } from '../support/provision.ts';
import { startSlackSimulator, type SlackSimulator } from '../support/slack-simulator.ts';
import {
  MEMBER_REGION,
  deployHub,
  findingIdsOf,
  integrationConfig,
  publishFindings,
  receiveAll,
  startConsumer,
  storeWebhooks,
  synthesizedStacks,
  type DeployedHub,
} from './harness.ts';

/**
 * Replays the public GuardDuty events kept beside the checkout (../shared/fixtures/public, see its
 * SOURCES.md; never copied into the project) through the deployed wiring: each file's `detail` is
 * published on a member region's default bus, as GuardDuty would publish it. Without the folder
 * this file is skipped.
 */
const FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/public/', import.meta.url));
const available = existsSync(FIXTURES);
if (!available) console.warn(`public-fixtures.test.ts skipped: public fixtures not found at ${FIXTURES}`);

interface Fixture {
  readonly file: string;
  readonly detail: { readonly id: string; readonly severity: number; readonly accountId?: string };
}

const fixtures: Fixture[] = available
  ? readdirSync(FIXTURES)
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((file) => ({ file, detail: (JSON.parse(readFileSync(`${FIXTURES}${file}`, 'utf8')) as { detail: Fixture['detail'] }).detail }))
  : [];

const endpoint = inject('motoEndpoint');
let config: HubConfig;
let stacks: StackDocument[];
let deployed: DeployedHub;
let slack: SlackSimulator;

beforeAll(() => {
  config = integrationConfig();
  stacks = synthesizedStacks(config);
});
beforeEach(async () => {
  await resetMoto(endpoint);
  deployed = await deployHub(endpoint, config, stacks);
  slack = await startSlackSimulator({ ratePerSecond: 50, burst: 20 });
});
afterEach(async () => {
  deployed.provisioned.destroy();
  await slack.close();
});

const idsOf = (list: readonly Fixture[]): string[] => list.map((f) => f.detail.id).sort();

describe.skipIf(!available)('public GuardDuty events through the deployed wiring', () => {
  it('reach the hub queue exactly when their severity is at or above the forwarders’ threshold', async () => {
    const forwarded = fixtures.filter((f) => f.detail.severity >= lowestThreshold(config));
    expect(forwarded.length).toBeGreaterThan(0);
    expect(forwarded.length).toBeLessThan(fixtures.length);

    await publishFindings(deployed, MEMBER_REGION, fixtures.map((f) => f.detail));

    expect(findingIdsOf(await receiveAll(deployed.hub.sqs, deployed.queue.url))).toEqual(idsOf(forwarded));
  });

  it('are delivered to Slack by the consumer when their account’s route takes them', async () => {
    const paths = await storeWebhooks(deployed, slack);
    const expected = fixtures.filter(
      (f) => f.detail.severity >= lowestThreshold(config) && f.detail.severity >= routeFor(config, f.detail.accountId ?? '').minScore,
    );
    expect(expected.length).toBeGreaterThan(0);
    await publishFindings(deployed, MEMBER_REGION, fixtures.map((f) => f.detail));
    const { poller } = startConsumer(deployed);

    await poller.runUntilEmpty({ timeoutMs: 15_000 });

    const bodies = slack.accepted(paths.security!).map((request) => request.raw);
    const delivered = fixtures.filter((f) => bodies.some((raw) => raw.includes(f.detail.id)));
    expect(idsOf(delivered)).toEqual(idsOf(expected));
  });
});
