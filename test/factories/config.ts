import { validateConfig, type HubConfig } from '../../shared/index.ts';

/**
 * A valid, defaulted `HubConfig` for tests: two members (`222222222222` → team-a from Low,
 * `333333333333` → defaults from High), unlisted accounts → `security` from Medium. Top-level sections
 * in `overrides` replace the base ones, except `delivery`, `colors` and `defaults`, which are merged.
 */
export function makeHubConfig(overrides: Record<string, unknown> = {}): HubConfig {
  const base: Record<string, unknown> = {
    hub: { account: '111111111111', region: 'us-west-2' },
    regions: ['us-east-1', 'us-west-1', 'us-west-2', 'eu-north-1'],
    guardduty: { mode: 'organization', managementAccount: '999999999999' },
    defaults: { destination: 'security', minSeverity: 'medium' },
    accounts: {
      '222222222222': { name: 'member1', minSeverity: 'low', destination: 'team-a' },
      '333333333333': { name: 'member2', minSeverity: 'high' },
    },
    destinations: {
      security: { webhookSecret: 'guardduty-hub/slack/security' },
      'team-a': { webhookSecret: 'guardduty-hub/slack/team-a' },
    },
  };
  const merged: Record<string, unknown> = { ...base, ...overrides };
  for (const key of ['delivery', 'colors', 'defaults']) {
    if (overrides[key] !== undefined) merged[key] = { ...(base[key] as object | undefined), ...(overrides[key] as object) };
  }
  return validateConfig(merged, 'test config');
}
