/**
 * The streams a command talks through, injectable so that tests capture output and feed stdin.
 */

/** A stream a command writes to. `isTTY` decides between progress lines and one line per update. */
export interface OutputStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** A stream a command reads from (stdin): async iterable chunks, with raw mode when it is a terminal. */
export interface InputStream extends AsyncIterable<string | Buffer> {
  readonly isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  on?(event: 'data', listener: (chunk: string | Buffer) => void): unknown;
  off?(event: 'data', listener: (chunk: string | Buffer) => void): unknown;
  resume?(): unknown;
  pause?(): unknown;
}

/** stdout, stderr and stdin. */
export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly stdin: InputStream;
}

/** The process's own streams. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };
}
