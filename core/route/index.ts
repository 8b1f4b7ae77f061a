export { isNewer, routeBatch } from './route-batch.ts';
export { findSuppressRule, matchesSuppressRule, typeMatches, type SuppressSubject } from './suppress.ts';
export type {
  BatchRecord,
  FailedRecord,
  ParsedBodies,
  RouteConfig,
  RouteOptions,
  RouteResult,
  SkippedRecord,
} from './types.ts';
