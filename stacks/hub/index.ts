export { HubBus, type HubBusProps } from './bus.ts';
export { Consumer, CONSUMER_ACTIONS, type ConsumerProps } from './consumer.ts';
export { HubStack, type HubStackProps } from './hub-stack.ts';
export { Monitoring, dashboardBody, type MonitoringProps } from './monitoring.ts';
export { FindingQueues, type FindingQueuesProps } from './queues.ts';
export { WebhookSecrets, webhookSecretNames, type WebhookSecretsProps } from './secrets.ts';
export { FINDING_HISTORY_PROJECTION, StateTable, STATE_TABLE_KEYS, type StateTableProps } from './state-table.ts';
export { bundledFunction, type BundledFunction, type BundledFunctionProps } from './bundled-function.ts';
export { Triage, TRIAGE_ACTIONS, TRIAGE_MEMORY_MB, TRIAGE_TIMEOUT_SECONDS, type TriageProps } from './triage.ts';
