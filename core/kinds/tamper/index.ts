export {
  TAMPER_ID_PREFIX,
  TAMPER_SEVERITY,
  flattenParameters,
  isCloudTrailEvent,
  parseTamperEvent,
  tamperType,
} from './parse.ts';
export { isWeakening } from './weakening.ts';
export { MAX_PARAMETERS, type TamperChange } from './types.ts';
