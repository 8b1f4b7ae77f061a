import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { HubConfig } from '../../shared/index.ts';
import { awsProvider, configureBackend } from '../common.ts';
import { HubBus } from './bus.ts';
import { Consumer } from './consumer.ts';
import { DriftCheck } from './drift.ts';
import { Monitoring } from './monitoring.ts';
import { FindingQueues } from './queues.ts';
import { WebhookSecrets } from './secrets.ts';
import { StateTable } from './state-table.ts';
import { Triage } from './triage.ts';

/** Props of {@link HubStack}. */
export interface HubStackProps {
  /** The validated config. */
  readonly config: HubConfig;
  /** Folder holding the consumer bundle (`index.mjs`, `hub-config.json`). */
  readonly consumerBundleDir: string;
  /** Stack name, which also names its state file. */
  readonly stackName: string;
}

/**
 * Everything in the hub region that findings flow through after leaving their region: hub bus and
 * rule, queue and DLQ, consumer, webhook secrets, state table, alarms and dashboard; with `triage:`,
 * the Slack interactivity endpoint (output `triage_url`).
 */
export class HubStack extends TerraformStack {
  constructor(scope: Construct, props: HubStackProps) {
    super(scope, props.stackName);
    const { config } = props;
    awsProvider(this, 'aws', { region: config.hub.region, accountId: config.hub.account, appName: config.hub.name });
    configureBackend(this, config, props.stackName);

    const queues = new FindingQueues(this, 'Queues', { config });
    const monitoring = new Monitoring(this, 'Monitoring', { config });
    const hubBus = new HubBus(this, 'HubBus', { config, queue: queues.queue, alarmTopicArn: monitoring.topic.arn });
    const secrets = new WebhookSecrets(this, 'WebhookSecrets', { config });
    const state = new StateTable(this, 'State', { config });
    const consumer = new Consumer(this, 'Consumer', {
      config,
      bundleDir: props.consumerBundleDir,
      queue: queues.queue,
      dlq: queues.dlq,
      table: state.table,
      secretArns: secrets.arns,
    });
    if (config.guard.driftCheck) {
      new DriftCheck(this, 'Drift', {
        config,
        bundleDir: props.consumerBundleDir,
        queue: queues.queue,
        table: state.table,
        botTokenSecretArns: secrets.botTokenArns,
      });
    }

    const outputs: Record<string, string> = {
      hub_queue_url: queues.queue.url,
      hub_queue_arn: queues.queue.arn,
      dlq_url: queues.dlq.url,
      dlq_arn: queues.dlq.arn,
      hub_rule_dlq_url: hubBus.deadLetter.queue.url,
      function_name: consumer.function.functionName,
      hub_bus_arn: hubBus.bus.arn,
      forwarder_role_arn: hubBus.forwarderRole.arn,
      state_table_name: state.table.name,
      alarm_topic_arn: monitoring.topic.arn,
      dashboard_name: monitoring.dashboard.dashboardName,
    };
    if (config.triage !== undefined) {
      const triage = new Triage(this, 'Triage', {
        config: { ...config, triage: config.triage },
        bundleDir: props.consumerBundleDir,
        table: state.table,
        botTokenSecretArns: secrets.botTokenArns,
        routingKeySecretArns: secrets.routingKeyArns,
      });
      // The Slack app's Interactivity Request URL.
      outputs.triage_url = triage.url.functionUrl;
    }
    for (const [name, value] of Object.entries(outputs)) new TerraformOutput(this, name, { value });
  }
}
