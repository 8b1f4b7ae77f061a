export { buildApp, bundleConsumerIntoGen, type BuildAppOptions, type HubApp } from './app.ts';
export { backendSettings, policyJson, type PolicyStatement } from './common.ts';
export {
  STACK_NAMES,
  alarmNamePrefix,
  alarmTopicArn,
  alarmTopicName,
  consumerLogGroupName,
  consumerRoleName,
  dashboardName,
  dlqName,
  forwarderRoleArn,
  forwarderRoleName,
  forwarderRuleName,
  functionArn,
  functionName,
  hubBusArn,
  hubBusName,
  hubQueueName,
  hubRuleName,
  regionStackName,
  stateTableName,
  driftFunctionName,
  driftScheduleName,
  tamperRuleName,
  type NamingConfig,
} from './names.ts';
export { HubStack, type HubStackProps } from './hub/index.ts';
export { DRIFT_ACTIONS, DriftCheck, type DriftCheckProps } from './hub/drift.ts';
export { OrgStack, OrgStackError, type OrgStackProps } from './org/index.ts';
export { RegionStack, forwarderPattern, type RegionStackProps } from './region/index.ts';
export { formatSummary, summarizeStack, type StackSummary } from './summary.ts';
export { formatSuppressPlacement } from './suppress-summary.ts';
