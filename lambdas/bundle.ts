import { createHandler } from './consumer/handler.ts';

/**
 * The Lambda entry point, bundled to `index.mjs` (`index.handler`): the consumer with real config,
 * Secrets Manager, SQS and fetch. The consumer's public surface for code is `consumer/index.ts`.
 */
export const handler = createHandler();

/** The scheduled drift check (`index.driftHandler`), a second mode of the same bundle (see consumer/drift). */
export { driftHandler } from './drift/entry.ts';

/** Triage from Slack (`index.triageHandler`): the interactivity endpoint's function URL and its worker (see consumer/triage). */
export { triageHandler } from './triage/entry.ts';
