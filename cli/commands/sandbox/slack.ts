import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SandboxError } from './errors.ts';
import { repoFile } from './repo-file.ts';

/** Starting, reading and stopping the sandbox's Slack simulator process (slack-daemon.ts). */

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

/** The simulator recorded in `dir` when its process lives, else a new one (detached). */
export async function ensureSlack(dir: string, timeoutMs = 15_000): Promise<{ url: string; pid: number; started: boolean }> {
  const file = join(dir, 'slack.json');
  if (existsSync(file)) {
    const known = JSON.parse(readFileSync(file, 'utf8')) as { url: string; pid: number };
    if (alive(known.pid)) return { ...known, started: false };
    rmSync(file);
  }
  const child = spawn(process.execPath, ['--import', 'tsx', repoFile('cli/commands/sandbox/slack-daemon.ts'), dir], { detached: true, stdio: 'ignore' });
  child.unref();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(file)) return { ...(JSON.parse(readFileSync(file, 'utf8')) as { url: string; pid: number }), started: true };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new SandboxError(`the Slack simulator did not start within ${timeoutMs / 1000} s`);
}

/** Every request the simulator has received so far. */
export function slackRequests(dir: string): ReceivedSlackRequest[] {
  const file = join(dir, 'slack-received.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ReceivedSlackRequest[]) : [];
}

/** Stops the simulator process recorded in `dir` (if it lives) and forgets it. */
export function stopSlack(dir: string): void {
  const file = join(dir, 'slack.json');
  if (!existsSync(file)) return;
  const { pid } = JSON.parse(readFileSync(file, 'utf8')) as { pid: number };
  if (alive(pid)) process.kill(pid, 'SIGTERM');
  rmSync(file, { force: true });
  rmSync(join(dir, 'slack-received.json'), { force: true });
}
