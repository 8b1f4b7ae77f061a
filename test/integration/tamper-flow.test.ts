import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import { WEAKENING_REQUESTS, assumedRole, makeCloudTrailDetail, type CloudTrailDetail } from '../factories/index.ts';
import {
  HUB_REGION,
  MEMBER_REGION,
  receiveAll,
  startConsumer,
  storeWebhooks,
  useDeployedHub,
  type DeployedHub,
} from './harness.ts';

// A GuardDuty API call recorded by CloudTrail and put on a region's default bus travels, through the
// synthesized tamper rule, the hub bus and the hub rule applied to moto, to the hub queue, and the
// consumer turns it into a tamper alert in the Slack simulator. The CloudTrail side is simulated: the
// events are put as CloudTrail would put them (moto does not refuse `aws.*` sources).

const ctx = useDeployedHub({
  guard: { quietPrincipals: ['arn:aws:iam::123456789012:role/hub-deploy'], quietChanges: 'drop' },
});

/** Puts CloudTrail records on `region`'s default bus as CloudTrail delivers them. */
async function putCloudTrailEvents(
  deployed: DeployedHub,
  region: string,
  details: readonly CloudTrailDetail[],
): Promise<void> {
  const events = deployed.clients(region).events;
  for (let i = 0; i < details.length; i += 10) {
    const entries = details.slice(i, i + 10).map((detail) => ({
      Source: 'aws.guardduty',
      DetailType: 'AWS API Call via CloudTrail',
      Detail: JSON.stringify(detail),
    }));
    const result = await events.send(new PutEventsCommand({ Entries: entries }));
    if ((result.FailedEntryCount ?? 0) > 0)
      throw new Error(`PutEvents refused entries: ${JSON.stringify(result.Entries)}`);
  }
}

/** One call of each kind of change the tamper rule watches (detector, lists, filters, members, export, organization, malware, custom detection rules). */
const KINDS = [
  'DeleteDetector',
  'UpdateDetector',
  'CreateFilter',
  'CreateIPSet',
  'DeleteThreatIntelSet',
  'DeleteThreatEntitySet',
  'CreateTrustedEntitySet',
  'DisassociateMembers',
  'DisassociateFromAdministratorAccount',
  'DeletePublishingDestination',
  'UpdateOrganizationConfiguration',
  'DeleteMalwareProtectionPlan',
  'UpdateCustomDetectionRuleAssociation',
  'DeleteCustomDetectionRuleOrgConfiguration',
] as const;

function callsOfEveryKind(accountId: string, region: string): CloudTrailDetail[] {
  return KINDS.map((eventName) =>
    makeCloudTrailDetail(eventName, {
      accountId,
      region,
      ...(WEAKENING_REQUESTS[eventName] === undefined ? {} : { requestParameters: WEAKENING_REQUESTS[eventName] }),
      overrides: { userIdentity: assumedRole(accountId, 'intruder', `session-${eventName}`) },
    }),
  );
}

describe('a GuardDuty API call recorded by CloudTrail', () => {
  it('of each watched kind reaches the hub queue from a member region, and an unwatched call does not', async () => {
    const calls = callsOfEveryKind(ctx.config.hub.account, MEMBER_REGION);
    const unwatched = makeCloudTrailDetail('GetDetector', { accountId: ctx.config.hub.account, region: MEMBER_REGION });

    await putCloudTrailEvents(ctx.deployed, MEMBER_REGION, [...calls, unwatched]);

    const arrived = await receiveAll(ctx.deployed.hub.sqs, ctx.deployed.queue.url);
    const names = arrived.map((m) => (JSON.parse(m.Body!) as { detail: CloudTrailDetail }).detail.eventName).sort();
    expect(names).toEqual([...KINDS].sort());
  });

  it('of each watched kind arrives in Slack as a tamper alert naming what changed, where and who', async () => {
    const paths = await storeWebhooks(ctx.deployed, ctx.slack);
    const calls = callsOfEveryKind(ctx.config.hub.account, HUB_REGION);
    await putCloudTrailEvents(ctx.deployed, HUB_REGION, calls);
    const { poller } = startConsumer(ctx.deployed);

    await poller.runUntilEmpty({ timeoutMs: 20_000 });

    const bodies = ctx.slack.accepted(paths.security!).map((request) => request.raw);
    expect(bodies).toHaveLength(KINDS.length);
    for (const call of calls) {
      const alert = bodies.find((raw) => raw.includes(call.eventID));
      expect(alert, call.eventName).toBeDefined();
      expect(alert).toContain('GuardDuty weakened');
      expect(alert).toContain(call.eventName);
      expect(alert).toContain((call.userIdentity as { arn: string }).arn);
      expect(alert).toContain(call.sourceIPAddress);
      expect(alert).toContain(ctx.config.hub.account);
      expect(alert).toContain(HUB_REGION);
    }
  });

  it('by a quiet principal is dropped when guard.quietChanges is drop, and the record leaves the queue', async () => {
    const paths = await storeWebhooks(ctx.deployed, ctx.slack);
    const deploy = makeCloudTrailDetail('CreateFilter', {
      accountId: ctx.config.hub.account,
      region: HUB_REGION,
      overrides: { userIdentity: assumedRole('123456789012', 'hub-deploy', 'terraform') },
    });
    const intruder = makeCloudTrailDetail('DeleteFilter', { accountId: ctx.config.hub.account, region: HUB_REGION });
    await putCloudTrailEvents(ctx.deployed, HUB_REGION, [deploy, intruder]);
    const { poller } = startConsumer(ctx.deployed);

    await poller.runUntilEmpty({ timeoutMs: 20_000 });

    const bodies = ctx.slack.accepted(paths.security!).map((request) => request.raw);
    expect(bodies.filter((raw) => raw.includes(deploy.eventID))).toEqual([]);
    expect(bodies.filter((raw) => raw.includes(intruder.eventID))).toHaveLength(1);
    expect(await receiveAll(ctx.deployed.hub.sqs, ctx.deployed.queue.url)).toEqual([]);
  });
});
