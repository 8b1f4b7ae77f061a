export type { AlertKind } from './kind.ts';
export { ALERT_KINDS, kindOf, parseRecord } from './registry.ts';
export { NO_THREATS_FOUND, SCAN_RESULT_DETAIL_TYPE, SCAN_RESULT_SEVERITY } from './scan-result/parse.ts';
