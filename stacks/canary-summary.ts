import { alarmNamePrefix, canaryBudgetSeconds, canaryEnabled, type HubConfig } from '../shared/index.ts';

/**
 * What `synth` says of the canary: how often each region's sample is made, when it counts as late, and
 * the alarm that says so by email; or that it is off (and why, when the drift check is off).
 */
export function formatCanary(config: Pick<HubConfig, 'hub' | 'guard' | 'guardduty'>): string {
  if (!canaryEnabled(config))
    return config.guard.driftCheck
      ? 'canary: off (guard.canary.enabled)'
      : 'canary: off (it runs in the drift check, and guard.driftCheck is false)';
  const { everyMinutes, findingType } = config.guard.canary;
  const lateMinutes = canaryBudgetSeconds(config) / 60;
  return `canary: a sample ${findingType} per region every ${everyMinutes} min; late after ${lateMinutes} min (alarms ${alarmNamePrefix(config)}canary-late-<region>)`;
}
