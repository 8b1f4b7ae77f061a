import { createHandler } from './handler.ts';

/** The Lambda entry point (`index.handler`): the consumer with real config, Secrets Manager, SQS, fetch. */
export const handler = createHandler();

/** The scheduled drift check (`index.driftHandler`), a second mode of the same bundle (see consumer/drift). */
export { driftHandler } from './drift/entry.ts';
