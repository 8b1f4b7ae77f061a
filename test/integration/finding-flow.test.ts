import { describe, expect, it } from 'vitest';
import { atSeverity, forAccount, makeFindingDetail, type FindingDetail } from '../factories/index.ts';
import {
  ACCOUNTS,
  HUB_REGION,
  MEMBER_REGION,
  deliveredIds,
  findingIdsOf,
  publishFindings,
  receiveAll,
  startConsumer,
  storeWebhooks,
  useDeployedHub,
} from './harness.ts';

// A finding published on a member region's default bus travels, through the synthesized forwarder
// rule and hub rule applied to moto, to the hub queue in the hub region; the consumer then takes it
// from there to Slack (the loopback simulator).

const ctx = useDeployedHub();

/** One finding per severity band for an unlisted account (routed by `defaults`: security, from Medium). */
function oneFindingPerBand(): Record<'low' | 'medium' | 'high' | 'critical', FindingDetail> {
  const at = (score: number) =>
    makeFindingDetail(atSeverity(score), forAccount(ACCOUNTS.unlisted), { region: MEMBER_REGION });
  return { low: at(2), medium: at(5.5), high: at(7.5), critical: at(9.5) };
}

describe('a finding from a member region', () => {
  it('reaches the hub queue in the hub region when at or above the lowest threshold, and is dropped at the source below it', async () => {
    const findings = oneFindingPerBand();

    await publishFindings(ctx.deployed, MEMBER_REGION, Object.values(findings));

    const arrived = await receiveAll(ctx.deployed.hub.sqs, ctx.deployed.queue.url);
    expect(findingIdsOf(arrived)).toEqual([findings.medium.id, findings.high.id, findings.critical.id].sort());
  });

  it('arrives as the EventBridge envelope with the finding unchanged in `detail`', async () => {
    const finding = makeFindingDetail(atSeverity(8), { region: MEMBER_REGION });

    await publishFindings(ctx.deployed, MEMBER_REGION, [finding]);

    const [message] = await receiveAll(ctx.deployed.hub.sqs, ctx.deployed.queue.url);
    expect(JSON.parse(message!.Body!)).toMatchObject({
      source: 'aws.guardduty',
      'detail-type': 'GuardDuty Finding',
      detail: finding,
    });
  });

  it('also reaches the hub queue when published in the hub region itself', async () => {
    const finding = makeFindingDetail(atSeverity(7), { region: HUB_REGION });

    await publishFindings(ctx.deployed, HUB_REGION, [finding]);

    expect(findingIdsOf(await receiveAll(ctx.deployed.hub.sqs, ctx.deployed.queue.url))).toEqual([finding.id]);
  });

  it('is delivered by the consumer to the destination of its account, at that account’s threshold', async () => {
    const paths = await storeWebhooks(ctx.deployed, ctx.slack);
    const bands = oneFindingPerBand();
    const member1Medium = makeFindingDetail(atSeverity(5), forAccount(ACCOUNTS.member1));
    const member2Medium = makeFindingDetail(atSeverity(5), forAccount(ACCOUNTS.member2)); // forwarded, below member2's High
    const member2High = makeFindingDetail(atSeverity(8), forAccount(ACCOUNTS.member2));
    const all = [...Object.values(bands), member1Medium, member2Medium, member2High];
    await publishFindings(ctx.deployed, MEMBER_REGION, all);
    const { poller } = startConsumer(ctx.deployed);

    await poller.runUntilEmpty({ timeoutMs: 15_000 });

    const ids = all.map((f) => f.id);
    expect(deliveredIds(ctx.slack, paths.security!, ids)).toEqual(
      [bands.medium.id, bands.high.id, bands.critical.id, member2High.id].sort(),
    );
    expect(deliveredIds(ctx.slack, paths['team-a']!, ids)).toEqual([member1Medium.id]);
    expect(ctx.slack.requests.every((request) => request.status === 200)).toBe(true);
  });

  it('is delivered once when GuardDuty publishes it again unchanged (repeat state in the deployed table)', async () => {
    const paths = await storeWebhooks(ctx.deployed, ctx.slack);
    const finding = makeFindingDetail(atSeverity(8), forAccount(ACCOUNTS.unlisted));
    const { poller } = startConsumer(ctx.deployed);

    await publishFindings(ctx.deployed, MEMBER_REGION, [finding]);
    await poller.runUntilEmpty({ timeoutMs: 15_000 });
    await publishFindings(ctx.deployed, MEMBER_REGION, [finding]);
    await poller.runUntilEmpty({ timeoutMs: 15_000 });

    expect(poller.invocations).toHaveLength(2);
    expect(ctx.slack.accepted(paths.security!).filter((request) => request.raw.includes(finding.id))).toHaveLength(1);
  });
});
