import { bandOf } from '../../shared/index.ts';
import type { RepeatSettings } from '../../core/repeats/index.ts';
import type { Finding, RoutedFinding } from '../../core/types.ts';

/** Builders for the repeat gate's tests: normalized findings as the route stage hands them over. */

/** The documented defaults of the `repeats:` config section. */
export const DEFAULT_REPEATS: RepeatSettings = {
  enabled: true,
  renotifyAfterHours: 24,
  crossRegionWindowMinutes: 60,
  countMilestones: [10, 100, 1000, 10_000, 100_000],
};

/** 2026-01-15T10:00:00Z in epoch milliseconds. */
export const T0_MS = Date.parse('2026-01-15T10:00:00.000Z');
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;

/** The settings with `overrides` applied. */
export function repeatSettings(overrides: Partial<RepeatSettings> = {}): RepeatSettings {
  return { ...DEFAULT_REPEATS, ...overrides };
}

/** Fields of a test finding that tests vary. */
export interface FindingSpec {
  readonly id?: string;
  readonly type?: string;
  readonly accountId?: string;
  readonly region?: string;
  readonly severity?: number;
  readonly count?: number;
  readonly label?: string;
  /** `Finding.foldIdentity`; default `access-key:<first word of the label>`, `null` for none. */
  readonly identity?: string | null;
  readonly updatedAt?: string;
  readonly destination?: string;
  readonly messageIds?: readonly string[];
}

let sequence = 0;

/** A unique finding id (32 characters, deterministic within a run). */
export function newFindingId(): string {
  sequence += 1;
  return `r${sequence.toString(16).padStart(31, '0')}`;
}

/** A normalized finding: an IAM access key under SSH-unrelated recon by default, Medium 5, count 1. */
export function makeFinding(spec: FindingSpec = {}): Finding {
  const id = spec.id ?? newFindingId();
  const severity = spec.severity ?? 5;
  const region = spec.region ?? 'us-east-1';
  const accountId = spec.accountId ?? '444444444444';
  const label = spec.label ?? 'AKIAEXAMPLE (alice)';
  return {
    kind: 'finding',
    id,
    type: spec.type ?? 'Recon:IAMUser/MaliciousIPCaller',
    title: 'API calls from a known malicious IP address',
    description: 'An API was invoked from an IP address on a threat list.',
    severity,
    band: bandOf(severity),
    accountId,
    region,
    partition: 'aws',
    count: spec.count ?? 1,
    firstSeen: undefined,
    lastSeen: undefined,
    updatedAt: spec.updatedAt ?? '2026-01-15T10:00:00.000Z',
    archived: false,
    resource: { type: 'AccessKey', label, details: [] },
    foldIdentity: spec.identity === null ? undefined : (spec.identity ?? `access-key:${label.split(' ')[0]}`),
    consoleUrl: `https://${region}.console.aws.amazon.com/guardduty/home?region=${region}#/findings?search=id%3D${id}`,
  };
}

/** A routed finding for `spec` (destination `security`, one message id). */
export function makeRouted(spec: FindingSpec = {}): RoutedFinding {
  const finding = makeFinding(spec);
  return {
    finding,
    destination: spec.destination ?? 'security',
    messageIds: spec.messageIds ?? [`msg-${finding.id}-${finding.count}-${finding.region}`],
  };
}

/** The same finding as `routed`, re-published with `changes`. */
export function republish(routed: RoutedFinding, changes: Omit<FindingSpec, 'id'>): RoutedFinding {
  const f = routed.finding;
  return makeRouted({
    id: f.id,
    type: f.type,
    accountId: f.accountId,
    region: f.region,
    severity: f.severity,
    count: f.count,
    label: f.resource.label,
    identity: f.foldIdentity ?? null,
    destination: routed.destination,
    ...changes,
  });
}
