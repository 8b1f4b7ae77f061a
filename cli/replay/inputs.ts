import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { UsageError } from '../errors.ts';

/** One event to replay: the SQS message body, and where it came from (`file` or `file:line`). */
export interface ReplayEvent {
  readonly body: string;
  readonly source: string;
  /** The body as read (what `JSON.parse(body)` gives), so the consumer need not parse it again. */
  readonly parsed?: object;
}

/** File extensions read from folders. */
export const EVENT_FILE_EXTENSIONS = ['.json', '.ndjson', '.jsonl'] as const;

/** A replay input cannot be read or is not JSON: exit 2. */
export class ReplayInputError extends UsageError {
  override readonly name = 'ReplayInputError';
  /** The file (and line) at fault. */
  readonly source: string;

  constructor(source: string, reason: string, options?: { cause?: unknown }) {
    super(`${source}: ${reason}`, options);
    this.source = source;
  }
}

/**
 * Reads events from files and folders. A file holds one event (a JSON object), a JSON array of
 * events, or NDJSON (one event per line). A folder is read recursively, `*.json`, `*.ndjson` and
 * `*.jsonl` files in name order (`.ndjson` and `.jsonl` files are always read line by line). A single event or NDJSON line keeps its text as the SQS body would;
 * array elements are re-serialized.
 */
export async function readReplayEvents(paths: readonly string[]): Promise<ReplayEvent[]> {
  const events: ReplayEvent[] = [];
  for (const path of paths) {
    for (const file of await eventFiles(path)) events.push(...parseEventFile(file, await readFile(file, 'utf8')));
  }
  return events;
}

async function eventFiles(path: string): Promise<string[]> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (cause) {
    throw new ReplayInputError(path, 'no such file or folder', { cause });
  }
  if (!info.isDirectory()) return [path];
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  const files: string[] = [];
  for (const entry of entries) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) files.push(...(await eventFiles(child)));
    else if ((EVENT_FILE_EXTENSIONS as readonly string[]).includes(extname(entry.name).toLowerCase()))
      files.push(child);
  }
  return files;
}

/** The events in one file's text (see `readReplayEvents`). */
export function parseEventFile(file: string, text: string): ReplayEvent[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const lineDelimited = /\.(ndjson|jsonl)$/i.test(file);
  const whole = lineDelimited ? undefined : parseWhole(file, trimmed);
  if (whole) return whole;
  // NDJSON, one event per non-empty line.
  const events: ReplayEvent[] = [];
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    const body = line.trim();
    if (body === '') continue;
    const source = `${file}:${index + 1}`;
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch (cause) {
      throw new ReplayInputError(
        source,
        'is not JSON (expected one event, a JSON array of events, or one event per line)',
        { cause },
      );
    }
    if (event === null || typeof event !== 'object' || Array.isArray(event))
      throw new ReplayInputError(source, 'is not an event object');
    events.push({ body, source, parsed: event });
  }
  return events;
}

/** The events of a file that is one JSON document, or undefined when it is not one (then it may be NDJSON). */
function parseWhole(file: string, text: string): ReplayEvent[] | undefined {
  let whole: unknown;
  try {
    whole = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (Array.isArray(whole)) return whole.map((event, i) => ({ body: JSON.stringify(event), source: `${file}[${i}]` }));
  if (whole !== null && typeof whole === 'object') return [{ body: text, source: file, parsed: whole }];
  throw new ReplayInputError(file, 'holds a JSON value that is not an event object');
}
