export { Forwarder, forwarderPattern, hubBusTarget, type ForwarderProps } from './forwarder.ts';
export { RegionGuardDuty, type RegionGuardDutyProps } from './guardduty.ts';
export { RegionStack, type RegionStackProps } from './region-stack.ts';
export { SourceFilters, type SourceFiltersProps } from './source-filters.ts';
export { TamperRule, type TamperRuleProps } from './tamper.ts';
