import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * Node side of `devkit/localaws/localaws.sh`: start and stop moto in server mode, and reset its state between tests.
 * The version is pinned in `devkit/localaws/localaws.sh`.
 */

const run = promisify(execFile);

/** The script that installs, starts and stops moto. */
export const MOTO_SCRIPT = fileURLToPath(new URL('../../devkit/localaws/localaws.sh', import.meta.url));

/** Thrown when moto cannot be installed, started, stopped or reset. */
export class MotoError extends Error {
  override readonly name = 'MotoError';
}

/** A running moto server. */
export interface MotoServer {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** Stops it (idempotent). */
  stop(): Promise<void>;
}

/** Options of {@link startMoto}. */
export interface StartMotoOptions {
  /** Folder for moto.port, moto.pid and moto.log; `.cache` by default (one server per folder). */
  readonly stateDir?: string;
  /** Install (first run, PyPI) and start; default 180 s. */
  readonly timeoutMs?: number;
}

/** Installs moto if needed and starts it on a free loopback port. Throws `MotoError` with the reason. */
export async function startMoto({ stateDir, timeoutMs = 180_000 }: StartMotoOptions = {}): Promise<MotoServer> {
  const env = { ...process.env, ...(stateDir === undefined ? {} : { MOTO_STATE_DIR: stateDir }) };
  const stdout = await script(['start'], env, timeoutMs);
  const endpoint = stdout.trim().split('\n').at(-1) ?? '';
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(endpoint)) {
    throw new MotoError(`localaws.sh start printed no endpoint URL: ${JSON.stringify(stdout)}`);
  }
  return { endpoint, stop: async () => void (await script(['stop'], env, 15_000)) };
}

/**
 * Forgets every resource moto holds, in every account (POST /moto-api/reset). Test files run in
 * parallel against the one server, so tests should not call it: they work in an account of their
 * own instead (`uniqueAccountId` in aws.ts). For a server of your own, or for use by hand.
 */
export async function resetMoto(endpoint: string): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new MotoError(`POST ${endpoint}/moto-api/reset answered HTTP ${response.status}`);
}

async function script(args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  try {
    const { stdout } = await run(MOTO_SCRIPT, [...args], { env, timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 });
    return stdout;
  } catch (cause) {
    const failure = cause as { stderr?: string; killed?: boolean; message: string };
    const reason = failure.killed ? `timed out after ${timeoutMs} ms` : failure.stderr?.trim() || failure.message;
    throw new MotoError(`localaws.sh ${args.join(' ')} failed: ${reason}`, { cause });
  }
}
