import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startMoto, type MotoServer } from './moto.ts';

/**
 * A moto server of this test file's own (started with the harness's `startMoto`, ~2 s). The run-wide
 * server from `global-setup.ts` is shared with files that `resetMoto` between their tests, which would
 * wipe this file's queues mid-test when files run in parallel; a private server cannot be reset under
 * us. Tests within the file stay apart by account (`freshAccountId`).
 */
export function useOwnMoto(): { endpoint(): string } {
  let server: MotoServer | undefined;
  let stateDir: string | undefined;
  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'guardduty-hub-cli-moto-'));
    server = await startMoto({ stateDir });
  });
  afterAll(async () => {
    await server?.stop();
    if (stateDir !== undefined) await rm(stateDir, { recursive: true, force: true });
  });
  return {
    endpoint: () => {
      if (server === undefined) throw new Error('moto is not running (useOwnMoto registers beforeAll)');
      return server.endpoint;
    },
  };
}
