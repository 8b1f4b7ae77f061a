import type { HandlerOptions } from '../../lambdas/consumer/handler.ts';
import type { HubConfig } from '../../shared/index.ts';
import {
  startPagerDutySimulator,
  type PagerDutySimulator,
  type PagerDutySimulatorOptions,
} from '../../devkit/pagerduty/index.ts';
import type { PagerDutyEvent } from '../../destinations/pagerduty/index.ts';
import { startConsumerHarness, type ConsumerHarness } from '../support/consumer-harness.ts';
import { FAST_SIMULATOR, repeatsConfig } from './repeats-handler-support.ts';

/** Helpers for the tests that send findings to a PagerDuty destination through the real handler and the simulator. */

/** The account whose findings page `oncall`, from Low. */
export const PAGED_ACCOUNT = '555555555555';

/** The secret that holds oncall's routing key, and the key (32 letters and digits, as PagerDuty makes them). */
export const ONCALL_SECRET = 'guardduty-hub/pagerduty/oncall';
export const ONCALL_KEY = 'R0uT1nGkEy0f0nCaLl5555555555abcd';

/** A config where PAGED_ACCOUNT's findings go to `oncall` (type pagerduty); the rest to the `security` webhook. */
export function pagerConfig(overrides: Record<string, unknown> = {}): HubConfig {
  return repeatsConfig({
    accounts: {
      '222222222222': { name: 'member1', minSeverity: 'low', destination: 'team-a' },
      [PAGED_ACCOUNT]: { name: 'prod', minSeverity: 'low', destination: 'oncall' },
    },
    destinations: {
      security: { webhookSecret: 'guardduty-hub/slack/security' },
      'team-a': { webhookSecret: 'guardduty-hub/slack/team-a' },
      oncall: { type: 'pagerduty', routingKeySecret: ONCALL_SECRET },
    },
    ...overrides,
  });
}

/** A consumer harness (Slack simulator for the webhooks) and a PagerDuty simulator with oncall's integration. */
export interface PagerWorld {
  readonly harness: ConsumerHarness;
  readonly pager: PagerDutySimulator;
  /** Every event PagerDuty took (202), as sent (routing key and all). */
  events(): (PagerDutyEvent & { routing_key: string })[];
  close(): Promise<void>;
}

/** Starts the world; `secretValue` is what the routing key secret holds (default the key), `simulatorOptions` the PagerDuty simulator's. */
export async function startPagerWorld(
  config: HubConfig = pagerConfig(),
  handlerOptions: Partial<HandlerOptions> = {},
  secretValue: string = ONCALL_KEY,
  simulatorOptions: PagerDutySimulatorOptions = {},
): Promise<PagerWorld> {
  const pager = await startPagerDutySimulator(simulatorOptions);
  pager.integration(ONCALL_KEY);
  const harness = await startConsumerHarness(config, FAST_SIMULATOR, {
    secrets: async (secretId) => (secretId === ONCALL_SECRET ? secretValue : undefined),
    pagerDutyEventsUrl: pager.url,
    ...handlerOptions,
  });
  return {
    harness,
    pager,
    events: () =>
      pager.accepted().map((request) => JSON.parse(request.raw) as PagerDutyEvent & { routing_key: string }),
    close: async () => {
      await harness.close();
      await pager.close();
    },
  };
}
