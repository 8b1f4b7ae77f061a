import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoFile } from './repo-file.ts';
import { promisify } from 'node:util';
import { MissingToolError, SandboxError } from './errors.ts';

/**
 * The local AWS: moto in server mode with the project's extra handlers (`devkit/localaws/`), started and
 * stopped by `devkit/localaws/localaws.sh`, and credentials that make it act as a given account.
 */

const run = promisify(execFile);

/** The launcher script (install into `.cache/moto-venv`, start, stop, status). */
/** The launcher script, `devkit/localaws/localaws.sh` of the repository (found when first used). */
export const localAwsScriptPath = (): string => repoFile('devkit/localaws/localaws.sh');

/** A running local AWS. */
export interface LocalAws {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
}

/** Runs `localaws.sh <command>` with its state (port, pid, log) in `stateDir`; returns stdout. */
export async function localAwsScript(
  command: 'start' | 'stop' | 'status',
  stateDir: string,
  timeoutMs = 180_000,
): Promise<string> {
  try {
    const { stdout } = await run(localAwsScriptPath(), [command], {
      env: { ...process.env, MOTO_STATE_DIR: stateDir },
      timeout: timeoutMs,
    });
    return stdout;
  } catch (cause) {
    const failure = cause as { stderr?: string; code?: string | number; message: string };
    const reason = failure.stderr?.trim() || failure.message;
    if (/python3? not found|venv/.test(reason)) throw new MissingToolError('python3', reason);
    throw new SandboxError(`localaws.sh ${command} failed: ${reason}`, { cause });
  }
}

/**
 * The running local AWS recorded in `stateDir` (moto.pid, moto.port), or undefined. A recorded
 * process that lives is waited for (up to `timeoutMs`) rather than replaced: on a loaded machine it
 * may answer slowly, and a second server would hold none of the resources Terraform created.
 */
export async function runningLocalAws(stateDir: string, timeoutMs = 30_000): Promise<LocalAws | undefined> {
  const pidFile = join(stateDir, 'moto.pid');
  const portFile = join(stateDir, 'moto.port');
  if (!existsSync(pidFile) || !existsSync(portFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  const endpoint = `http://127.0.0.1:${readFileSync(portFile, 'utf8').trim()}`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return undefined;
    }
    try {
      // Any HTTP answer means it is up. Not /moto-api/data.json: that dumps every resource, and after
      // the stacks are applied it can take longer than the probe waits on a loaded machine.
      const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(5_000) });
      await response.body?.cancel();
      return { endpoint };
    } catch {
      // not answering yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return undefined;
}

/** Starts the local AWS (or returns the one already running for `stateDir`). */
export async function startLocalAws(stateDir: string): Promise<LocalAws & { readonly started: boolean }> {
  const running = await runningLocalAws(stateDir);
  if (running !== undefined) return { ...running, started: false };
  const endpoint = (await localAwsScript('start', stateDir)).trim().split('\n').at(-1) ?? '';
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(endpoint))
    throw new SandboxError(`localaws.sh start printed no endpoint URL: ${JSON.stringify(endpoint)}`);
  return { endpoint, started: true };
}

/** Long-term credentials of one account. */
export interface AccountCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/**
 * Creates an IAM user and access key in `accountId` (IAM CreateUser, CreateAccessKey; the request
 * names the account with moto's `x-moto-account-id` header). moto answers every request signed with
 * that key as `accountId` (it looks the key up among IAM access keys), so Terraform's provider,
 * which cannot send moto's header, passes `allowed_account_ids` with the standard AWS variables.
 */
export async function accountCredentials(
  endpoint: string,
  accountId: string,
  userName = 'guardduty-hub-local',
): Promise<AccountCredentials> {
  const call = async (params: Record<string, string>): Promise<string> => {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-moto-account-id': accountId,
        authorization:
          'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=local',
      },
      body: new URLSearchParams({ ...params, Version: '2010-05-08' }).toString(),
    });
    const text = await response.text();
    if (!response.ok && !text.includes('EntityAlreadyExists'))
      throw new SandboxError(
        `IAM ${params.Action} in ${accountId} answered HTTP ${response.status}: ${text.slice(0, 300)}`,
      );
    return text;
  };
  await call({ Action: 'CreateUser', UserName: userName });
  const text = await call({ Action: 'CreateAccessKey', UserName: userName });
  const field = (name: string): string => {
    const value = new RegExp(`<${name}>([^<]+)</${name}>`).exec(text)?.[1];
    if (value === undefined) throw new SandboxError(`IAM CreateAccessKey in ${accountId} returned no ${name}`);
    return value;
  };
  return { accessKeyId: field('AccessKeyId'), secretAccessKey: field('SecretAccessKey') };
}
