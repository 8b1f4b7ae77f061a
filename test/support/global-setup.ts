import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startMoto } from './moto.ts';

/**
 * Vitest global setup: one moto server for the whole run, shared by every test file through
 * `inject('motoEndpoint')`. Test files run in parallel, so each test works in an AWS account of its
 * own (`uniqueAccountId` in aws.ts) rather than resetting the server. If moto cannot be installed or
 * started, the run fails with the reason: integration tests are never skipped.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    /** `http://127.0.0.1:<port>` of the moto server started for this run. */
    motoEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // A state folder of its own, so that two runs (or a server started by hand) never share a server.
  const stateDir = await mkdtemp(join(tmpdir(), 'guardduty-hub-moto-'));
  const moto = await startMoto({ stateDir });
  project.provide('motoEndpoint', moto.endpoint);
  return async () => {
    await moto.stop();
    await rm(stateDir, { recursive: true, force: true });
  };
}
