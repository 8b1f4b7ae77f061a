import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { HubConfig } from '../../shared/index.ts';
import { SandboxError } from './errors.ts';
import { repoFile } from './repo-file.ts';

/** Starting, reading and stopping the sandbox's Slack simulator process (slack-daemon.ts). */

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

/** The running simulators: webhook base URL, Web API base URL (`…/api`), process id. */
export interface SlackDaemon {
  readonly url: string;
  readonly apiUrl: string;
  readonly pid: number;
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

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The simulators recorded in `dir` when their process lives, else a new one (detached) whose Web API
 * knows `channels` (the app destinations' channel ids) and `userGroups` (group id → member ids).
 */
export async function ensureSlack(
  dir: string,
  channels: readonly string[],
  userGroups: Readonly<Record<string, readonly string[]>> = {},
  timeoutMs = 15_000,
): Promise<SlackDaemon & { started: boolean }> {
  const file = join(dir, 'slack.json');
  if (existsSync(file)) {
    const known = JSON.parse(readFileSync(file, 'utf8')) as SlackDaemon;
    if (alive(known.pid)) return { ...known, started: false };
    rmSync(file);
  }
  const daemon = repoFile('devkit/sandbox/slack-daemon.ts');
  // tsx as this module resolves it: `--import tsx` alone would look for it from the current folder.
  const tsx = import.meta.resolve('tsx');
  const child = spawn(
    process.execPath,
    ['--import', tsx, daemon, dir, channels.join(','), JSON.stringify(userGroups)],
    { detached: true, stdio: 'ignore' },
  );
  child.unref();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(file)) return { ...(JSON.parse(readFileSync(file, 'utf8')) as SlackDaemon), started: true };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new SandboxError(`the Slack simulator did not start within ${timeoutMs / 1000} s`);
}

/** Every request the simulator has received so far. */
export function slackRequests(dir: string): ReceivedSlackRequest[] {
  const file = join(dir, 'slack-received.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ReceivedSlackRequest[]) : [];
}

/** What the Web API simulator holds now (as the daemon last wrote it, at most 100 ms old). */
export function heldSlack(dir: string): HeldSlack {
  const file = join(dir, 'slack-messages.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as HeldSlack) : { messages: [], responses: [] };
}

/** Stops the simulator process recorded in `dir` (if it lives) and forgets it. */
export function stopSlack(dir: string): void {
  const file = join(dir, 'slack.json');
  if (!existsSync(file)) return;
  const { pid } = JSON.parse(readFileSync(file, 'utf8')) as { pid: number };
  if (alive(pid)) process.kill(pid, 'SIGTERM');
  rmSync(file, { force: true });
  rmSync(join(dir, 'slack-received.json'), { force: true });
  rmSync(join(dir, 'slack-messages.json'), { force: true });
}
