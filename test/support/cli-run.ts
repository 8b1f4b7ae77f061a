import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { vi } from 'vitest';
import { withCommandContext, type AwsClients, type ContextOverrides } from '../../cli/aws/index.ts';
import { main } from '../../cli/main.ts';
import type { CliIo, InputStream, OutputStream } from '../../cli/output/index.ts';

/**
 * Runs the CLI in-process through `main([...])`, as `bin/guardduty-hub.mjs` does, with injected
 * clients, stdin, clock and sleep, and captures everything written to stdout and stderr (the
 * command's own streams and the lines `main()` and commander write to the process streams).
 */

/** What a run printed and returned. */
export interface CliRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON (for `--json` runs); throws when it is not one JSON document. */
  json<T = Record<string, unknown>>(): T;
}

/** Options of {@link runCli}. */
export interface RunCliOptions {
  readonly clients?: AwsClients;
  /** Text on stdin (a pipe), or a stream (e.g. a fake terminal). */
  readonly stdin?: string | InputStream;
  /** Pretend stderr is a terminal (redrive progress is then one rewritten line). */
  readonly stderrIsTTY?: boolean;
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly env?: NodeJS.ProcessEnv;
}

/** Runs `guardduty-hub <args>` in-process. */
export async function runCli(args: readonly string[], options: RunCliOptions = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const out: OutputStream = { write: (text: string) => (stdout += text), isTTY: false };
  const err: OutputStream = { write: (text: string) => (stderr += text), isTTY: options.stderrIsTTY ?? false };
  const stdin =
    typeof options.stdin === 'string' || options.stdin === undefined
      ? Readable.from([options.stdin ?? ''])
      : options.stdin;
  const io: CliIo = { stdout: out, stderr: err, stdin };
  const context: ContextOverrides = {
    io,
    env: options.env ?? {},
    ...(options.clients ? { clients: options.clients } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
  };
  const outSpy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const errSpy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  let exitCode: number;
  try {
    exitCode = await withCommandContext(context, () => main(['node', 'guardduty-hub', ...args]));
  } finally {
    outSpy.mockRestore();
    errSpy.mockRestore();
  }
  return {
    exitCode,
    stdout,
    stderr,
    json: <T>() => JSON.parse(stdout) as T,
  };
}

/** Writes a raw config (as the factories build it) to a temporary file and returns its path; JSON is YAML. */
export function writeConfigFile(raw: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'guardduty-hub-cli-'));
  const path = join(dir, 'hub.yml');
  writeFileSync(path, `${JSON.stringify(raw, null, 2)}\n`);
  return path;
}
