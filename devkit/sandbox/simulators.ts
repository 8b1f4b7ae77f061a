import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SandboxError } from './errors.ts';
import { repoFile } from './repo-file.ts';

/**
 * Starting, reading and stopping the sandbox's simulators process (simulators-daemon.ts): Slack's
 * webhooks and Web API, PagerDuty's Events API v2 and a Teams Workflows webhook, all on loopback.
 */

/** The files the daemon writes in the sandbox folder: its URLs and pid, and what each simulator received or holds. */
export const SIMULATOR_FILES = {
  daemon: 'simulators.json',
  /** Where the daemon of an older sandbox (Slack only) recorded itself. */
  legacyDaemon: 'slack.json',
  slackReceived: 'slack-received.json',
  slackMessages: 'slack-messages.json',
  pagerDutyReceived: 'pagerduty-received.json',
  teamsReceived: 'teams-received.json',
} as const;

/** The running simulators: their URLs and the daemon's process id. */
export interface SimulatorDaemon {
  /** Slack webhook simulator base URL. */
  readonly url: string;
  /** Slack Web API simulator base URL (`…/api`). */
  readonly apiUrl: string;
  /** PagerDuty Events API v2 enqueue URL (`…/v2/enqueue`). */
  readonly pagerDutyUrl: string;
  /** Teams Workflows simulator base URL (each workflow is a path under it). */
  readonly teamsUrl: string;
  readonly pid: number;
}

/** What the Slack simulators are given: the app destinations' channel ids and the user groups (id → member ids). */
export interface SlackSetup {
  readonly channels: readonly string[];
  readonly userGroups: Readonly<Record<string, readonly string[]>>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The daemon recorded in `dir`, when its file is there and complete (a daemon of an older sandbox lacks URLs). */
function recordedDaemon(dir: string): SimulatorDaemon | undefined {
  const file = join(dir, SIMULATOR_FILES.daemon);
  if (!existsSync(file)) return undefined;
  const known: Partial<SimulatorDaemon> = JSON.parse(readFileSync(file, 'utf8'));
  const { url, apiUrl, pagerDutyUrl, teamsUrl, pid } = known;
  if (url === undefined || apiUrl === undefined || pagerDutyUrl === undefined || teamsUrl === undefined)
    return undefined;
  return pid === undefined ? undefined : { url, apiUrl, pagerDutyUrl, teamsUrl, pid };
}

/**
 * The simulators recorded in `dir` when their process lives, else a new process (detached) whose Slack
 * Web API knows `slack.channels` and `slack.userGroups`.
 */
export async function ensureSimulators(
  dir: string,
  slack: SlackSetup,
  timeoutMs = 15_000,
): Promise<SimulatorDaemon & { started: boolean }> {
  const known = recordedDaemon(dir);
  if (known !== undefined && alive(known.pid)) return { ...known, started: false };
  stopSimulators(dir);
  const daemon = repoFile('devkit/sandbox/simulators-daemon.ts');
  // tsx as this module resolves it: `--import tsx` alone would look for it from the current folder.
  const tsx = import.meta.resolve('tsx');
  const child = spawn(
    process.execPath,
    ['--import', tsx, daemon, dir, slack.channels.join(','), JSON.stringify(slack.userGroups)],
    { detached: true, stdio: 'ignore' },
  );
  child.unref();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const started = recordedDaemon(dir);
    if (started !== undefined) return { ...started, started: true };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new SandboxError(`the sandbox's simulators did not start within ${timeoutMs / 1000} s`);
}

/** What the daemon last wrote to `name` in `dir` (a list of what a simulator received), or an empty list. */
export function recorded<T>(dir: string, name: string): T[] {
  const file = join(dir, name);
  if (!existsSync(file)) return [];
  const list: T[] = JSON.parse(readFileSync(file, 'utf8'));
  return list;
}

/** Stops the simulators process recorded in `dir` (if it lives) and forgets it and what it received. */
export function stopSimulators(dir: string): void {
  for (const file of [SIMULATOR_FILES.daemon, SIMULATOR_FILES.legacyDaemon].map((name) => join(dir, name))) {
    if (!existsSync(file)) continue;
    const { pid }: { pid?: number } = JSON.parse(readFileSync(file, 'utf8'));
    if (pid !== undefined && alive(pid)) process.kill(pid, 'SIGTERM');
  }
  for (const name of Object.values(SIMULATOR_FILES)) rmSync(join(dir, name), { force: true });
}
