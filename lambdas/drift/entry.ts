import { createDriftHandler } from './handler.ts';

/** The drift function's handler: bundled config, real SDK clients. */
export const driftHandler = createDriftHandler();
