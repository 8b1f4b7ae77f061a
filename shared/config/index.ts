export { ConfigError, ConfigFileError } from './errors.ts';
export { EXAMPLE_CONFIG_PATH, configPathFromEnv, loadConfig, parseConfig, validateConfig } from './load.ts';
export { WEBHOOK_IN_CONFIG, type ConfigProblem } from './rules.ts';
export { LOOPBACK_HOSTS, SLACK_WEBHOOK_HOSTS, webhookHostProblem } from './webhook-hosts.ts';
export {
  configSchema,
  severityThreshold,
  type AccountConfig,
  type DeliveryConfig,
  type GuardConfig,
  type HubConfig,
  type StateConfig,
  type SuppressRule,
} from './schema.ts';
export { lowestThreshold, membersInRegion, routeFor, type Route } from './derive.ts';
