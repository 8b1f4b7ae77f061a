import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { HubConfig } from '../../shared/index.ts';
import { awsProvider, configureBackend } from '../common.ts';
import { Forwarder } from './forwarder.ts';
import { RegionGuardDuty } from './guardduty.ts';

/** Props of {@link RegionStack}. */
export interface RegionStackProps {
  /** The validated config. */
  readonly config: HubConfig;
  /** The region this stack manages. */
  readonly region: string;
  /** Stack name, which also names its state file. */
  readonly stackName: string;
}

/** GuardDuty and the forwarder in one region of the administrator account. */
export class RegionStack extends TerraformStack {
  constructor(scope: Construct, props: RegionStackProps) {
    super(scope, props.stackName);
    const { config, region } = props;
    awsProvider(this, 'aws', { region, accountId: config.hub.account, appName: config.hub.name });
    configureBackend(this, config, props.stackName);

    new RegionGuardDuty(this, 'GuardDuty', { config, region });
    new Forwarder(this, 'Forwarder', { config, region });
  }
}
