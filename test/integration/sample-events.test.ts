import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_EVENTS_DIR } from '../../scripts/sample-events.ts';
import { lowestThreshold, routeFor } from '../../shared/index.ts';
import {
  MEMBER_REGION,
  deliveredIds,
  findingIdsOf,
  publishFindings,
  receiveAll,
  startConsumer,
  storeWebhooks,
  useDeployedHub,
} from './harness.ts';

/**
 * The shipped sample findings (examples/events/, made by the factories) through the deployed wiring:
 * each one's `detail` is published on a member region's default bus, as GuardDuty would publish it.
 * (The scan result and the tamper event travel other rules: see scan-result and tamper-flow tests.)
 */

interface SampleFinding {
  readonly file: string;
  readonly detail: { readonly id: string; readonly severity: number; readonly accountId: string };
}

const findings: SampleFinding[] = readdirSync(SAMPLE_EVENTS_DIR)
  .filter((file) => file.endsWith('.json'))
  .map((file) => ({
    file,
    event: JSON.parse(readFileSync(join(SAMPLE_EVENTS_DIR, file), 'utf8')) as Record<string, unknown>,
  }))
  .filter(({ event }) => event['detail-type'] === 'GuardDuty Finding')
  .map(({ file, event }) => ({ file, detail: event.detail as SampleFinding['detail'] }));

const ctx = useDeployedHub();

const idsOf = (list: readonly SampleFinding[]): string[] => list.map((f) => f.detail.id).sort();

describe('the shipped sample findings through the deployed wiring', () => {
  it('reach the hub queue exactly when their severity is at or above the forwarders’ threshold', async () => {
    const forwarded = findings.filter((f) => f.detail.severity >= lowestThreshold(ctx.config));
    expect(forwarded.length).toBeGreaterThan(0);
    expect(forwarded.length).toBeLessThan(findings.length);

    await publishFindings(
      ctx.deployed,
      MEMBER_REGION,
      findings.map((f) => f.detail),
    );

    expect(findingIdsOf(await receiveAll(ctx.deployed.hub.sqs, ctx.deployed.queue.url))).toEqual(idsOf(forwarded));
  });

  it('are delivered to Slack by the consumer, each at its account’s destination when its route takes it', async () => {
    const paths = await storeWebhooks(ctx.deployed, ctx.slack);
    const routed = findings.filter(
      (f) =>
        f.detail.severity >= lowestThreshold(ctx.config) &&
        f.detail.severity >= routeFor(ctx.config, f.detail.accountId).minScore,
    );
    const to = (destination: string) =>
      idsOf(routed.filter((f) => routeFor(ctx.config, f.detail.accountId).destination === destination));
    expect(to('security').length).toBeGreaterThan(0);
    expect(to('team-a').length).toBeGreaterThan(0);
    await publishFindings(
      ctx.deployed,
      MEMBER_REGION,
      findings.map((f) => f.detail),
    );
    const { poller } = startConsumer(ctx.deployed);

    await poller.runUntilEmpty({ timeoutMs: 15_000 });

    expect(deliveredIds(ctx.slack, paths.security!, idsOf(findings))).toEqual(to('security'));
    expect(deliveredIds(ctx.slack, paths['team-a']!, idsOf(findings))).toEqual(to('team-a'));
  });
});
