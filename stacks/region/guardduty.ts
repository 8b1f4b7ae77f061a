import { Construct } from 'constructs';
import { GuarddutyDetector } from '@cdktf/provider-aws/lib/guardduty-detector/index.js';
import { GuarddutyMember } from '@cdktf/provider-aws/lib/guardduty-member/index.js';
import { GuarddutyOrganizationConfiguration } from '@cdktf/provider-aws/lib/guardduty-organization-configuration/index.js';
import { membersInRegion, type HubConfig } from '../../shared/index.ts';

/** Props of {@link RegionGuardDuty}. */
export interface RegionGuardDutyProps {
  /** `guardduty`, `accounts`, `regions` and `hub`. */
  readonly config: Pick<HubConfig, 'guardduty' | 'accounts' | 'regions' | 'hub'>;
  /** The region this detector runs in. */
  readonly region: string;
}

/**
 * The administrator's GuardDuty detector in one region, and how members join it: invitations to
 * each member enabled in the region (invitation mode), or organization auto-enable (organization mode).
 */
export class RegionGuardDuty extends Construct {
  /** The administrator's detector. */
  readonly detector: GuarddutyDetector;
  /** Invited members by account id (invitation mode; empty in organization mode). */
  readonly members: ReadonlyMap<string, GuarddutyMember>;

  constructor(scope: Construct, id: string, props: RegionGuardDutyProps) {
    super(scope, id);
    const { config, region } = props;

    this.detector = new GuarddutyDetector(this, 'Detector', {
      enable: true,
      findingPublishingFrequency: config.guardduty.findingPublishingFrequency,
    });

    if (config.guardduty.mode === 'organization') {
      new GuarddutyOrganizationConfiguration(this, 'Organization', {
        detectorId: this.detector.id,
        autoEnableOrganizationMembers: config.guardduty.autoEnable,
      });
      this.members = new Map();
      return;
    }

    // One reference for all members: each `detector.id` read creates a token, which captures a stack trace.
    const detectorId = this.detector.id;
    this.members = new Map(
      membersInRegion(config, region).map(([accountId, account]) => [
        accountId,
        new GuarddutyMember(this, `Member${accountId}`, {
          detectorId,
          accountId,
          // Validation requires an email for every member in invitation mode.
          email: account.email ?? '',
          invite: true,
          invitationMessage: config.guardduty.invitationMessage,
          disableEmailNotification: false,
        }),
      ]),
    );
  }
}
