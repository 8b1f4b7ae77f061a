export { readStatus, attentionItems, type StatusReport } from './report.ts';
export { renderStatus } from './render.ts';
export { DELIVERED_WINDOW_MS, readDestinations, type DestinationTypeStatus } from './destinations.ts';
export { driftAttention, readRegionDrift, type RegionDrift } from './drift.ts';
export { readRuleAssociations, type RuleAssociation } from './detection-rules.ts';
export {
  readFilterDrift,
  type FilterDrift,
  type FilterOrigin,
  type MissingFilter,
  type UnknownFilter,
} from './filter-drift.ts';
export {
  THREAT_LIST_KINDS,
  readThreatLists,
  type ThreatList,
  type ThreatListKind,
  type ThreatListsStatus,
} from './threat-lists.ts';
export type { AlarmStatus } from './alarms.ts';
export { compareMembers, type FeatureStatus, type MemberStatus, type RegionStatus } from './guardduty.ts';
export { expectedMapping, type MappingSettings, type MappingStatus } from './mapping.ts';
export {
  groupSuppressions,
  readSlackFilters,
  readSlackFiltersStatus,
  type RegionSlackFilters,
  type SlackFilter,
  type SlackFiltersStatus,
  type SlackSuppression,
} from './slack-filters.ts';
export { suggestSuppressRule, type SuppressSuggestion } from './suppress-suggestion.ts';
