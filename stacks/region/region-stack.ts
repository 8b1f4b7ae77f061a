import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { HubConfig } from '../../shared/index.ts';
import { awsProvider, configureBackend } from '../common.ts';
import { Forwarder } from './forwarder.ts';
import { RegionGuardDuty } from './guardduty.ts';
import { SourceFilters } from './source-filters.ts';
import { TamperRule } from './tamper.ts';

/** Props of {@link RegionStack}. */
export interface RegionStackProps {
  /** The validated config. */
  readonly config: HubConfig;
  /** The region this stack manages. */
  readonly region: string;
  /** Stack name, which also names its state file. */
  readonly stackName: string;
}

/** GuardDuty, its source filters, the forwarder and the tamper rule in one region of the administrator account. */
export class RegionStack extends TerraformStack {
  constructor(scope: Construct, props: RegionStackProps) {
    super(scope, props.stackName);
    const { config, region } = props;
    awsProvider(this, 'aws', { region, accountId: config.hub.account, appName: config.hub.name });
    configureBackend(this, config, props.stackName);

    const guardDuty = new RegionGuardDuty(this, 'GuardDuty', { config, region });
    const forwarder = new Forwarder(this, 'Forwarder', { config, region });
    new SourceFilters(this, 'SuppressFilters', { config, region, detectorId: guardDuty.detector.id });
    if (config.guard.tamperAlerts) new TamperRule(this, 'Tamper', { config, region, deadLetter: forwarder.deadLetter });
  }
}
