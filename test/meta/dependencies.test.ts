import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const manifest = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { dependencies: Record<string, string> };
const lock = JSON.parse(readFileSync(`${root}package-lock.json`, 'utf8')) as {
  packages: Record<string, { version?: string }>;
};

describe('the AWS SDK dependencies', () => {
  it('pin every @aws-sdk/client-* to one exact version', () => {
    const versions = Object.entries(manifest.dependencies).filter(([name]) => name.startsWith('@aws-sdk/'));

    expect(versions.length).toBeGreaterThan(1);
    expect(new Set(versions.map(([, version]) => version)).size).toBe(1);
    expect(versions[0]?.[1]).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('lock each client once, at that version', () => {
    const [[, pinned] = ['', '']] = Object.entries(manifest.dependencies).filter(([name]) =>
      name.startsWith('@aws-sdk/client-'),
    );
    const locked = Object.entries(lock.packages)
      .filter(([path]) => /node_modules\/@aws-sdk\/client-[^/]+$/.test(path))
      .map(([path, entry]) => `${path.replace(/^.*node_modules\//, '')}@${entry.version}`);

    expect(locked.length).toBeGreaterThan(1);
    expect(locked.filter((entry) => !entry.endsWith(`@${pinned}`))).toEqual([]);
  });
});
