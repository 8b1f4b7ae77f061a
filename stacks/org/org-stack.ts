import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { GuarddutyOrganizationAdminAccount } from '@cdktf/provider-aws/lib/guardduty-organization-admin-account/index.js';
import type { HubConfig } from '../../shared/index.ts';
import { awsProvider, configureBackend } from '../common.ts';
import { StacksError } from '../errors.ts';

/** Props of {@link OrgStack}. */
export interface OrgStackProps {
  /** The validated config, in organization mode (`guardduty.managementAccount` set). */
  readonly config: HubConfig;
  /** Stack name, which also names its state file. */
  readonly stackName: string;
}

/** The org stack's configuration is unusable: it needs the management account. */
export class OrgStackError extends StacksError {
  override readonly name = 'OrgStackError';
}

/**
 * Runs in the organization's management account: designates `hub.account` as GuardDuty delegated
 * administrator in every configured region. Deploy it before the region stacks.
 */
export class OrgStack extends TerraformStack {
  constructor(scope: Construct, props: OrgStackProps) {
    super(scope, props.stackName);
    const { config } = props;
    const managementAccount = config.guardduty.managementAccount;
    if (managementAccount === undefined) {
      throw new OrgStackError('the org stack needs guardduty.managementAccount (organization mode)');
    }
    configureBackend(this, config, props.stackName);

    for (const region of config.regions) {
      const provider = awsProvider(this, `aws-${region}`, {
        region,
        accountId: managementAccount,
        appName: config.hub.name,
        alias: region,
      });
      new GuarddutyOrganizationAdminAccount(this, `DelegatedAdmin-${region}`, {
        adminAccountId: config.hub.account,
        provider,
      });
    }
  }
}
