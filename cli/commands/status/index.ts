export { readStatus, attentionItems, type StatusReport } from './report.ts';
export { renderStatus } from './render.ts';
export { DELIVERED_WINDOW_MS, readDestinations, type DestinationTypeStatus } from './destinations.ts';
export { compareMembers, type MemberStatus, type RegionStatus } from './guardduty.ts';
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
