import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, parseDocument, type Node } from 'yaml';
import { EXAMPLE_CONFIG_PATH, validateConfig } from '../../shared/index.ts';
import { baseDoc } from './problems.ts';

/**
 * The example is what a user copies (the quick start says so), so it must not quietly weaken the hub:
 * every reliability setting it writes out equals the default, or says beside it (a `#` comment on the
 * same line naming the default) why it differs.
 */

/** The sections whose settings decide whether findings arrive, and how soon. */
const RELIABILITY_SECTIONS = ['queue', 'delivery', 'consumer', 'repeats', 'alarms'] as const;

interface WrittenSetting {
  readonly path: string;
  readonly value: unknown;
  /** The text of the line the value is on. */
  readonly line: string;
}

/** Every scalar the example writes under `section`, with the line it is on. */
function writtenSettings(text: string, section: string): WrittenSetting[] {
  const document = parseDocument(text);
  const node = document.get(section, true) as Node | undefined;
  if (!isMap(node)) return [];
  const lines = text.split('\n');
  const lineOf = (offset: number): string => lines[text.slice(0, offset).split('\n').length - 1] ?? '';
  return node.items.flatMap((pair) => {
    if (!isScalar(pair.key) || !isScalar(pair.value)) return [];
    const at = pair.value.range?.[0] ?? 0;
    return [{ path: `${section}.${String(pair.key.value)}`, value: pair.value.value, line: lineOf(at) }];
  });
}

const DEFAULTS = validateConfig(baseDoc(), 'defaults') as unknown as Record<string, Record<string, unknown>>;
const defaultOf = (path: string): unknown => {
  const [section, key] = path.split('.') as [string, string];
  return DEFAULTS[section]?.[key];
};

describe('config/example.yml', () => {
  const text = readFileSync(EXAMPLE_CONFIG_PATH, 'utf8');
  const settings = RELIABILITY_SECTIONS.flatMap((section) => writtenSettings(text, section));

  it('writes out the queue settings, so a reader sees the redrive the hub relies on', () => {
    expect(settings.map((s) => s.path)).toEqual(
      expect.arrayContaining(['queue.maxReceiveCount', 'queue.visibilityTimeoutSeconds']),
    );
  });

  it('keeps maxReceiveCount at the default of 20 (about 6.3 hours of Slack outage survived)', () => {
    expect(settings.find((s) => s.path === 'queue.maxReceiveCount')?.value).toBe(20);
    expect(defaultOf('queue.maxReceiveCount')).toBe(20);
  });

  it('gives every reliability setting its default, or explains the difference beside it', () => {
    const unexplained = settings
      .filter((s) => defaultOf(s.path) !== undefined && s.value !== defaultOf(s.path))
      .filter((s) => !/#.*default/i.test(s.line))
      .map((s) => `${s.path}: ${String(s.value)} (default ${String(defaultOf(s.path))})`);

    expect(unexplained).toEqual([]);
  });
});
