export { ConfigError, ConfigFileError } from './errors.ts';
export { EXAMPLE_CONFIG_PATH, configPathFromEnv, loadConfig, parseConfig, validateConfig } from './load.ts';
export { TOKEN_IN_CONFIG, WEBHOOK_IN_CONFIG, WORKFLOW_URL_IN_CONFIG, type ConfigProblem } from './rules.ts';
export { LOOPBACK_HOSTS, SLACK_WEBHOOK_HOSTS, webhookHostProblem } from './webhook-hosts.ts';
export { TEAMS_WORKFLOW_HOST_SUFFIXES, isWorkflowHost, workflowUrlRefusal } from './workflow-hosts.ts';
export {
  SLACK_CHANNEL_ID,
  configSchema,
  severityThreshold,
  type AccountConfig,
  type AppDestinationConfig,
  type DestinationConfig,
  type DestinationType,
  type DeliveryConfig,
  type CanaryConfig,
  type GuardConfig,
  type TriageAction,
  type TriageConfig,
  type HubConfig,
  type StateConfig,
  type SuppressRule,
} from './schema.ts';
export {
  destinationSecret,
  destinationTypeOf,
  isAppDestination,
  lowestThreshold,
  membersInRegion,
  laneTakes,
  routeFor,
  type Lane,
  type Route,
} from './derive.ts';
