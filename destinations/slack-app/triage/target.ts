import { TriagePayloadError } from './errors.ts';
import type { ResourceCriterion } from '../../../core/kinds/finding/criterion.ts';
import { issueKey, notificationKey } from '../../../core/repeats/keys.ts';
import type { Finding } from '../../../core/types.ts';
import { SEVERITY_BANDS, type SeverityBand } from '../../../shared/severity.ts';

/**
 * What a triage button carries in its `value` (Slack allows 2,000 characters): the finding, where it
 * lives, the resource criterion "Suppress like this" uses, the state-table key of its parent, and the
 * key of its issue (what the other destinations of its account know the issue by).
 */
export interface TriageTarget {
  /** The state-table key of the parent's record (`finding#…`), where the triage state is kept. */
  readonly key: string;
  readonly findingId: string;
  /** `detail.accountId`: the account the finding is about. */
  readonly accountId: string;
  /** The finding's region: Archive and Unarchive use the hub's detector there. */
  readonly region: string;
  /** The finding type. */
  readonly type: string;
  readonly resource?: ResourceCriterion;
  /**
   * The key of the finding's issue, `issue#<type>#<account>#<identity>` (`issueKey`), when its resource
   * has an exact global identity: a PagerDuty lane's `dedup_key` comes from it. Absent for a finding
   * without one, and in buttons made before it was carried; the follow-ups then key by `finding#<id>`.
   */
  readonly issueKey?: string;
  /**
   * The severity band of a GuardDuty finding that is not an attack sequence: only such a target may be
   * silenced from Slack (and only below critical). Absent for tamper, drift and scan alerts, attack
   * sequences, and buttons made before it was carried.
   */
  readonly band?: SeverityBand;
}

/** Slack's limit on a button's `value`, in characters. */
export const BUTTON_VALUE_MAX_CHARS = 2000;

/** The button `value` of `target` (compact JSON), or undefined when it would pass Slack's limit. */
export function buttonValue(target: TriageTarget): string | undefined {
  const value = JSON.stringify({
    k: target.key,
    f: target.findingId,
    a: target.accountId,
    r: target.region,
    t: target.type,
    ...(target.resource === undefined ? {} : { c: [target.resource.field, target.resource.value] }),
    ...(target.issueKey === undefined ? {} : { i: target.issueKey }),
    ...(target.band === undefined ? {} : { b: target.band }),
  });
  return value.length <= BUTTON_VALUE_MAX_CHARS ? value : undefined;
}

/** Reads a button `value` made by {@link buttonValue}; throws {@link TriagePayloadError} on anything else. */
export function decodeTarget(value: unknown): TriageTarget {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(String(value)) as Record<string, unknown>;
  } catch (cause) {
    throw new TriagePayloadError('the button value is not JSON', { cause });
  }
  const text = (name: string): string => {
    const field = raw?.[name];
    if (typeof field !== 'string' || field === '') throw new TriagePayloadError(`the button value has no ${name}`);
    return field;
  };
  const target = { key: text('k'), findingId: text('f'), accountId: text('a'), region: text('r'), type: text('t') };
  if (!/^\d{12}$/.test(target.accountId)) throw new TriagePayloadError('the button value has no 12-digit account');
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(target.region))
    throw new TriagePayloadError('the button value has no AWS region');
  const criterion = raw.c;
  const issue = {
    ...(typeof raw.i === 'string' && raw.i.startsWith('issue#') ? { issueKey: raw.i } : {}),
    ...(isBand(raw.b) ? { band: raw.b } : {}),
  };
  if (
    Array.isArray(criterion) &&
    criterion.length === 2 &&
    criterion.every((part) => typeof part === 'string' && part !== '')
  ) {
    return { ...target, resource: { field: String(criterion[0]), value: String(criterion[1]) }, ...issue };
  }
  return { ...target, ...issue };
}

/**
 * The target of a finding's buttons: the key of its record at the destination they are shown at (its
 * lane: each destination's message keeps its own triage), ids, region, type, resource criterion and
 * the key of its issue.
 */
export function targetOf(routed: {
  readonly finding: Pick<
    Finding,
    'id' | 'accountId' | 'region' | 'type' | 'resourceCriterion' | 'foldIdentity' | 'kind' | 'band' | 'sequence'
  >;
  readonly lane?: string | undefined;
}): TriageTarget {
  const { finding } = routed;
  const issue = issueKey(finding);
  return {
    key: notificationKey(routed),
    findingId: finding.id,
    accountId: finding.accountId,
    region: finding.region,
    type: finding.type,
    ...(finding.resourceCriterion === undefined ? {} : { resource: finding.resourceCriterion }),
    ...(issue === undefined ? {} : { issueKey: issue }),
    ...(finding.kind === 'finding' && finding.sequence === undefined && !isAttackSequenceType(finding.type)
      ? { band: finding.band }
      : {}),
  };
}

/** `AttackSequence:…`: Extended Threat Detection's finding types. */
export function isAttackSequenceType(type: string): boolean {
  return type.startsWith('AttackSequence:');
}

/**
 * True when `target` may be silenced from Slack: a GuardDuty finding (its band is carried), not an
 * attack sequence, below critical. The config may silence anything; Slack may not.
 */
export function maySilence(target: Pick<TriageTarget, 'band' | 'type'>): boolean {
  return target.band !== undefined && target.band !== 'critical' && !isAttackSequenceType(target.type);
}

/** True for one of the four severity bands. */
function isBand(value: unknown): value is SeverityBand {
  return SEVERITY_BANDS.some((band) => band === value);
}
