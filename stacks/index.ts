export { buildApp, bundleConsumerIntoGen, type BuildAppOptions, type HubApp } from './app.ts';
export { backendSettings, policyJson, type PolicyStatement } from './common.ts';
export * from './names.ts';
export { HubStack, type HubStackProps } from './hub/index.ts';
export { OrgStack, OrgStackError, type OrgStackProps } from './org/index.ts';
export { RegionStack, forwarderPattern, type RegionStackProps } from './region/index.ts';
export { formatSummary, summarizeStack, type StackSummary } from './summary.ts';
