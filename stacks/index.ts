export { buildApp, bundleConsumerIntoGen, type BuildAppOptions, type HubApp } from './app.ts';
export { backendSettings, policyJson, type PolicyStatement } from './common.ts';
export { StacksError } from './errors.ts';
export {
  DEAD_LETTER_QUEUE_KINDS,
  DLQ_IDS,
  STACK_NAMES,
  alarmNamePrefix,
  alarmTopicArn,
  alarmTopicName,
  consumerLogGroupName,
  consumerRoleName,
  dashboardName,
  deadLetterQueues,
  dlqName,
  forwarderDlqId,
  forwarderDlqName,
  forwarderRoleArn,
  forwarderRoleName,
  forwarderRuleArn,
  forwarderRuleName,
  functionArn,
  functionName,
  hubBusArn,
  hubBusName,
  hubQueueName,
  hubRuleArn,
  hubRuleDlqName,
  hubRuleName,
  queueArn,
  regionStackName,
  stateTableName,
  type DeadLetterQueueKind,
  type DeadLetterQueueSpec,
  driftFunctionName,
  driftScheduleName,
  tamperRuleName,
  triageFunctionArn,
  triageFunctionName,
  triageRoleArn,
  type NamingConfig,
} from './names.ts';
export { TARGET_DLQ_RETENTION_DAYS, TARGET_RETRY } from './target-dlq.ts';
export { HubStack, type HubStackProps } from './hub/index.ts';
export { DRIFT_ACTIONS, DriftCheck, type DriftCheckProps } from './hub/drift.ts';
export { TRIAGE_ACTIONS, TRIAGE_TIMEOUT_SECONDS, Triage, type TriageProps } from './hub/triage.ts';
export { OrgStack, OrgStackError, type OrgStackProps } from './org/index.ts';
export { RegionStack, forwarderPattern, type RegionStackProps } from './region/index.ts';
export { formatSummary, summarizeStack, type StackSummary } from './summary.ts';
export { formatSuppressPlacement } from './suppress-summary.ts';
