import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lowestThreshold, routeFor } from '../../shared/index.ts';
import { MEMBER_REGION, deliveredIds, findingIdsOf, publishFindings, receiveAll, startConsumer, storeWebhooks, useDeployedHub } from './harness.ts';

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

const ctx = useDeployedHub();

const idsOf = (list: readonly Fixture[]): string[] => list.map((f) => f.detail.id).sort();

describe.skipIf(!available)('public GuardDuty events through the deployed wiring', () => {
  it('reach the hub queue exactly when their severity is at or above the forwarders’ threshold', async () => {
    const forwarded = fixtures.filter((f) => f.detail.severity >= lowestThreshold(ctx.config));
    expect(forwarded.length).toBeGreaterThan(0);
    expect(forwarded.length).toBeLessThan(fixtures.length);

    await publishFindings(ctx.deployed, MEMBER_REGION, fixtures.map((f) => f.detail));

    expect(findingIdsOf(await receiveAll(ctx.deployed.hub.sqs, ctx.deployed.queue.url))).toEqual(idsOf(forwarded));
  });

  it('are delivered to Slack by the consumer when their account’s route takes them', async () => {
    const paths = await storeWebhooks(ctx.deployed, ctx.slack);
    const expected = fixtures.filter(
      (f) => f.detail.severity >= lowestThreshold(ctx.config) && f.detail.severity >= routeFor(ctx.config, f.detail.accountId ?? '').minScore,
    );
    expect(expected.length).toBeGreaterThan(0);
    await publishFindings(ctx.deployed, MEMBER_REGION, fixtures.map((f) => f.detail));
    const { poller } = startConsumer(ctx.deployed);

    await poller.runUntilEmpty({ timeoutMs: 15_000 });

    expect(deliveredIds(ctx.slack, paths.security!, idsOf(fixtures))).toEqual(idsOf(expected));
  });
});
