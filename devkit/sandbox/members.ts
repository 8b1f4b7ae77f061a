import {
  AcceptAdministratorInvitationCommand,
  CreateDetectorCommand,
  GuardDutyClient,
  ListDetectorsCommand,
  ListInvitationsCommand,
} from '@aws-sdk/client-guardduty';
import { membersInRegion, type HubConfig } from '../../shared/index.ts';
import { accountCredentials } from './localaws.ts';

/**
 * In invitation mode the region stacks invite each member; in AWS the member accepts from its own
 * account. The local AWS can act as any account, so `sandbox up` accepts as each member, in each
 * region the config places it in (its own detector first, as GuardDuty requires): the sandbox then
 * shows a healthy hub (`status` sees every member Enabled) instead of members invited forever.
 */

/** One acceptance: the member, the region, and whether an invitation was pending (false: already accepted). */
export interface Acceptance {
  readonly account: string;
  readonly region: string;
  readonly accepted: boolean;
}

/** Accepts every pending invitation from the hub account, as each member; idempotent. */
export async function acceptInvitations(endpoint: string, config: HubConfig): Promise<Acceptance[]> {
  if (config.guardduty.mode !== 'invitation') return [];
  const done: Acceptance[] = [];
  const keys = new Map<string, ReturnType<typeof accountCredentials>>();
  const keysOf = (account: string): ReturnType<typeof accountCredentials> => {
    const pending = keys.get(account) ?? accountCredentials(endpoint, account);
    keys.set(account, pending);
    return pending;
  };
  for (const region of config.regions) {
    for (const [account] of membersInRegion(config, region)) {
      const guardduty = new GuardDutyClient({ endpoint, region, credentials: await keysOf(account), maxAttempts: 1 });
      try {
        done.push({ account, region, accepted: await acceptOne(guardduty, config.hub.account) });
      } finally {
        guardduty.destroy();
      }
    }
  }
  return done;
}

async function acceptOne(guardduty: GuardDutyClient, administrator: string): Promise<boolean> {
  const invitation = (await guardduty.send(new ListInvitationsCommand({}))).Invitations?.find(
    (i) => i.AccountId === administrator,
  );
  if (invitation?.InvitationId === undefined) return false;
  const existing = (await guardduty.send(new ListDetectorsCommand({}))).DetectorIds?.[0];
  const detectorId = existing ?? (await guardduty.send(new CreateDetectorCommand({ Enable: true }))).DetectorId;
  await guardduty.send(
    new AcceptAdministratorInvitationCommand({
      DetectorId: detectorId,
      AdministratorId: administrator,
      InvitationId: invitation.InvitationId,
    }),
  );
  return true;
}
