#!/usr/bin/env node
// Makes `npm test` work on a fresh clone: installs the locked npm packages when node_modules is
// missing or older than package-lock.json. Uses only Node built-ins, since it runs before any install.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lock = join(root, 'package-lock.json');
const marker = join(root, 'node_modules', '.package-lock.json');

const stale = !existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs;
if (stale) {
  process.stderr.write('guardduty-hub: installing npm packages (npm ci)…\n');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write('guardduty-hub: npm ci failed; see the output above.\n');
    process.exit(result.status ?? 1);
  }
}
