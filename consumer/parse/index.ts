export { parseRecord } from './parse-record.ts';
export { summarizeResource } from './resource.ts';
export { toIsoTime, toNumber } from './normalize.ts';
