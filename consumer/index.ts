import { createHandler } from './handler.ts';

/** The Lambda entry point (`index.handler`): the consumer with real config, Secrets Manager, SQS, fetch. */
export const handler = createHandler();
