export { COVERAGE_DETAIL_TYPES, COVERAGE_DETAIL_TYPE_LIST } from './coverage-events.ts';
export {
  CLOUDTRAIL_DETAIL_TYPE,
  GUARDDUTY_EVENT_SOURCE,
  NOT_WATCHED,
  TAMPER_EVENTS,
  TAMPER_EVENT_NAMES,
  TAMPER_TARGET_LABEL,
  WATCHED_CREATES,
  isTamperEventName,
  shouldWatch,
  tamperEventPattern,
  type TamperEventName,
  type TamperEventSpec,
  type TamperTarget,
} from './tamper-events.ts';
export {
  MAX_EQUALS_VALUES,
  MAX_SOURCE_FILTERS,
  filterCriteria,
  placeSuppressRules,
  sourceFilterName,
  sourceFiltersFor,
  type FilterCriterion,
  type FilterTranslation,
  type SourceFilter,
  type SuppressPlacement,
} from './source-filters.ts';
export {
  impliedQuietPrincipals,
  isQuietPrincipal,
  withImpliedQuietPrincipals,
  type PrincipalIdentity,
} from './quiet.ts';
export {
  ARCHIVED_CORRELATION_COST,
  SLACK_FILTER_MADE_BY,
  SLACK_FILTER_PREFIX,
  SLACK_FILTER_REMIND_DAYS,
  SLACK_FILTER_TAGS,
  SUPPRESS_BACKTEST_DAYS,
} from './triage-filters.ts';
