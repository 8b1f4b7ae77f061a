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
    if (overrides[key] !== undefined)
      merged[key] = { ...(base[key] as object | undefined), ...(overrides[key] as object) };
  }
  return validateConfig(merged, 'test config');
}

/** Raw (pre-validation) config sections, partially; nested objects merge into the base. */
export type RawConfigOverrides = Record<string, unknown>;

/** Options of {@link makeConfig}. */
export interface MakeConfigOptions {
  /** Top-level keys whose override replaces the base section instead of merging into it (e.g. `accounts`). */
  readonly replace?: readonly string[];
}

/**
 * The base of {@link makeConfig}: config/example.yml's shape in invitation mode. Hub `111111111111` in
 * us-west-2; regions us-east-1, us-west-1, us-west-2, eu-north-1; member `222222222222` (only
 * us-west-1, from Low, → team-a) and `333333333333` (all regions, from High, → security); unlisted
 * accounts from Medium → security.
 */
export function baseRawConfig(): RawConfigOverrides {
  return {
    hub: { account: '111111111111', region: 'us-west-2', name: 'guardduty-hub' },
    regions: ['us-east-1', 'us-west-1', 'us-west-2', 'eu-north-1'],
    guardduty: { mode: 'invitation', findingPublishingFrequency: 'FIFTEEN_MINUTES' },
    defaults: { destination: 'security', minSeverity: 'medium' },
    accounts: {
      '222222222222': {
        name: 'member1',
        email: 'aws+member1@example.com',
        regions: ['us-west-1'],
        minSeverity: 'low',
        destination: 'team-a',
      },
      '333333333333': { name: 'member2', email: 'aws+member2@example.com', minSeverity: 'high' },
    },
    destinations: {
      security: { webhookSecret: 'guardduty-hub/slack/security' },
      'team-a': { webhookSecret: 'guardduty-hub/slack/team-a' },
    },
    alarms: { email: 'secops@example.com' },
  };
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Merges `overrides` into `base`: objects recursively, everything else replaced; `undefined` removes a key. */
export function deepMerge(base: Record<string, unknown>, overrides: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete merged[key];
    else if (isPlainObject(value) && isPlainObject(merged[key])) merged[key] = deepMerge(merged[key], value);
    else merged[key] = value;
  }
  return merged;
}

/**
 * A validated `HubConfig` for tests: {@link baseRawConfig} with `overrides` deep-merged in (objects
 * merge, arrays and scalars replace, `undefined` removes). Throws `ConfigError` when the result is invalid.
 */
export function makeConfig(overrides: RawConfigOverrides = {}, options: MakeConfigOptions = {}): HubConfig {
  const replaced = Object.fromEntries((options.replace ?? []).map((key) => [key, undefined]));
  const merged = deepMerge(deepMerge(baseRawConfig(), replaced), overrides);
  return validateConfig(merged, 'test config');
}
