export { parseFindingEvent } from './parse.ts';
export { FINDING_KIND, routeFinding } from './kind.ts';
export { summarizeResource } from './resource.ts';
export { idKeyRank } from './resource-generic.ts';
export { NO_THREATS_FOUND, SCAN_RESULT_DETAIL_TYPE, SCAN_RESULT_SEVERITY } from '../scan-result/parse.ts';
export { toIsoTime, toNumber } from '../normalize.ts';
