import {
  CreateFilterCommand,
  DisassociateMembersCommand,
  GuardDutyClient,
  ListDetectorsCommand,
} from '@aws-sdk/client-guardduty';
import { hubClientConfig } from '../../devkit/sandbox/hub-clients.ts';
import { requireSandboxState } from '../../devkit/sandbox/state.ts';

/** What {@link makeDriftByHand} changed in the sandbox. */
export interface HandMadeDrift {
  readonly region: string;
  /** The region's detector (the region stack's). */
  readonly detectorId: string;
  /** An ARCHIVE filter the config does not make. */
  readonly filterName: string;
  /** The member account disassociated from the hub (its relationship becomes `Removed`). */
  readonly memberAccountId: string;
}

/**
 * Changes a deployed sandbox the way a person with console access would, as the hub account on the
 * sandbox's local AWS: makes an ARCHIVE filter by hand and disassociates a member, in `region`.
 */
export async function makeDriftByHand(
  sandboxDir: string,
  region: string,
  memberAccountId: string,
): Promise<HandMadeDrift> {
  const guardduty = new GuardDutyClient({ ...hubClientConfig(requireSandboxState(sandboxDir)), region });
  const { DetectorIds: [detectorId] = [] } = await guardduty.send(new ListDetectorsCommand({}));
  if (detectorId === undefined) throw new Error(`the sandbox has no detector in ${region}`);
  const filterName = 'hand-made-quiet';
  await guardduty.send(
    new CreateFilterCommand({
      DetectorId: detectorId,
      Name: filterName,
      Action: 'ARCHIVE',
      FindingCriteria: { Criterion: { type: { Equals: ['Recon:EC2/PortProbeUnprotectedPort'] } } },
    }),
  );
  const { UnprocessedAccounts = [] } = await guardduty.send(
    new DisassociateMembersCommand({ DetectorId: detectorId, AccountIds: [memberAccountId] }),
  );
  if (UnprocessedAccounts.length > 0) throw new Error(`not disassociated: ${JSON.stringify(UnprocessedAccounts)}`);
  guardduty.destroy();
  return { region, detectorId, filterName, memberAccountId };
}
