import { parentStoreOver, staticTokens } from '../../destinations/slack-app/index.ts';
import { MemoryStateStore } from '../../core/repeats/index.ts';
import type { HubConfig } from '../../shared/index.ts';
import { DEFAULT_ACCOUNT_ID } from '../factories/index.ts';
import type { HandlerOptions } from '../../lambdas/consumer/handler.ts';
import { startConsumerHarness, type ConsumerHarness } from '../support/consumer-harness.ts';
import {
  startSlackWebSimulator,
  type SlackWebSimulator,
  type WebSimulatorOptions,
} from '../../devkit/slack/web-api-simulator.ts';
import { FAST_SIMULATOR, gateOver, repeatsConfig } from './repeats-handler-support.ts';

/** Helpers for the tests that drive app destinations through the real handler and the Web API simulator. */

/** The app destination's channel. */
export const ALERTS_CHANNEL = 'C0ALERTS01';

/** A bot token for the tests (built from parts, so no scanner mistakes it for a real one). */
export const BOT_TOKEN = ['xoxb', '1000000001', '2000000002', 'simulatedBotToken'].join('-');

/**
 * A config whose default-account findings (`DEFAULT_ACCOUNT_ID`, from Medium) go to the app
 * destination `alerts`; `defaults.destination` stays the `security` webhook (the failover).
 */
export function appConfig(overrides: Record<string, unknown> = {}): HubConfig {
  return repeatsConfig({
    accounts: { [DEFAULT_ACCOUNT_ID]: { name: 'prod', destination: 'alerts', minSeverity: 'medium' } },
    destinations: {
      security: { webhookSecret: 'guardduty-hub/slack/security' },
      alerts: { app: { botTokenSecret: 'guardduty-hub/slack/alerts-bot', channel: ALERTS_CHANNEL } },
    },
    ...overrides,
  });
}

/** A consumer wired to the webhook simulator (security) and the Web API simulator (alerts), sharing one state store. */
export interface AppWorld {
  readonly harness: ConsumerHarness;
  readonly slack: SlackWebSimulator;
  readonly store: MemoryStateStore;
  close(): Promise<void>;
}

/** Starts an {@link AppWorld}; `now` is the handler's clock, `handler` more of the handler's options (a PagerDuty lane's). */
export async function startAppWorld(
  config: HubConfig = appConfig(),
  options: {
    readonly now?: () => number;
    readonly web?: Partial<WebSimulatorOptions>;
    readonly handler?: Partial<HandlerOptions>;
  } = {},
): Promise<AppWorld> {
  const slack = await startSlackWebSimulator({
    tokens: [BOT_TOKEN],
    channels: [ALERTS_CHANNEL],
    limits: { 'chat.postMessage': { perSecond: 50, burst: 10 }, 'chat.update': { perSecond: 50, burst: 10 } },
    ...options.web,
  });
  const store = new MemoryStateStore();
  const harness = await startConsumerHarness(config, FAST_SIMULATOR, {
    repeats: gateOver(config, store),
    parents: parentStoreOver(store),
    botTokens: staticTokens(botTokenOfEachApp(config)),
    slackApiUrl: slack.apiUrl,
    ...(options.now ? { now: options.now } : {}),
    ...options.handler,
  });
  return {
    harness,
    slack,
    store,
    close: async () => {
      await harness.close();
      await slack.close();
    },
  };
}

/** {@link BOT_TOKEN} for every app destination of `config` (one workspace, one bot). */
function botTokenOfEachApp(config: HubConfig): Record<string, string> {
  const apps = Object.entries(config.destinations).filter(([, destination]) => destination.app !== undefined);
  return Object.fromEntries(apps.map(([name]) => [name, BOT_TOKEN]));
}

/** The text of every block of a simulator message's attachments, joined: what a reader sees. */
export function shownText(message: { readonly text: string; readonly attachments: readonly unknown[] }): string {
  return `${message.text}\n${JSON.stringify(message.attachments)}`;
}
