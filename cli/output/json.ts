import type { OutputStream } from './io.ts';

/** Writes `value` as one JSON document (indented, newline-terminated): what `--json` prints. */
export function writeJson(stream: OutputStream, value: unknown): void {
  stream.write(`${JSON.stringify(value, null, 2)}\n`);
}
