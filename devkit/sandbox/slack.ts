import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HubConfig } from '../../shared/index.ts';
import { SIMULATOR_FILES, recorded } from './simulators.ts';

/** The sandbox's Slack: what `up` stores for it and what its simulators (simulators-daemon.ts) received. */

/** The bot token the sandbox's Web API simulator accepts; `sandbox up` stores it in every app destination's `botTokenSecret`. */
export const SANDBOX_BOT_TOKEN = 'xoxb-1000000001-2000000002-sandboxBotToken';

/** The signing secret (32 hex characters, as Slack's) `sandbox up` stores in `triage.signingSecret` and `sandbox click` signs with. */
export const SANDBOX_SIGNING_SECRET = '5a4dbe0c0ffee0123456789abcdef012';

/** The host the simulators listen on (their webhook URLs are plain http on loopback). */
export const LOOPBACK_WEBHOOK_HOST = '127.0.0.1';

/**
 * The Slack user every user group of the sandbox's Slack holds: the clicking user of `sandbox click`
 * when `triage.allow` names only groups for the action.
 */
export const SANDBOX_TRIAGE_USER = 'U0SANDBOX1';

/** The user groups (`S…`) `triage.allow` names, each holding {@link SANDBOX_TRIAGE_USER} (`usergroups.users.list`). */
export function sandboxUserGroups(config: Pick<HubConfig, 'triage'>): Record<string, string[]> {
  const ids = Object.values(config.triage?.allow ?? {}).flat();
  return Object.fromEntries(
    [...new Set(ids.filter((id) => id.startsWith('S')))].map((group) => [group, [SANDBOX_TRIAGE_USER]]),
  );
}

/** A message the Web API simulator holds (devkit/slack/web-api-simulator.ts's SimMessage). */
export interface HeldSlackMessage {
  readonly channel: string;
  readonly ts: string;
  readonly threadTs?: string;
  readonly replyBroadcast: boolean;
  readonly text: string;
  readonly attachments: unknown[];
  readonly edits: number;
  readonly deleted: boolean;
}

/** What the Web API simulator holds: messages, and the posts to `response_url`s (ephemeral answers). */
export interface HeldSlack {
  readonly messages: readonly HeldSlackMessage[];
  readonly responses: readonly { readonly id: string; readonly body: Record<string, unknown>; readonly atMs: number }[];
}

/** One request the simulator received. */
export interface ReceivedSlackRequest {
  readonly path: string;
  readonly status: number;
  readonly raw: string;
  readonly receivedAtMs: number;
}

/** Every request the simulator has received so far. */
export function slackRequests(dir: string): ReceivedSlackRequest[] {
  return recorded(dir, SIMULATOR_FILES.slackReceived);
}

/** What the Web API simulator holds now (as the daemon last wrote it, at most 100 ms old). */
export function heldSlack(dir: string): HeldSlack {
  const file = join(dir, SIMULATOR_FILES.slackMessages);
  if (!existsSync(file)) return { messages: [], responses: [] };
  const held: HeldSlack = JSON.parse(readFileSync(file, 'utf8'));
  return held;
}
