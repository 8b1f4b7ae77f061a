import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const FOCUS_OR_SKIP = /\b(?:it|test|describe|suite)\.(?:only|skip|todo)\s*\(|\bx(?:it|describe)\s*\(/;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('the test suite', () => {
  it('has no focused, skipped or todo tests (a conditional skipIf with a reason is allowed)', () => {
    const offenders = testFiles(join(root, 'test')).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, at: `${relative(root, file)}:${i + 1}` }))
        .filter(({ line }) => FOCUS_OR_SKIP.test(line) && !line.includes('FOCUS_OR_SKIP'))
        .map(({ at, line }) => `${at}: ${line.trim()}`),
    );

    expect(offenders).toEqual([]);
  });
});
