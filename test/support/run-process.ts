import { execFile, type ExecFileOptions } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What a child process printed, and its exit code (1 when it ended without one, such as on a signal). */
export interface ProcessResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `file` with `args` to its end; a non-zero exit is a result, not an error. */
export async function runProcess(
  file: string,
  args: readonly string[],
  options: ExecFileOptions = {},
): Promise<ProcessResult> {
  try {
    const { stdout, stderr } = await run(file, [...args], {
      maxBuffer: 32 * 1024 * 1024,
      ...options,
      encoding: 'utf8',
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: unknown; stdout?: string; stderr?: string };
    return {
      code: typeof failure.code === 'number' ? failure.code : 1,
      stdout: failure.stdout ?? '',
      stderr: failure.stderr ?? '',
    };
  }
}
