// Placeholder entry point until the consumer lands; the consumer work replaces this file.
export { handler } from './handler.ts';
