import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';

// The launcher's own unit tests (devkit/localaws/tests, Python unittest with boto3, i.e. botocore's service
// models), run here so that `npm test` covers every handler the launcher adds to moto. The venv is the
// one the global setup installs (.cache/moto-venv).

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('localaws handlers', () => {
  test('pass their unittest suite against a launcher-extended moto server', { timeout: 120_000 }, async () => {
    const { stderr } = await run(
      `${ROOT}.cache/moto-venv/bin/python`,
      ['-m', 'unittest', 'discover', '-s', 'devkit/localaws/tests', '-t', 'devkit'],
      { cwd: ROOT, timeout: 110_000 },
    );

    expect(stderr).toMatch(/Ran \d+ tests[\s\S]*\nOK/);
  });
});
