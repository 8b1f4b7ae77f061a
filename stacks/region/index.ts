export { Forwarder, FORWARDER_RETRY, forwarderPattern, type ForwarderProps } from './forwarder.ts';
export { RegionGuardDuty, type RegionGuardDutyProps } from './guardduty.ts';
export { RegionStack, type RegionStackProps } from './region-stack.ts';
