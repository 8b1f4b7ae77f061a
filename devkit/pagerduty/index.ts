export { Alerts, type AlertState, type Applied, type SimulatedAlert } from './alerts.ts';
export {
  startPagerDutySimulator,
  type IntegrationBehaviour,
  type PagerDutySimulator,
  type PagerDutySimulatorOptions,
  type ReceivedEvent,
} from './simulator.ts';
export { DOCUMENTED, EVENT_ACTIONS, SEVERITIES, validateEvent, type ValidEvent, type Validation } from './validate.ts';
