export type { AlertKind } from './kind.ts';
export { ALERT_KINDS, kindOf, parseRecord } from './registry.ts';
export { NO_THREATS_FOUND, SCAN_RESULT_DETAIL_TYPE, SCAN_RESULT_SEVERITY } from './scan-result/parse.ts';
export { COVERAGE_DETAIL_TYPES, COVERAGE_DETAIL_TYPE_LIST, type CoverageChange } from './coverage/types.ts';
export { COVERAGE_SEVERITY, coverageHeadline } from './coverage/parse.ts';
export { SILENCE_RECAP_KIND, recapDestinations } from './silence-recap/kind.ts';
export { isSilenceRecapEvent, parseSilenceRecapEvent } from './silence-recap/parse.ts';
export { SILENCE_RECAP_EVENT, SILENCE_RECAP_TYPE, type SilenceRecap } from './silence-recap/types.ts';
